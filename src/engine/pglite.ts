/**
 * The embedded engine: PGlite (PostgreSQL compiled to WASM), one instance per process, in a
 * worker thread of its own (pglite-worker.ts; why: see there), loaded from a cached
 * pre-initialized data directory (pglite-image.ts).
 *
 * Sessions. PGlite is one Postgres backend in single-user mode: one connection, one set of
 * settings, one transaction, one pg_temp schema. There is no multi-connection PGlite, and one
 * PGlite per session would cost each session the whole engine (about 100 MB). So the sessions
 * take turns on the one backend, and each keeps its own state while another has it:
 * - between two statements, the backend passes to another session that has work; the outgoing
 *   session's settings (pg_settings with source `session`, i.e. everything it SET; read again
 *   only after a statement that mentions SET, RESET, DISCARD or set_config) are saved and reset
 *   (RESET ALL), the incoming one's restored (set_config);
 * - what cannot be saved that way keeps the backend with its session: an open transaction, its
 *   temporary tables (ccql's materialized tables exist only during one statement, so only the
 *   user's own CREATE TEMP TABLE lasts longer), open cursors, prepared statements, LISTEN,
 *   advisory locks. Other sessions then wait (in arrival order) until the holder ends its
 *   transaction, drops those objects or closes; after `busyTimeoutMs` a waiting statement fails
 *   with an error that says what the other session holds;
 * - a closed session's state goes with it (ROLLBACK, DISCARD ALL).
 * So sessions are isolated (no session sees another's tables, settings or transaction), but
 * they are not concurrent: statements run one at a time, and a session that sits in an open
 * transaction blocks the others. Left out of the save/restore: sequences' currval/lastval and
 * the plan cache. For concurrent sessions, run the engine on PostgreSQL (`--engine postgres://…`).
 *
 * Cancellation: an aborted statement that has not started never runs; a running one is
 * interrupted inside PGlite (SQLSTATE 57014, see pglite-worker.ts). If it has not stopped
 * `hardCancelMs` later (a loop that never reaches the points where PGlite can be interrupted),
 * the worker is stopped: every session then gets one error saying its state is gone, and the
 * next statement starts a new engine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CcqlError } from '../errors.js';
import { baselineWasmOnly } from '../wasm-tiers.js';
import { cancelledBeforeStart, toEngineError, toNotice, type EngineColumn, type EngineOptions, type EngineSession, type QueryOptions, type QueryOutcome, type SharedEngine } from './engine.js';
import { SEARCH_PATH } from './functions.js';
import { dropStatement, materializeStatements } from './load.js';
import { engineCacheDir, imageFile, readImage } from './pglite-image.js';
import { unpackRows, type BatchItem, type RunResult, type Step, type WorkerAssets, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-messages.js';
import { parseRows, resultColumn } from './values.js';

const require = createRequire(import.meta.url);

export interface PgliteEngineOptions extends EngineOptions {
  /** How long a statement waits for a session that holds the backend (default 30 s). */
  busyTimeoutMs?: number;
  /** How long a cancelled statement may take to stop before the engine is stopped (default 5 s). */
  hardCancelMs?: number;
}

/** PGlite's own start parameters, with ccql's search_path and smaller shared memory. */
function startParams(): string[] {
  return [
    '--single',
    '-F',
    '-O',
    '-j',
    '-c',
    `search_path=${SEARCH_PATH}`,
    '-c',
    'exit_on_error=false',
    '-c',
    'log_checkpoints=false',
    '-c',
    'max_worker_processes=0',
    '-c',
    'max_parallel_workers=0',
    '-c',
    'max_parallel_workers_per_gather=0',
    '-c',
    'io_method=sync',
    '-c',
    'max_parallel_maintenance_workers=0',
    // One backend: the default 128 MB of shared buffers (and shared memory sized for 100
    // connections) would be mostly idle and cost as much memory as the rest of PGlite; the
    // files are in memory anyway, so a buffer miss is a copy, not a disk read. Materialized
    // tables are temporary tables, which use temp_buffers (8 MB), not these.
    '-c',
    'shared_buffers=8MB',
    '-c',
    'max_connections=4',
    '-c',
    'max_wal_senders=0',
    '-c',
    'autovacuum_worker_slots=1',
    // The cumulative statistics (pg_stat_activity's query, pg_stat_user_tables' counters) cost
    // every statement about a tenth of `select 1` here, for one backend whose activity nobody
    // watches and no autovacuum reads.
    '-c',
    'track_activities=off',
    '-c',
    'track_counts=off',
  ];
}

export function pgliteEngine(options: PgliteEngineOptions = {}): SharedEngine {
  return new PgliteEngine(options);
}

interface Job {
  op: number;
  session: PgliteSession;
  kind: 'run' | 'end';
  steps: Step[];
  signal?: AbortSignal | undefined;
  onNotice?: QueryOptions['onNotice'];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
  /** Set while the job waits for a session that holds the backend. */
  busyTimer?: NodeJS.Timeout | undefined;
  onAbort?: () => void;
  /**
   * What running it may leave on its session (MAY_CHANGE_SETTINGS, MAY_HOLD): marked on the
   * session when it runs, not when it is queued, so that a handover sent in between checks only
   * what has run and the next handover sees this.
   */
  marks: JobMarks;
}

interface JobMarks {
  settings?: boolean;
  hold?: boolean;
}

/** Most statements in one request to the worker (cancelFlags has one flag each). */
const MAX_BATCH = 64;

/** What advance() changes, to go back to when a handover is refused. */
interface EngineState {
  owner: PgliteSession | undefined;
  refused: string[] | undefined;
  sessions: Array<{ s: PgliteSession; saved: boolean; changedSettings: boolean; mayHold: boolean }>;
}

class PgliteEngine implements SharedEngine {
  readonly label = 'the embedded engine (PGlite)';
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  /** The worker once it said it is ready. */
  private upWorker: Worker | undefined;
  /** One flag per job of the request in flight, by its place in it: 1 cancels it (see pglite-worker.ts). */
  private readonly cancelFlags = new Int32Array(new SharedArrayBuffer(4 * MAX_BATCH));
  private nextOp = 1;
  private nextSession = 1;
  /** The session whose state is on the backend. */
  private owner: PgliteSession | undefined;
  private readonly queue: Job[] = [];
  /** The jobs of the request in flight, in their order in it (cancelFlags' indexes). */
  private inFlight: Job[] = [];
  /** What the owner held when a switch was last refused; cleared by the owner's next op. */
  private refused: string[] | undefined;
  private readonly sessions = new Set<PgliteSession>();
  /** Some session made code that others may call (MAKES_CODE): every switch checks from then on. */
  codeMayHold = false;
  private readonly pending = new Map<number, { resolve: (m: WorkerReply) => void; notice?: QueryOptions['onNotice'] }>();
  private readonly busyTimeoutMs: number;
  private readonly hardCancelMs: number;
  /** Callers waiting for the engine to start: while there are any, the worker keeps the process alive. */
  private waiting = 0;

  constructor(private readonly options: PgliteEngineOptions) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 30_000;
    this.hardCancelMs = options.hardCancelMs ?? 5_000;
  }

  async openSession(): Promise<EngineSession> {
    await this.started();
    const session = new PgliteSession(this, this.nextSession++);
    this.sessions.add(session);
    return session;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.stop(new CcqlError('engine', 'the embedded engine was closed'));
    if (worker) await worker.terminate();
  }

  /** start(), keeping the process alive until the engine is up. */
  private async started(): Promise<void> {
    const ready = this.start();
    this.waiting++;
    this.worker?.ref();
    try {
      await ready;
    } finally {
      this.waiting--;
      this.idle();
    }
  }

  /** Starts the worker (once). It does not keep the process alive by itself: see idle(). */
  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const cacheDir = engineCacheDir(this.options.cacheDir);
      const init: WorkerInit = {
        cacheDir,
        imageFile: imageFile(cacheDir),
        cancel: this.cancelFlags.buffer as SharedArrayBuffer,
        startParams: startParams(),
      };
      const worker = spawnWorker(init);
      worker.unref();
      this.worker = worker;
      // While the worker boots (a Node environment of its own), this thread compiles the WASM
      // (on V8's background threads) and reads the image; both go to the worker without a copy.
      void prepareAssets(init.imageFile).then((assets) => worker.postMessage(assets, assets.image ? [assets.image] : []));
      let started = false;
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') {
          started = true;
          this.upWorker = worker;
          this.idle();
          resolve();
        } else if (m.type === 'start-failed') {
          reject(startError(m.message, init.cacheDir));
        } else if (m.type === 'notice') {
          this.pending.get(m.op)?.notice?.(toNotice(m));
        } else {
          const p = this.pending.get(m.op);
          this.pending.delete(m.op);
          p?.resolve(m);
        }
      });
      worker.on('error', (e) => {
        if (!started) reject(startError(e.message, init.cacheDir));
        else this.lost(worker, `the embedded engine failed: ${e.message}`);
      });
      worker.on('exit', (code) => {
        if (!started) reject(startError(`its thread exited (${code})`, init.cacheDir));
        else this.lost(worker, 'the embedded engine stopped unexpectedly');
      });
    });
    this.ready.catch(() => {
      this.ready = undefined;
      this.worker = undefined;
    });
    return this.ready;
  }

  /** The worker died or was stopped: every session loses its state; the next use starts anew. */
  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.stop(
      new CcqlError('engine', message, {
        hint: 'the session’s temporary tables, settings and transaction are gone; the next statement starts a new engine',
      }),
    );
  }

  private stop(err: CcqlError): void {
    this.worker = undefined;
    this.ready = undefined;
    this.owner = undefined;
    this.refused = undefined;
    for (const p of this.pending.values()) p.resolve({ type: 'failed', op: 0, error: { message: err.message } });
    this.pending.clear();
    const jobs = [...this.queue, ...this.inFlight];
    this.queue.length = 0;
    this.inFlight = [];
    for (const j of jobs) this.finish(j, err);
    const told = new Set(jobs.map((j) => j.session));
    for (const s of this.sessions) {
      s.saved = false;
      s.changedSettings = false;
      s.mayHold = false;
      if (!told.has(s)) s.lostWith = err;
    }
  }

  /** Sends one request and waits for its reply. */
  private request(req: WorkerRequest, notice?: QueryOptions['onNotice']): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.pending.set(req.op, { resolve, ...(notice ? { notice } : {}) });
      this.worker!.postMessage(req);
    });
  }

  enqueue(session: PgliteSession, kind: Job['kind'], steps: Step[], options: QueryOptions = {}, marks: JobMarks = {}): Promise<RunResult> {
    const queue = (): Promise<RunResult> =>
      new Promise<RunResult>((resolve, reject) => {
        if (options.signal?.aborted) return reject(cancelledBeforeStart(options.signal));
        const job: Job = { op: this.nextOp++, session, kind, steps, signal: options.signal, onNotice: options.onNotice, resolve, reject, marks };
        if (options.signal) {
          const signal = options.signal;
          job.onAbort = () => this.abort(job, signal);
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        this.queue.push(job);
        this.worker?.ref();
        this.pump();
      });
    // Once the engine is up a statement goes straight to the queue (a server runs thousands a second).
    return this.worker !== undefined && this.worker === this.upWorker ? queue() : this.started().then(queue);
  }

  private abort(job: Job, signal: AbortSignal): void {
    const queued = this.queue.indexOf(job);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      this.finish(job, cancelledBeforeStart(signal));
      this.pump();
      return;
    }
    const at = this.inFlight.indexOf(job);
    if (at === -1) return;
    Atomics.store(this.cancelFlags, at, 1);
    const worker = this.worker;
    const timer = setTimeout(() => {
      if (!this.inFlight.includes(job) || this.worker !== worker || !worker) return;
      this.lost(worker, `the embedded engine was stopped: a cancelled statement had not stopped after ${this.hardCancelMs / 1000} s`);
      void worker.terminate();
    }, this.hardCancelMs);
    timer.unref();
  }

  private finish(job: Job, err: unknown, result?: RunResult): void {
    if (job.busyTimer) clearTimeout(job.busyTimer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (err === undefined) job.resolve(result!);
    else job.reject(err);
  }

  /**
   * Sends the worker what can run now: the queued statements in order, up to the next session
   * end, in one request, each with the handover it needs (the worker makes it just before). So
   * while the engine works, statements of other sessions gather, and they cost one round trip
   * between the threads together instead of one each.
   */
  private pump(): void {
    if (this.inFlight.length > 0) return;
    if (!this.worker) {
      // The engine stopped between a job's start check and its turn: start a new one for it.
      if (this.queue.length > 0) {
        this.started().then(
          () => this.pump(),
          (e: unknown) => {
            for (const j of this.queue.splice(0)) this.finish(j, e);
          },
        );
      }
      return;
    }
    const next = this.queue[0];
    if (!next) return this.idle();
    // A session that ends never needs the backend handed over: it only gives it up.
    if (next.kind === 'end') return this.end(next);
    if (this.refused) {
      // The owner holds the backend: its own jobs go first, the others wait for it.
      const own = this.queue.find((j) => j.session === this.owner && j.kind === 'run');
      if (own) return this.runBatch([own]);
      for (const j of this.queue) this.armBusyTimer(j);
      return;
    }
    const batch: Job[] = [];
    for (const j of this.queue) {
      if (j.kind !== 'run' || batch.length === MAX_BATCH) break;
      batch.push(j);
    }
    this.runBatch(batch);
  }

  private runBatch(jobs: Job[]): void {
    for (const j of jobs) this.queue.splice(this.queue.indexOf(j), 1);
    this.inFlight = jobs;
    this.cancelFlags.fill(0);
    // Only a handover can be refused: a batch of the owner's own statements needs no way back.
    const before = jobs.every((j) => j.session === this.owner) ? undefined : this.snapshot(jobs);
    const items = this.advance(jobs, jobs.length);
    // Each job's notices come under its own op.
    for (const j of jobs) if (j.onNotice) this.pending.set(j.op, { resolve: () => undefined, notice: j.onNotice });
    void this.request({ type: 'batch', op: this.nextOp++, items }).then((reply) => {
      for (const j of jobs) this.pending.delete(j.op);
      if (!this.worker || this.inFlight !== jobs) return; // the engine was stopped meanwhile: the jobs have failed already
      this.inFlight = [];
      if (reply.type !== 'batched') {
        for (const j of jobs) this.settle(j, reply);
        return this.pump();
      }
      const done = reply.results.length;
      if (reply.refused) {
        // The handover before jobs[done] was refused: the state is what the jobs before it made.
        if (before) this.restore(before);
        this.advance(jobs, done);
        const from = this.owner;
        if (from) {
          from.mayHold = true;
          from.changedSettings ||= items[done]!.switch!.fromChangedSettings;
        }
        this.refused = reply.refused.holds;
        const back = jobs.slice(done).filter((j) => {
          if (!j.signal?.aborted) return true;
          this.finish(j, cancelledBeforeStart(j.signal));
          return false;
        });
        this.queue.unshift(...back);
      }
      reply.results.forEach((r, i) => this.settle(jobs[i]!, r));
      this.pump();
    });
  }

  /**
   * Moves the engine's idea of the backend through the first `count` of `jobs`, as the worker
   * will run them (the owner, what each session may hold or have set), and returns the items to
   * send: each job with the handover it needs. Marks are set as a job runs, not as it is queued,
   * so that a handover checks what has run before it.
   */
  private advance(jobs: readonly Job[], count: number): BatchItem[] {
    const items: BatchItem[] = [];
    for (const job of jobs.slice(0, count)) {
      const item: BatchItem = { op: job.op, session: job.session.id, steps: job.steps };
      const from = this.owner;
      if (job.session !== from && !(from === undefined && !job.session.saved)) {
        item.switch = { from: from?.id, to: job.session.id, fromChangedSettings: from?.changedSettings ?? false, fromMayHold: from !== undefined && (from.mayHold || this.codeMayHold) };
        if (from) {
          from.changedSettings = false;
          from.mayHold = false;
          from.saved = true;
        }
        job.session.saved = false;
      }
      this.owner = job.session;
      this.refused = undefined;
      if (job.marks.settings) job.session.changedSettings = true;
      if (job.marks.hold) job.session.mayHold = true;
      items.push(item);
    }
    return items;
  }

  private snapshot(jobs: readonly Job[]): EngineState {
    const sessions = new Set(jobs.map((j) => j.session));
    if (this.owner) sessions.add(this.owner);
    return { owner: this.owner, refused: this.refused, sessions: [...sessions].map((s) => ({ s, saved: s.saved, changedSettings: s.changedSettings, mayHold: s.mayHold })) };
  }

  private restore(state: EngineState): void {
    this.owner = state.owner;
    this.refused = state.refused;
    for (const { s, saved, changedSettings, mayHold } of state.sessions) Object.assign(s, { saved, changedSettings, mayHold });
  }

  private end(job: Job): void {
    const owns = job.session === this.owner;
    this.queue.splice(this.queue.indexOf(job), 1);
    this.inFlight = [job];
    if (job.busyTimer) clearTimeout(job.busyTimer);
    job.busyTimer = undefined;
    void this.request({ type: 'end', op: job.op, session: job.session.id, owner: owns }).then((reply) => {
      if (this.inFlight[0] !== job) return; // the engine was stopped meanwhile: the job has failed already
      this.inFlight = [];
      if (owns) {
        this.owner = undefined;
        this.refused = undefined;
      }
      this.settle(job, reply);
      this.pump();
    });
  }

  private armBusyTimer(job: Job): void {
    if (job.busyTimer || job.session === this.owner) return;
    const held = this.refused ?? [];
    job.busyTimer = setTimeout(() => {
      const i = this.queue.indexOf(job);
      if (i === -1) {
        // In a request right now: if its handover is refused, it waits again, timed anew.
        job.busyTimer = undefined;
        return;
      }
      this.queue.splice(i, 1);
      this.finish(
        job,
        new CcqlError('engine', `the embedded engine is busy: another session holds it (${held.join(', ') || 'it is in use'}) and has for ${this.busyTimeoutMs / 1000} s`, {
          sqlstate: '55006',
          hint: 'PGlite runs one session at a time, and a session keeps it while it has an open transaction, temporary tables, cursors or prepared statements; end those in the other session, or use --engine postgres://… for concurrent sessions',
        }),
      );
      this.pump();
    }, this.busyTimeoutMs);
  }

  /** Ends `job` with the worker's reply to it. */
  private settle(job: Job, reply: WorkerReply | undefined): void {
    if (reply?.type === 'done') this.finish(job, undefined, reply.result);
    else if (reply?.type === 'ended') this.finish(job, undefined, { rows: [], command: '' });
    else if (reply?.type === 'failed') this.finish(job, toEngineError(reply.error));
    else if (reply?.type === 'skipped') this.finish(job, job.signal ? cancelledBeforeStart(job.signal) : new CcqlError('cancelled', 'statement cancelled'));
    else this.finish(job, new CcqlError('internal', `unexpected reply from the engine: ${reply?.type ?? 'none'}`));
  }

  /** Nothing to do: let the process exit while the engine waits (it holds no unsaved data). */
  private idle(): void {
    if (this.inFlight.length === 0 && this.queue.length === 0 && this.waiting === 0) this.worker?.unref();
  }

  forget(session: PgliteSession): void {
    this.sessions.delete(session);
  }
}

/**
 * A statement that may change session settings: SET (also in UPDATE … SET, which costs only a
 * needless re-read), RESET, DISCARD, set_config(). A function that calls set_config() itself,
 * called by a statement that names none of these, is missed: see docs/engine.md.
 */
const MAY_CHANGE_SETTINGS = /\b(set|reset|discard)\b|set_config/i;

/**
 * A statement that may leave the session holding what a switch cannot carry (see holds() in
 * pglite-worker.ts): temporary tables, cursors, prepared statements, LISTEN, advisory locks.
 * Checking costs about 1.3 ms a switch, six times `select 1`, so it is skipped for a session
 * whose statements since it last took the backend name none of these.
 */
const MAY_HOLD = /\b(temp|temporary|pg_temp|declare|cursor|prepare|listen)\b|advisory/i;

/**
 * A statement that makes code others may run (a function, procedure, trigger, rule or view, a
 * DO block, an extension): what its callers may end up holding cannot be told from their text,
 * so from then on every switch checks.
 */
const MAKES_CODE = /\b(function|procedure|trigger|rule|view|do|extension|execute)\b/i;

class PgliteSession implements EngineSession {
  private closed = false;
  /** Its settings are saved in the worker (it was switched out): taking the backend restores them. */
  saved = false;
  /** It ran a statement that may have changed its settings since it last took the backend. */
  changedSettings = false;
  /** It ran a statement that may have left it holding the backend (MAY_HOLD) since it last gave it up. */
  mayHold = false;
  /** Set when the engine stopped under this session: its next call reports it once. */
  lostWith: CcqlError | undefined;

  constructor(
    private readonly engine: PgliteEngine,
    readonly id: number,
  ) {}

  async materialize(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    // Temporary tables, dropped after the statement; checked at the next switch all the same.
    await this.enqueue(materializeStatements(name, columns, rows), {}, { hold: true });
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
    if (MAKES_CODE.test(sql)) this.engine.codeMayHold = true;
    const r = await this.enqueue([{ sql }], options, { settings: MAY_CHANGE_SETTINGS.test(sql), hold: MAY_HOLD.test(sql) });
    const columns = (r.fields ?? []).map(resultColumn);
    const rows = r.fields ? parseRows(r.fields, unpackRows(r)) : [];
    return { columns, rows, command: r.command, returnsRows: r.fields !== undefined };
  }

  async drop(names: readonly string[]): Promise<void> {
    const stmt = dropStatement(names);
    if (stmt) await this.enqueue([stmt]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.forget(this);
    if (this.lostWith) return;
    await this.engine.enqueue(this, 'end', []).catch(() => undefined);
  }

  private enqueue(steps: Step[], options: QueryOptions = {}, marks: JobMarks = {}): Promise<RunResult> {
    if (this.closed) return Promise.reject(new CcqlError('internal', 'the engine session is closed'));
    const lost = this.lostWith;
    if (lost) {
      this.lostWith = undefined;
      return Promise.reject(lost);
    }
    return this.engine.enqueue(this, 'run', steps, options, marks);
  }
}

/** The PGlite WASM compiled, and the cached image read, for the worker. */
async function prepareAssets(file: string): Promise<WorkerAssets> {
  baselineWasmOnly();
  const image = readImage(file);
  const buffer = image ? (image.byteOffset === 0 && image.byteLength === image.buffer.byteLength ? image.buffer : image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength)) : undefined;
  try {
    const wasm = readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), 'pglite.wasm'));
    const module = await (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<unknown> } }).WebAssembly.compile(wasm);
    return { type: 'assets', module, image: buffer as ArrayBuffer | undefined };
  } catch (e) {
    return { type: 'assets', image: buffer as ArrayBuffer | undefined, compileError: e instanceof Error ? e.message : String(e) };
  }
}

function startError(reason: string, cacheDir: string): CcqlError {
  return new CcqlError('engine', `cannot start the embedded engine (PGlite): ${reason}`, {
    hint: `its cached data directory is in ${cacheDir} (pglite-*.tar); removing it makes ccql build it again`,
  });
}

/**
 * The worker: dist/engine/pglite-worker.js when running the built program; from the sources
 * (tests, tsx) the .ts file, through tsx's loader.
 */
function spawnWorker(init: WorkerInit): Worker {
  // Not every flag of this process suits the worker (--input-type, -e… make it fail): only
  // those about profiling, memory and diagnostics go along.
  const execArgv = process.execArgv.filter((a) => /^--(cpu-prof|heap-prof|prof|max-old-space-size|stack-size|enable-source-maps|no-warnings|trace-)/.test(a));
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./pglite-worker.js', here), { workerData: init, execArgv });
  const target = new URL('./pglite-worker.ts', here).href;
  const pkg = require.resolve('tsx/package.json');
  const api = (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(join(dirname(pkg), api)).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(code, { eval: true, workerData: init, execArgv });
}
