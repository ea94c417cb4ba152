/**
 * The embedded engine's worker thread: it owns the process's one PGlite instance and runs what
 * pglite.ts (in the main thread) sends it, one request at a time (a request: the statements of
 * one or more sessions, each after its handover, or a session's end).
 *
 * Why a thread of its own: PGlite runs a statement synchronously, inside one call into WASM, so
 * on the main thread a long statement would block everything else (Ctrl-C included, and every
 * other connection of a server). Here the main thread stays free, and it can cancel a running
 * statement: it sets the statement's flag in a SharedArrayBuffer (one flag per statement of the
 * request in flight), and the imports PGlite's WASM calls all the time (the clock, file reads and
 * writes) check it and, when asked, set Postgres' own
 * QueryCancelPending/InterruptPending flags, exactly what Postgres' SIGINT handler does. The next
 * CHECK_FOR_INTERRUPTS() then fails the statement with SQLSTATE 57014, and the backend is fine.
 * pg_sleep() busy-waits on the clock in PGlite, so the cancel also moves the monotonic clock
 * forward by 10 minutes (pg_sleep's longest single wait), which ends that wait at once; a
 * monotonic clock may jump forward. A loop that calls none of those imports (a PL/pgSQL loop
 * without I/O) cannot be interrupted this way: pglite.ts then stops this thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Extension, PGlite as PGliteType } from '@electric-sql/pglite';
import { packRows, type BatchItem, type ErrorInfo, type RunReply, type RunResult, type Step, type WorkerAssets, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-messages.js';
import { buildImage, imageFs, readTar } from './pglite-image.js';
import { BackendReader, extendedMessages, queryMessage } from './pglite-protocol.js';
import { parseValue } from './values.js';

/** The parts of the WebAssembly API used here (the project's lib has no WebAssembly types). */
interface WasmMemory {
  buffer: ArrayBuffer;
}
interface WasmInstance {
  exports: Record<string, unknown>;
}
type WasmImports = Record<string, unknown>;
type Instantiated = (instance: WasmInstance, module: unknown) => void;
const Wasm = (globalThis as unknown as { WebAssembly: { Memory: abstract new () => WasmMemory; compile(bytes: Uint8Array): Promise<unknown> } }).WebAssembly;

/**
 * PGlite without the one query it runs after starting (the array types of every type, for
 * its own value parsers): ccql parses values itself (values.ts), and that query is a good part
 * of the start-up.
 */
function withoutArrayTypes<T extends { prototype: object }>(base: T): T {
  const proto = base.prototype as { _initArrayTypes?: () => Promise<void> };
  if (typeof proto._initArrayTypes === 'function') proto._initArrayTypes = async () => undefined;
  return base;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const require = createRequire(import.meta.url);

// The main thread compiles the WASM and reads the image while this thread boots (pglite.ts).
const assets = await new Promise<WorkerAssets>((resolve) => port.once('message', resolve));
const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));
const { PGlite, MemoryFS } = await import('@electric-sql/pglite');

const post = (m: WorkerReply): void => port.postMessage(m);

// --- cancellation -------------------------------------------------------------------------

const cancelFlags = new Int32Array(init.cancel);
/** The place in the batch in flight of the item running (-1: none). */
let currentItem = -1;
let cancelRequested = false;
/** How far the monotonic clock has been moved forward by cancellations, in nanoseconds. */
let clockJumpNs = 0n;
let memory: WasmMemory | undefined;
let queryCancelPending = -1;
let interruptPending = -1;

function checkCancel(): void {
  if (currentItem < 0 || cancelRequested || Atomics.load(cancelFlags, currentItem) === 0 || !memory || queryCancelPending < 0) return;
  cancelRequested = true;
  const words = new Int32Array(memory.buffer);
  words[queryCancelPending >> 2] = 1;
  words[interruptPending >> 2] = 1;
  clockJumpNs += 600_000_000_000n;
}

type Fn = (...args: never[]) => unknown;

/** An extension only for its hook into WASM instantiation: wraps the imports checkCancel runs in. */
const cancelHook: Extension = {
  name: 'ccql-cancel',
  setup: async (_pg, emscriptenOpts: { instantiateWasm: (imports: WasmImports, done: Instantiated) => unknown }) => {
    const instantiate = emscriptenOpts.instantiateWasm;
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        instantiateWasm: (imports: WasmImports, done: Instantiated) => {
          const seen = new Set<unknown>();
          for (const ns of Object.values(imports)) {
            if (seen.has(ns) || typeof ns !== 'object' || ns === null) continue;
            seen.add(ns);
            const table = ns as Record<string, unknown>;
            memory ??= table.memory instanceof Wasm.Memory ? table.memory : undefined;
            wrapImports(table);
          }
          return instantiate(imports, (instance, module) => {
            const ex = instance.exports as Record<string, { value: unknown } | undefined>;
            queryCancelPending = Number(ex.QueryCancelPending?.value ?? -1);
            interruptPending = Number(ex.InterruptPending?.value ?? -1);
            done(instance, module);
          });
        },
      },
    };
  },
};

/**
 * `wrapper` in place of the import `name`, keeping the properties Emscripten reads off its
 * library functions (`sig`, the signature it needs to put one in the function table).
 */
function replace(table: Record<string, unknown>, name: string, wrapper: Fn): void {
  table[name] = Object.assign(wrapper, table[name]);
}

function wrapImports(table: Record<string, unknown>): void {
  for (const name of ['fd_read', 'fd_write', 'fd_pread', 'fd_pwrite', 'fd_seek', 'emscripten_date_now']) {
    const f = table[name];
    if (typeof f !== 'function') continue;
    replace(table, name, (...args: never[]) => {
      checkCancel();
      return (f as Fn)(...args);
    });
  }
  const clock = table.clock_time_get;
  if (typeof clock === 'function') {
    replace(table, 'clock_time_get', (clockId: number, precision: bigint, ptime: number) => {
      checkCancel();
      const r = (clock as (a: number, b: bigint, c: number) => number)(clockId, precision, ptime);
      if (clockJumpNs !== 0n && clockId !== 0 && r === 0 && memory) {
        const view = new DataView(memory.buffer);
        view.setBigInt64(ptime, view.getBigInt64(ptime, true) + clockJumpNs, true);
      }
      return r;
    });
  }
  const now = table.emscripten_get_now;
  if (typeof now === 'function') {
    replace(table, 'emscripten_get_now', () => {
      checkCancel();
      return (now as () => number)() + Number(clockJumpNs / 1_000_000n);
    });
  }
}

function endItem(): void {
  currentItem = -1;
  if (cancelRequested && memory && queryCancelPending >= 0) new Int32Array(memory.buffer)[queryCancelPending >> 2] = 0;
  cancelRequested = false;
}

// --- start --------------------------------------------------------------------------------

async function start(): Promise<PGliteType> {
  const file = init.imageFile;
  const module = assets.module ?? (await Wasm.compile(readFileSync(join(pgliteDist, 'pglite.wasm'))));
  const open = async (tar: Uint8Array): Promise<PGliteType> =>
    withoutArrayTypes(PGlite).create({ fs: imageFs(MemoryFS, readTar(tar)), pgliteWasmModule: module as never, startParams: init.startParams, extensions: { ccqlCancel: cancelHook } });
  const cached = assets.image ? new Uint8Array(assets.image) : undefined;
  if (cached) {
    try {
      return await open(cached);
    } catch {
      // a damaged or foreign cache entry: build a new one below
    }
  }
  return open(await buildImage(file, PGlite));
}

// --- requests -----------------------------------------------------------------------------

let db: PGliteType;
/** Settings (SET) of the sessions not on the backend, saved when they were switched out. */
const savedSettings = new Map<number, Array<[string, string]>>();

/**
 * The protocol messages that run `step`. A step is always one statement (the session splits
 * scripts with the parser, and ccql's own steps are single statements), so one without
 * parameters goes as a simple Query: the same rows, command tag, errors and notices, for about a
 * third of the work of Parse/Bind/Describe/Execute/Sync (bench/RESULTS.md, "Wire server").
 */
function stepMessages(step: Step): Uint8Array {
  return step.params === undefined || step.params.length === 0 ? queryMessage(step.sql) : extendedMessages(step.sql, step.params);
}

/** Runs one step; an ErrorResponse is thrown as its ErrorInfo (errorInfo() passes it on). */
async function runStep(step: Step, op: number): Promise<RunResult> {
  const reader = new BackendReader((n) => post({ type: 'notice', op, severity: n.severity, message: n.message, hint: n.hint }));
  await db.execProtocolRawStream(stepMessages(step), { syncToFs: false, onRawData: (chunk) => reader.push(chunk) });
  if (reader.error) throw Object.assign(new Error(reader.error.message), reader.error);
  return reader.result;
}

async function runSteps(steps: readonly Step[], op: number): Promise<RunResult> {
  let last: RunResult = { rows: [], command: '' };
  for (const s of steps) last = await runStep(s, op);
  return last;
}

/** What the current session holds that a switch cannot save and restore. */
async function holds(op: number): Promise<string[]> {
  // (A transaction block, aborted ones included: no statement but ROLLBACK may run in those.)
  if (db.isInTransaction()) return ['an open transaction'];
  const r = await runStep(
    {
      sql: `SELECT array_remove(ARRAY[
        CASE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_my_temp_schema()) THEN 'temporary tables' END,
        CASE WHEN EXISTS (SELECT 1 FROM pg_cursors WHERE name <> '') THEN 'open cursors' END,
        CASE WHEN EXISTS (SELECT 1 FROM pg_prepared_statements) THEN 'prepared statements' END,
        CASE WHEN EXISTS (SELECT 1 FROM pg_listening_channels()) THEN 'LISTEN channels' END,
        CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) THEN 'advisory locks' END
      ], NULL)`,
    },
    op,
  );
  const held = parseValue(1009, r.rows[0]?.[0] ?? null);
  return Array.isArray(held) ? (held as string[]) : [];
}

/** The settings in effect for the session on the backend, as restored when it took it. */
let restoredSettings: Array<[string, string]> = [];

async function switchSession(op: number, from: number | undefined, to: number, fromChangedSettings: boolean, fromMayHold: boolean): Promise<{ switched: boolean; holds: string[] }> {
  if (from !== undefined) {
    // (A transaction block is always checked: it costs nothing to ask.)
    const held = db.isInTransaction() ? ['an open transaction'] : fromMayHold ? await holds(op) : [];
    if (held.length > 0) return { switched: false, holds: held };
    // Reading pg_settings is the dearest part of a switch (about 2 ms): only after a statement
    // that may have changed them; otherwise they are still the ones restored.
    let settings = restoredSettings;
    if (fromChangedSettings) {
      const r = await runStep({ sql: `SELECT coalesce(json_agg(json_build_array(name, setting) ORDER BY name), '[]') FROM pg_settings WHERE source = 'session'` }, op);
      settings = JSON.parse(r.rows[0]?.[0] ?? '[]') as Array<[string, string]>;
    }
    savedSettings.set(from, settings);
    const incoming = savedSettings.get(to) ?? [];
    // Sessions of one kind (a pool's connections, all with the same startup settings) have the
    // same settings: then the backend already has the incoming one's, and the handover is free.
    if (sameSettings(settings, incoming)) {
      savedSettings.delete(to);
      restoredSettings = incoming;
      return { switched: true, holds: [] };
    }
    if (settings.length > 0) await runStep({ sql: 'RESET ALL' }, op);
  }
  const settings = savedSettings.get(to) ?? [];
  savedSettings.delete(to);
  restoredSettings = settings;
  if (settings.length > 0) {
    await runStep({ sql: `SELECT set_config(e->>0, e->>1, false) FROM jsonb_array_elements($1::jsonb) AS e`, params: [JSON.stringify(settings)] }, op);
  }
  return { switched: true, holds: [] };
}

/** Both lists come from pg_settings ordered by name (or are each other's copies). */
function sameSettings(a: ReadonlyArray<[string, string]>, b: ReadonlyArray<[string, string]>): boolean {
  return a.length === b.length && a.every(([name, value], i) => b[i]![0] === name && b[i]![1] === value);
}

async function endSession(op: number, session: number, owner: boolean): Promise<void> {
  savedSettings.delete(session);
  if (!owner) return;
  if (db.isInTransaction()) await runStep({ sql: 'ROLLBACK' }, op);
  await runStep({ sql: 'DISCARD ALL' }, op);
  restoredSettings = [];
}

function errorInfo(e: unknown): ErrorInfo {
  const err = (e ?? {}) as { message?: unknown; code?: unknown; position?: unknown; hint?: unknown; detail?: unknown };
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return { message: str(err.message) ?? String(e), code: str(err.code), position: str(err.position), hint: str(err.hint), detail: str(err.detail) };
}

/** Runs item `index` of the batch in flight (its steps, as op `op`); its outcome as the reply to send. */
async function runItem(index: number, op: number, steps: readonly Step[]): Promise<RunReply> {
  if (Atomics.load(cancelFlags, index) !== 0) return { type: 'skipped', op };
  currentItem = index;
  try {
    return { type: 'done', op, result: packRows(await runSteps(steps, op)) };
  } catch (e) {
    if (isCrash(e)) throw e;
    return { type: 'failed', op, error: errorInfo(e) };
  } finally {
    endItem();
  }
}

/** The items in order, each after its handover; stops at a refused handover. */
async function runBatch(items: readonly BatchItem[]): Promise<{ results: RunReply[]; refused?: { holds: string[] } }> {
  const results: RunReply[] = [];
  for (const [i, item] of items.entries()) {
    if (item.switch) {
      const { from, to, fromChangedSettings, fromMayHold } = item.switch;
      let switched: { switched: boolean; holds: string[] };
      try {
        switched = await switchSession(item.op, from, to, fromChangedSettings, fromMayHold);
      } catch (e) {
        // The incoming session's settings could not be restored: its statement reports why.
        if (isCrash(e)) throw e;
        results.push({ type: 'failed', op: item.op, error: errorInfo(e) });
        continue;
      }
      if (!switched.switched) return { results, refused: { holds: switched.holds } };
    }
    results.push(await runItem(i, item.op, item.steps));
  }
  return { results };
}

/** A WASM trap or an exit of Postgres: this PGlite is unusable. */
function isCrash(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'RuntimeError' || name === 'ExitStatus';
}

async function handle(req: WorkerRequest): Promise<void> {
  try {
    switch (req.type) {
      case 'batch':
        post({ type: 'batched', op: req.op, ...(await runBatch(req.items)) });
        return;
      case 'end':
        await endSession(req.op, req.session, req.owner);
        post({ type: 'ended', op: req.op });
        return;
    }
  } catch (e) {
    if (isCrash(e)) {
      // A WASM trap or an exit of Postgres: this PGlite is unusable. The main thread sees the
      // thread end and starts a new engine for the next statement.
      post({ type: 'failed', op: req.op, error: { message: `the embedded engine crashed: ${errorInfo(e).message}` } });
      process.exit(1);
    }
    post({ type: 'failed', op: req.op, error: errorInfo(e) });
  }
}

try {
  db = await start();
} catch (e) {
  const detail = process.env.CCQL_DEBUG && e instanceof Error ? `\n${e.stack}` : '';
  post({ type: 'start-failed', message: `${e instanceof Error ? e.message : String(e)}${detail}` });
  process.exit(1);
}
let chain = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  chain = chain.then(() => handle(req));
});
post({ type: 'ready' });
