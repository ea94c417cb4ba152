import { homedir } from 'node:os';
import { join } from 'node:path';

/** ccql's own directory: history, caches and the --local emulator state. `$CCQL_HOME` or `~/.ccql`. */
export function ccqlHome(): string {
  const fromEnv = process.env.CCQL_HOME;
  return fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.ccql');
}
