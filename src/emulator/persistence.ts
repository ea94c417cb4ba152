/**
 * The `--data FILE` form of the emulator's state. Writes go to a sibling temporary file that is
 * flushed to disk and then renamed over the target, so a crash or kill at any moment leaves the
 * old or the new state, never a half-written file. The file holds write-only values (they are
 * state, as in AWS), so it is created readable by its owner only.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CcqlError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { StoreSnapshot } from './store.js';

/** The saved state, or undefined when the file does not exist yet. */
export function loadSnapshot(file: string): StoreSnapshot | undefined {
  removeStaleTemporaries(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CcqlError('invalid_input', `cannot read emulator data file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      location: { file },
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CcqlError('invalid_input', `emulator data file ${file} is not valid JSON`, {
      location: { file },
      hint: 'it was not written by ccql emulator; move it away to start with an empty state',
    });
  }
  const s = data as Partial<StoreSnapshot>;
  if (s === null || typeof s !== 'object' || s.format !== 'ccql-emulator' || s.version !== 1 || !Array.isArray(s.resources) || !Array.isArray(s.requests)) {
    throw new CcqlError('invalid_input', `${file} is not a ccql emulator data file (version 1)`, {
      location: { file },
      hint: 'move it away to start with an empty state',
    });
  }
  return s as StoreSnapshot;
}

export function saveSnapshot(file: string, snapshot: StoreSnapshot): void {
  try {
    writeFileAtomic(file, JSON.stringify(snapshot), { mode: 0o600 });
  } catch (e) {
    throw new CcqlError('internal', `cannot write emulator data file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      location: { file },
    });
  }
}

/** Temporary files left by a writer that was killed mid-write (its process is gone). */
function removeStaleTemporaries(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m) continue;
    if (Number(m[1]) !== process.pid && isAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
