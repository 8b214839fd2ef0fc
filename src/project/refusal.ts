import { UserError } from '../errors.ts';

export const SUPPORTED_SHAPES_HINT =
  'Nothing was written. The README section "Adding to an existing Fastify project" lists the shapes `add` supports and the two lines to add by hand.';

/** `add` cannot patch this project: exit 1, nothing written, the truth about what was searched and found. */
export class RefusalError extends UserError {
  constructor(message: string, hint = SUPPORTED_SHAPES_HINT) {
    super(message, hint);
    this.name = 'RefusalError';
  }
}
