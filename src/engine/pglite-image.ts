/**
 * The embedded engine's data directory, made once and cached: a fresh PGlite runs initdb (4-8 s),
 * so the first start builds an initialized directory with ccql's functions installed and saves
 * it as a tar file under $CCQL_HOME/cache; every later start loads that file (16 MB) straight
 * into PGlite's in-memory file system.
 *
 * What makes a start from it fast and lean (measured in bench/RESULTS.md):
 * - the directory is saved after a clean shutdown, so Postgres starts without crash recovery
 *   (a dump of a running PGlite, `dumpDataDir()`, replays WAL and writes a checkpoint on every start);
 * - 1 MB WAL segments instead of 16 MB, and no template0/template1 databases (7.5 MB each:
 *   ccql never runs CREATE DATABASE, which PGlite cannot connect to anyway): 16 MB instead of 40;
 * - the files are handed to the in-memory file system without a copy (`canOwn`): one copy of the
 *   data in memory, not three (the file, the Blob PGlite's loadDataDir wants, and MEMFS).
 * Runs in the engine's worker thread (pglite-worker.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// Types only: the worker loads PGlite itself, after it has started compiling the WASM.
import type { MemoryFS, PGlite } from '@electric-sql/pglite';
import { writeFileAtomic } from '../fs-atomic.js';
import { ccqlHome } from '../home.js';
import { FUNCTIONS_SQL } from './functions.js';

const require = createRequire(import.meta.url);

/** Where PGlite keeps PGDATA in its file system. */
const PGDATA = '/pglite/data';

/** Bumped whenever the way the image is built (buildImage) changes. */
const IMAGE_FORMAT = 2;

/** The engine's cache directory: `cacheDir`, or $CCQL_HOME/cache. */
export function engineCacheDir(cacheDir?: string): string {
  return cacheDir ?? join(ccqlHome(), 'cache');
}

/** The cached image's file: named by PGlite's version and a hash of what is in it. */
export function imageFile(cacheDir: string): string {
  const key = createHash('sha1').update(`${IMAGE_FORMAT}\n${FUNCTIONS_SQL}`).digest('hex').slice(0, 12);
  return join(cacheDir, `pglite-${pgliteVersion()}-${key}.tar`);
}

/** Whether the image is cached: if not, the engine's first start builds it (initdb, seconds). */
export function imageCached(cacheDir?: string): boolean {
  return existsSync(imageFile(engineCacheDir(cacheDir)));
}

function pgliteVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}


/** The cached image, or undefined when there is none (or it cannot be read). */
export function readImage(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Builds the image: initdb into a scratch directory on disk, ccql's functions, a clean
 * shutdown, then the directory as a tar file written atomically to `file` (a read-only cache
 * only costs the next start the same build). Returns the tar.
 */
export async function buildImage(file: string, pglite: typeof PGlite): Promise<Buffer> {
  let scratch: string;
  try {
    const dir = join(file, '..');
    mkdirSync(dir, { recursive: true });
    scratch = mkdtempSync(join(dir, '.pglite-build-'));
  } catch {
    scratch = mkdtempSync(join(tmpdir(), 'ccql-pglite-build-')); // a read-only cache
  }
  try {
    const db = await pglite.create({ dataDir: scratch, initDbStartParams: ['--wal-segsize=1'] });
    try {
      await db.exec(FUNCTIONS_SQL);
      await db.exec(`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
      await db.exec('DROP DATABASE template0');
      await db.exec('DROP DATABASE template1');
      await db.exec('CHECKPOINT');
    } finally {
      await db.close();
    }
    const tar = writeTar(scratch);
    try {
      writeFileAtomic(file, tar);
    } catch {
      // the cache only saves start-up time; a read-only home must not stop ccql
    }
    return tar;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface TarEntry {
  /** Relative path, '/'-separated. */
  path: string;
  dir: boolean;
  data: Uint8Array;
}

/** A ustar archive of the directory tree under `root` (regular files and directories only). */
export function writeTar(root: string): Buffer {
  const blocks: Buffer[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(root, path);
      const st = statSync(full);
      if (st.isDirectory()) {
        blocks.push(tarHeader(path, 0, true, st.mode));
        walk(path);
      } else if (st.isFile()) {
        if (name === 'postmaster.pid') continue;
        const data = readFileSync(full);
        blocks.push(tarHeader(path, data.length, false, st.mode), data);
        const pad = (512 - (data.length % 512)) % 512;
        if (pad) blocks.push(Buffer.alloc(pad));
      }
    }
  };
  walk('');
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function tarHeader(path: string, size: number, dir: boolean, mode: number): Buffer {
  const h = Buffer.alloc(512);
  let name = dir ? `${path}/` : path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // Split at a '/' (not a directory's trailing one) so that the name part fits in 100 bytes.
    const cut = name.lastIndexOf('/', Math.min(155, name.length - 2));
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for a tar header: ${path}`);
  }
  h.write(name, 0, 100, 'utf8');
  h.write(`${(mode & 0o7777).toString(8).padStart(7, '0')}\0`, 100, 8, 'ascii');
  h.write('0000000\0', 108, 8, 'ascii');
  h.write('0000000\0', 116, 8, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(dir ? '5' : '0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** The entries of a ustar archive, their data as views into `tar` (no copy). */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  const text = (start: number, length: number): string => {
    const field = tar.subarray(start, start + length);
    const end = field.indexOf(0);
    return Buffer.from(field.buffer, field.byteOffset, end === -1 ? field.length : end).toString('utf8');
  };
  let p = 0;
  while (p + 512 <= tar.length && tar[p] !== 0) {
    const name = text(p, 100);
    const prefix = text(p + 345, 155);
    const size = parseInt(text(p + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[p + 156] ?? 0);
    if (!Number.isFinite(size) || p + 512 + size > tar.length) throw new Error('the engine image is damaged (truncated tar entry)');
    const path = `${prefix ? `${prefix}/` : ''}${name}`.replace(/\/+$/, '');
    if (type === '5') entries.push({ path, dir: true, data: new Uint8Array(0) });
    else if (type === '0' || type === '\0') entries.push({ path, dir: false, data: tar.subarray(p + 512, p + 512 + size) });
    p += 512 + Math.ceil(size / 512) * 512;
  }
  if (!entries.some((e) => e.path === 'PG_VERSION')) throw new Error('the engine image is damaged (no PG_VERSION)');
  return entries;
}

/** The part of Emscripten's FS API used here. */
interface EmscriptenFs {
  mkdirTree(path: string, mode?: number): void;
  mkdir(path: string, mode?: number): void;
  open(path: string, flags: string, mode?: number): unknown;
  write(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number, canOwn: boolean): number;
  close(stream: unknown): void;
}

/**
 * PGlite's in-memory file system (a subclass of `memoryFs`, PGlite's MemoryFS), with PGDATA
 * filled from an image before Postgres starts (PGlite then finds PG_VERSION and starts on it
 * instead of running initdb).
 */
export function imageFs(memoryFs: typeof MemoryFS, entries: readonly TarEntry[]): MemoryFS {
  class ImageFs extends memoryFs {
    override async initialSyncFs(): Promise<void> {
      const fs = (this.pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
      fs.mkdirTree(PGDATA, 0o700);
      for (const e of entries) {
        const path = `${PGDATA}/${e.path}`;
        if (e.dir) {
          fs.mkdirTree(path, 0o700);
          continue;
        }
        const stream = fs.open(path, 'w', 0o600);
        // canOwn: MEMFS keeps the view as the file's contents; it copies only when the file grows.
        fs.write(stream, e.data, 0, e.data.length, 0, true);
        fs.close(stream);
      }
    }
  }
  return new ImageFs();
}
