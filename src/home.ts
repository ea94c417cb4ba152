import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * ccql's own directory: history, caches and the --local emulator state. `$CCQL_HOME` or `~/.ccql`.
 *
 * It is private to its owner: everything ccql writes there goes through `writeFileAtomic`
 * (src/fs-atomic.ts), which creates directories 0o700 and files 0o600 and narrows a home an
 * older version left readable by others.
 */
export function ccqlHome(): string {
  const fromEnv = process.env.CCQL_HOME;
  return fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.ccql');
}
