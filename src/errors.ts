/** A mistake the user can fix: exit code 1, one clear line plus a hint, nothing written. */
export class UserError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}

/**
 * The files were written, then a step after the commit (the dependency install) failed: exit 1, and
 * the user is told what is on disk, where, and the command that finishes the job.
 */
export class PostCommitError extends UserError {
  readonly code: 'install-failed';
  readonly details: Record<string, unknown>;

  constructor(code: 'install-failed', message: string, hint: string, details: Record<string, unknown>) {
    super(message, hint);
    this.name = 'PostCommitError';
    this.code = code;
    this.details = details;
  }
}

/** Raised when the user cancels an interactive prompt (Ctrl-C). */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled; nothing was written.');
    this.name = 'CancelledError';
  }
}
