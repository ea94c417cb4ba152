/**
 * The `--data FILE` form of the emulator's state, safe to share between processes (several
 * `ccql … --local` runs on one `$CCQL_HOME`, or several `ccql emulator --data FILE`).
 *
 * - Writes go to a sibling temporary file that is flushed to disk and then renamed over the
 *   target, so a crash or kill at any moment leaves the old or the new state, never a
 *   half-written file. The file holds write-only values (they are state, as in AWS), so it is
 *   created readable by its owner only.
 * - Every change is made under an exclusive lock, `FILE.lock`: created atomically (a hard link
 *   of a complete temporary file, which fails when the lock exists), holding the owner's pid,
 *   host and a random nonce. The owner re-reads the file if another process changed it, applies
 *   the change, writes the file and removes the lock, all without yielding to the event loop,
 *   so a lock is held for milliseconds. A lock whose process is gone (same host, pid not alive)
 *   is stale and broken; a live one is waited for, up to a deadline, then reported (naming the
 *   file and the pid) rather than waited for forever.
 * - Each write stamps the file with a random `generation` as its third key, so a process tells
 *   whether its in-memory copy is current by reading the file's first bytes.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CcqlError } from '../errors.js';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic.js';
import type { StoreSnapshot } from './store.js';

/** How long a change waits for another process's lock before giving up (default). */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

// ---- test seam --------------------------------------------------------------------------------

/**
 * Test seam: when set to an errno code (`ENOSPC`, `EACCES`, `EROFS`…), every write of a data
 * file fails with it, as on a full disk or a read-only directory, and leaves the file untouched.
 * Set in process with `failStateWritesForTests`, or for a spawned ccql with the environment
 * variable `CCQL_TEST_FAIL_STATE_WRITES`. Never set outside tests.
 */
let injectedWriteFailure: string | undefined = nonEmpty(process.env.CCQL_TEST_FAIL_STATE_WRITES);

export function failStateWritesForTests(code: string | undefined): void {
  injectedWriteFailure = code;
}

// ---- reading and writing ----------------------------------------------------------------------

/** What the file holds now: missing, or present with the generation its last writer gave it. */
export type FileVersion = { kind: 'missing' } | { kind: 'present'; generation: string | undefined };

const HEAD = /^\{"format":"ccql-emulator","version":1,"generation":"([0-9a-f]{8,64})"/;

/** Reads only the first bytes of the file: cheap enough to do before every call. */
export function fileVersion(file: string): FileVersion {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw cannotRead(file, e);
  }
  try {
    const buf = Buffer.alloc(128);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { kind: 'present', generation: HEAD.exec(buf.subarray(0, n).toString('latin1'))?.[1] };
  } catch (e) {
    throw cannotRead(file, e);
  } finally {
    closeSync(fd);
  }
}

/** The saved state, or undefined when the file does not exist yet. */
export function loadSnapshot(file: string): StoreSnapshot | undefined {
  return loadState(file)?.snapshot;
}

/** The saved state and its generation, or undefined when the file does not exist yet. */
export function loadState(file: string): { snapshot: StoreSnapshot; generation: string | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotRead(file, e);
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
  const s = data as Partial<StoreSnapshot> & { generation?: unknown };
  if (s === null || typeof s !== 'object' || s.format !== 'ccql-emulator' || s.version !== 1 || !Array.isArray(s.resources) || !Array.isArray(s.requests)) {
    throw new CcqlError('invalid_input', `${file} is not a ccql emulator data file (version 1)`, {
      location: { file },
      hint: 'move it away to start with an empty state',
    });
  }
  const { generation, ...snapshot } = s;
  return { snapshot: snapshot as StoreSnapshot, generation: typeof generation === 'string' ? generation : undefined };
}

/** Writes the state atomically; returns the generation it stamped the file with. */
export function saveSnapshot(file: string, snapshot: StoreSnapshot): string {
  const generation = randomBytes(12).toString('hex');
  // The generation is the third key, where fileVersion() looks for it.
  const text = JSON.stringify({ format: snapshot.format, version: snapshot.version, generation, seq: snapshot.seq, resources: snapshot.resources, requests: snapshot.requests });
  try {
    if (injectedWriteFailure !== undefined) throw Object.assign(new Error(`${injectedWriteFailure} (injected by a test)`), { code: injectedWriteFailure });
    writeFileAtomic(file, text, { mode: 0o600 });
  } catch (e) {
    throw new CcqlError('internal', `cannot write emulator data file ${file}: ${describeErrno(e)}`, {
      location: { file },
      hint: hintFor(e, dirname(file)),
    });
  }
  return generation;
}

/**
 * Temporary files left by a writer that was killed mid-write (its process is gone): the state's
 * own (`FILE.<pid>.<n>.tmp`) and the lock's (`FILE.lock.<pid>.<nonce>`, `….stale`).
 */
export function removeStaleTemporaries(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(?:(\d+)\.\d+\.tmp|lock\.(\d+)\.[0-9a-f]+(?:\.stale)?)$/.exec(name.slice(prefix.length)) : null;
    if (!m) continue;
    const pid = Number(m[1] ?? m[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

// ---- the lock ---------------------------------------------------------------------------------

export interface StateLock {
  /**
   * Set when no lock could be taken because the lock file cannot be created at all (a read-only
   * directory, a full disk): reading is still safe (writes are atomic renames), changing is not,
   * and the reason is what a change reports.
   */
  readonly unavailable?: string;
}

interface HeldLock extends StateLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

type Attempt = { kind: 'acquired'; lock: HeldLock } | { kind: 'busy'; owner: LockOwner | undefined; raw: string; stale: boolean };

/** The lock file of a data file. */
export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

/**
 * Runs `fn` holding the data file's lock, waiting (without blocking the event loop) while a live
 * process holds it. `fn` runs in the same turn of the event loop as the acquisition and the lock
 * is released when it returns or throws, so a lock is never held across an `await`.
 */
export async function withLock<T>(file: string, fn: (lock: StateLock) => T, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; ; round++) {
    const a = attempt(file);
    if (a.kind === 'acquired') return runHolding(a.lock, fn);
    if (a.stale) {
      breakStale(file, a.raw);
      continue;
    }
    if (Date.now() >= deadline) throw lockTimeout(file, a.owner, timeoutMs);
    await new Promise((r) => setTimeout(r, backoff(round)));
  }
}

/** The same, blocking the thread while it waits (for synchronous callers such as seedResources). */
export function withLockSync<T>(file: string, fn: (lock: StateLock) => T, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS): T {
  const deadline = Date.now() + timeoutMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let round = 0; ; round++) {
    const a = attempt(file);
    if (a.kind === 'acquired') return runHolding(a.lock, fn);
    if (a.stale) {
      breakStale(file, a.raw);
      continue;
    }
    if (Date.now() >= deadline) throw lockTimeout(file, a.owner, timeoutMs);
    Atomics.wait(cell, 0, 0, backoff(round));
  }
}

function runHolding<T>(lock: HeldLock, fn: (lock: StateLock) => T): T {
  try {
    return fn(lock);
  } finally {
    lock.release();
  }
}

function backoff(round: number): number {
  return Math.min(50, 1 + round) * (0.5 + Math.random());
}

/** Locks this process holds (a lock taken again before it is released would wait for itself). */
const held = new Set<string>();

function attempt(file: string): Attempt {
  const lockPath = lockPathOf(file);
  if (held.has(lockPath)) throw new CcqlError('internal', `the emulator took the lock of ${file} twice`);
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') };
  const content = `${JSON.stringify(owner)}\n`;
  const tmp = `${lockPath}.${process.pid}.${owner.nonce}`;
  try {
    mkdirPrivate(dirname(file));
    writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    rmSync(tmp, { force: true });
    return { kind: 'acquired', lock: { unavailable: `cannot create its lock file ${lockPath}: ${describeErrno(e)}`, release: () => {} } };
  }
  try {
    // A hard link appears complete or not at all, and fails when the lock exists.
    linkSync(tmp, lockPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      rmSync(tmp, { force: true });
      return busy(lockPath);
    }
    // A file system without hard links: exclusive create (a holder may be seen before its content).
    try {
      writeFileSync(lockPath, content, { mode: 0o600, flag: 'wx' });
    } catch (e2) {
      rmSync(tmp, { force: true });
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return busy(lockPath);
      return { kind: 'acquired', lock: { unavailable: `cannot create its lock file ${lockPath}: ${describeErrno(e2)}`, release: () => {} } };
    }
  }
  rmSync(tmp, { force: true });
  held.add(lockPath);
  let released = false;
  return {
    kind: 'acquired',
    lock: {
      release: () => {
        if (released) return;
        released = true;
        held.delete(lockPath);
        rmSync(lockPath, { force: true });
      },
    },
  };
}

function busy(lockPath: string): Attempt {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch (e) {
    // Released between our attempt and this read: try again at once.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'busy', owner: undefined, raw: '', stale: false };
    throw new CcqlError('internal', `cannot read lock file ${lockPath}: ${describeErrno(e)}`, { location: { file: lockPath } });
  }
  const owner = parseOwner(raw);
  if (!owner) {
    // Not written by ccql, or a holder between creating and filling it (file systems without
    // hard links only): stale once it is old.
    let old: boolean;
    try {
      old = Date.now() - statSync(lockPath).mtimeMs > 5_000;
    } catch {
      old = false;
    }
    return { kind: 'busy', owner: undefined, raw, stale: old };
  }
  // Our own pid: a lock is never held across a turn of the event loop, so this is a lock left by
  // an earlier process that had our pid (pids are reused, in containers especially).
  const stale = owner.host === hostname() && (owner.pid === process.pid || !isAlive(owner.pid));
  return { kind: 'busy', owner, raw, stale };
}

/**
 * Removes a stale lock, unless someone else replaced it meanwhile: the lock is moved aside, and
 * put back when what was moved is not the stale content seen.
 */
function breakStale(file: string, seen: string): void {
  const lockPath = lockPathOf(file);
  const aside = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // already gone: the next attempt takes it
  }
  let moved: string;
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    moved = '';
  }
  if (moved !== seen) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // Taken again meanwhile; the live holder's copy stays.
    }
  }
  rmSync(aside, { force: true });
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.nonce === 'string') return v as LockOwner;
  } catch {
    // not ours
  }
  return undefined;
}

function lockTimeout(file: string, owner: LockOwner | undefined, timeoutMs: number): CcqlError {
  const lockPath = lockPathOf(file);
  const who = owner ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}` : 'another process';
  return new CcqlError('internal', `emulator data file ${file} is locked by ${who} (lock file ${lockPath}); gave up after ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`, {
    location: { file },
    hint: owner
      ? `another ccql using the same state holds it; if ${who} is not ccql (or is hung), stop it or delete ${lockPath}`
      : `if no ccql is running on this state, delete ${lockPath}`,
  });
}

// ---- helpers ----------------------------------------------------------------------------------

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function cannotRead(file: string, e: unknown): CcqlError {
  return new CcqlError('invalid_input', `cannot read emulator data file ${file}: ${describeErrno(e)}`, { location: { file } });
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENOTDIR: 'a parent is not a directory',
};

/** `ENOSPC (no space left on device)`; the message for errors without a code. */
export function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === undefined) return (e as Error)?.message ?? String(e);
  const text = ERRNO_TEXT[code];
  return text ? `${code} (${text})` : code;
}

function hintFor(e: unknown, dir: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `free some space on the disk holding ${dir}, then retry`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `make ${dir} writable by this user, then retry`;
  return `check that ${dir} is writable, then retry`;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}
