import { UserError } from '../errors.ts';

/** A patch could not find its anchor: the project does not have the shape we can patch. */
export class PatchError extends UserError {
  constructor(message: string) {
    super(message, 'This project does not have the shape this feature patches; see docs/architecture.md ("Patching an existing project").');
  }
}
