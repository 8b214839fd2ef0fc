/** Human-facing messages go to stderr so that stdout carries only results (the plan, or --json). */
export const log = {
  info: (message: string): void => {
    process.stderr.write(`${message}\n`);
  },
  warn: (message: string): void => {
    process.stderr.write(`warning: ${message}\n`);
  },
  error: (message: string, hint?: string): void => {
    process.stderr.write(`error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  },
};

let resultPrinted = false;

/** Whether this process already printed its result: --json promises exactly one object on stdout. */
export function hasPrintedResult(): boolean {
  return resultPrinted;
}

export function printResult(json: boolean, result: Record<string, unknown>, human: string): void {
  resultPrinted = true;
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : human);
}

export type ErrorCode = 'invalid-input' | 'cancelled' | 'internal-error' | 'install-failed';

/** The --json result of a command that failed: the same message and hint as on stderr (and what is on disk, if any). */
export function printJsonError(
  command: string | undefined,
  code: ErrorCode,
  message: string,
  hint: string | undefined,
  details: Record<string, unknown> = {},
): void {
  if (resultPrinted) return;
  printResult(true, { ok: false, ...(command ? { command } : {}), ...details, error: { code, message, ...(hint ? { hint } : {}) } }, '');
}
