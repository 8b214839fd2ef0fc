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

export function printResult(json: boolean, result: Record<string, unknown>, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : human);
}
