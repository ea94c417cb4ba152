/**
 * The shell's history file, $CCQL_HOME/history: one entry a line, oldest first, at most
 * HISTORY_SIZE entries. An entry of several lines (a statement typed over several) is kept on one
 * line with its line breaks written as the control character U+0001, as psql writes its history,
 * so that a file with no such entry is plain lines. Readable by its owner only, since statements may carry values the user
 * would not show others. Rewritten whole (to a temporary file, then renamed) so that a crash or
 * two shells closing at once leave a whole file, never a torn one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs-atomic.js';
import { ccqlHome } from '../../home.js';

export const HISTORY_SIZE = 1000;

/** Stands for a line break inside an entry (a character nobody types into a statement). */
const NEWLINE_IN_ENTRY = '\x01';

export function historyFile(): string {
  return join(ccqlHome(), 'history');
}

/** Entries newest first, as readline wants them; none if the file is missing or unreadable. */
export function loadHistory(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-HISTORY_SIZE)
    .reverse()
    .map((l) => l.split(NEWLINE_IN_ENTRY).join('\n'));
}

/** Saves `newestFirst` (readline's order). Failures are reported to the caller, not thrown. */
export function saveHistory(file: string, newestFirst: readonly string[]): Error | undefined {
  const lines = newestFirst
    .slice(0, HISTORY_SIZE)
    .reverse()
    .map((entry) => entry.replace(/\r?\n/g, NEWLINE_IN_ENTRY));
  try {
    writeFileAtomic(file, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
