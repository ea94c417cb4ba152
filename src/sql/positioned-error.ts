/**
 * A CcqlError that knows where in the statement text it happened (a string offset); the session
 * turns the offset into a line and column of the user's script.
 */
import { CcqlError } from '../errors.js';

export class PositionedError extends CcqlError {
  constructor(
    error: CcqlError,
    readonly offset: number,
  ) {
    super(error.code, error.message, {
      ...(error.hint ? { hint: error.hint } : {}),
      sqlstate: error.sqlstate,
      details: [...error.details],
      cause: error,
    });
  }
}

/** Gives `e` a position unless it already has one. */
export function at(e: CcqlError, offset: number): PositionedError {
  return e instanceof PositionedError ? e : new PositionedError(e, offset);
}
