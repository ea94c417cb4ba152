import { CcqlError } from '../../src/errors.js';

/** The CcqlError `fn` throws; any other throw passes through, and none fails the test. */
export function thrown(fn: () => unknown): CcqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected a CcqlError');
}
