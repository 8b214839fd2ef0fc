/** A mistake the user can fix: exit code 1, one clear line plus a hint, nothing written. */
export class UserError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}

/** Raised when the user cancels an interactive prompt (Ctrl-C). */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled; nothing was written.');
    this.name = 'CancelledError';
  }
}
