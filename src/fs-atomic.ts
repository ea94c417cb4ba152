import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep, join, isAbsolute } from 'node:path';
import { ccqlHome } from './home.js';

let counter = 0;

/**
 * Writes a file so that a crash or kill at any moment leaves either the old or the new content,
 * never a half-written file: write a sibling temp file (`<path>.<pid>.<n>.tmp`), flush it to
 * disk, rename it over the target, then flush the directory so the rename itself is durable.
 *
 * Files are created readable by their owner only (`mode` defaults to 0o600): what ccql writes
 * (history, caches, emulator state with write-only values) is nobody else's business. Missing
 * directories are created 0o700, and a file inside `$CCQL_HOME` narrows the home (and the
 * directories between it and the file) to its owner when an older ccql left them open.
 *
 * Any failure (ENOSPC, EACCES, EROFS…) is thrown after the temp file is removed; the target is
 * then untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  mkdirPrivate(dirname(path));
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  try {
    const fd = openSync(tmp, 'w', options.mode ?? 0o600);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

/**
 * Creates `dir` (and its missing parents) with mode 0o700. When `dir` lies inside `$CCQL_HOME`,
 * the home and every directory from it down to `dir` that this user owns and that others may
 * read are narrowed to 0o700 (a symbolic link, e.g. a shared cache, is left as it is).
 */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const home = resolve(ccqlHome());
  const target = resolve(dir);
  const rel = relative(home, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return;
  let current = home;
  narrow(current);
  for (const part of rel === '' ? [] : rel.split(sep)) {
    current = join(current, part);
    narrow(current);
  }
}

/** Directories already checked (or narrowed) by this process. */
const narrowed = new Set<string>();

function narrow(dir: string): void {
  if (narrowed.has(dir)) return;
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) return; // a symbolic link (or anything else) is the user's own arrangement
    const uid = process.getuid?.();
    if ((st.mode & 0o077) !== 0 && (uid === undefined || st.uid === uid)) chmodSync(dir, 0o700);
    narrowed.add(dir);
  } catch {
    // Not ours to change (or gone): writing into it will say what is wrong.
  }
}

/** Flushes a directory entry change (a rename) to disk; a no-op where directories cannot be opened. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms and file systems refuse fsync on a directory; the data itself is flushed.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
