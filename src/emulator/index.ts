/**
 * The local Cloud Control emulator, started in process: what `ccql emulator` runs, what `--local`
 * embeds, and what tests and benchmarks start on an ephemeral port.
 *
 *   const emu = await startEmulator({ port: 0, seed: 'none' });
 *   const client = new CloudControlClient({ endpoint: emu.url, region: 'us-east-1', credentials });
 *   …
 *   await emu.stop();
 *
 * For tests and benchmarks that need many resources (C's fault test: 300 stages; its bench: 500),
 * `emu.seedResources(typeName, region, models)` creates them directly in the store — no HTTP, no
 * requests, no API call counted in /_ccql/stats — with read-only properties generated and each
 * model validated as CreateResource would, and returns each resource's identifier and visible
 * properties:
 *
 *   const stages = emu.seedResources('AWS::IVS::Stage', 'us-east-1',
 *     Array.from({ length: 300 }, (_, i) => ({ Name: `stage-${i}` })));
 *   stages[0].identifier  // arn:aws:ivs:us-east-1:123456789012:stage/…
 */
import { dirname, join } from 'node:path';
import { Catalog } from '../catalog/loader.js';
import { CcqlError } from '../errors.js';
import { ccqlHome } from '../home.js';
import { ApiError } from './api-error.js';
import { DEFAULT_LOCK_TIMEOUT_MS, fileVersion, loadState, removeStaleTemporaries, saveSnapshot, withLock, withLockSync, type StateLock } from './persistence.js';
import type { JsonObject } from '../schema/pointer.js';
import { seedDemo } from './seed.js';
import { EmulatorHttp, StateUnavailableError, type CallStats } from './server.js';
import { CloudControlService, type SeededResource } from './service.js';
import type { StoreSnapshot } from './store.js';

export { CloudControlService, OPERATIONS, type SeededResource, type OperationNameApi } from './service.js';
export { ApiError } from './api-error.js';
export type { CallStats } from './server.js';
export { ACCOUNT_ID } from './values.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port; default 4566. */
  port?: number;
  /**
   * Keep the state in this file: read at start, re-read when another process changed it, and
   * written atomically under a lock before each change is answered (see persistence.ts), so
   * several processes may share it.
   */
  dataFile?: string;
  /** How long a call waits for another process's lock on the data file (default 10 s). */
  lockTimeoutMs?: number;
  /** Added to every API call, in milliseconds. */
  latencyMs?: number;
  /** Token-bucket rate limit per region, requests per second (0 or absent: none). */
  throttleRps?: number;
  /** Fraction of API calls (0–1) answered with a retryable 5xx error. */
  faultRate?: number;
  /** ListResources page size (default 25). */
  pageSize?: number;
  /** 'demo' creates a small believable account when the state is new (no data file yet). */
  seed?: 'demo' | 'none';
  /** How long a mutation stays IN_PROGRESS, in milliseconds (default 0). */
  requestDelayMs?: number;
  catalog?: Catalog;
  /** No log lines on stderr. */
  quiet?: boolean;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Stops listening, closes connections and writes what is left to write of the data file. */
  stop(): Promise<void>;
  /** The in-process service (the same state the HTTP endpoint serves). */
  service: CloudControlService;
  /** Creates resources directly in the store (see the module comment). Throws ApiError on an invalid model. */
  seedResources(typeName: string, region: string, models: readonly JsonObject[]): SeededResource[];
  /** Calls per operation so far (what GET /_ccql/stats answers). */
  stats(): CallStats;
  /** Zeroes the call counts (what POST /_ccql/reset does). */
  resetStats(): void;
}

/** Where `--local` keeps its state: `$CCQL_HOME/local/emulator.json`. */
export function localDataFile(): string {
  return join(ccqlHome(), 'local', 'emulator.json');
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 4566;
  checkOptions(opts, port);
  const catalog = opts.catalog ?? new Catalog();
  const log = (line: string): void => {
    if (!opts.quiet) process.stderr.write(`ccql emulator: ${line}\n`);
  };

  let state: SharedState | undefined;
  const service = new CloudControlService({
    catalog,
    pageSize: opts.pageSize ?? 25,
    requestDelayMs: opts.requestDelayMs ?? 0,
    onChange: () => state?.changed(),
  });
  if (opts.dataFile) {
    state = new SharedState(opts.dataFile, service, opts.seed ?? 'none', opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, log);
    await state.open();
  } else if (opts.seed === 'demo') {
    seedDemo(service);
  }
  const run = state ? <T>(fn: () => T): Promise<T> => state.transaction(fn) : <T>(fn: () => T): Promise<T> => Promise.resolve(fn());

  const http = new EmulatorHttp(service, {
    latencyMs: opts.latencyMs ?? 0,
    throttleRps: opts.throttleRps ?? 0,
    faultRate: opts.faultRate ?? 0,
    quiet: opts.quiet ?? false,
    run: async (fn) => {
      try {
        return await run(fn);
      } catch (e) {
        // What the client sees when its call could not be made durable (or the state read).
        if (e instanceof StateError) throw new StateUnavailableError(e.hint ? `${e.message}; ${e.hint}` : e.message);
        throw e;
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EADDRINUSE') {
        reject(new CcqlError('usage', `port ${port} on ${host} is already in use`, { hint: 'choose another with --port (0 picks a free one)' }));
      } else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
        reject(new CcqlError('usage', `cannot listen on host ${host}: ${e.code}`, { hint: 'use an address of this machine, e.g. 127.0.0.1' }));
      } else {
        reject(new CcqlError('internal', `cannot start the emulator: ${e.message}`));
      }
    };
    http.server.once('error', onError);
    http.server.listen(port, host, () => {
      http.server.off('error', onError);
      resolve();
    });
  });
  const address = http.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    service,
    seedResources(typeName, region, models) {
      return state ? state.transactionSync(() => service.seed(typeName, region, models)) : service.seed(typeName, region, models);
    },
    stats: () => structuredClone(http.stats),
    resetStats: () => http.resetStats(),
    stop() {
      stopped ??= (async () => {
        service.stop();
        const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeAllConnections();
        await closed;
        // Everything a client was answered for is on disk already; what is left is requests
        // completed by their timer since, which the next start completes again if this fails.
        if (state) await state.flushPending();
      })();
      return stopped;
    },
  };
}

function checkOptions(opts: EmulatorOptions, port: number): void {
  const bad = (what: string, hint: string): CcqlError => new CcqlError('usage', what, { hint });
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw bad(`invalid port ${port}`, 'a port is an integer from 0 to 65535 (0 picks a free one)');
  for (const [name, v] of [
    ['latency', opts.latencyMs],
    ['throttle rate', opts.throttleRps],
    ['request delay', opts.requestDelayMs],
    ['lock timeout', opts.lockTimeoutMs],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw bad(`invalid ${name} ${v}`, 'give a number of 0 or more');
  }
  if (opts.faultRate !== undefined && (!Number.isFinite(opts.faultRate) || opts.faultRate < 0 || opts.faultRate > 1)) {
    throw bad(`invalid fault rate ${opts.faultRate}`, 'give a fraction from 0 to 1, e.g. 0.05');
  }
  if (opts.pageSize !== undefined && (!Number.isInteger(opts.pageSize) || opts.pageSize < 1 || opts.pageSize > 100)) {
    throw bad(`invalid page size ${opts.pageSize}`, 'give an integer from 1 to 100');
  }
  if (opts.seed !== undefined && opts.seed !== 'demo' && opts.seed !== 'none') throw bad(`invalid seed '${String(opts.seed)}'`, "use 'demo' or 'none'");
}

/** The state could not be locked, read or written; what the call changed was not kept. */
export class StateError extends CcqlError {}

/** What the call itself threw, carried through the lock unchanged. */
class FromCall {
  constructor(readonly error: unknown) {}
}

function unwrap(e: unknown): unknown {
  if (e instanceof FromCall) return e.error;
  if (e instanceof CcqlError && !(e instanceof StateError)) {
    return new StateError(e.code, e.message, { ...(e.hint ? { hint: e.hint } : {}), ...(e.location ? { location: e.location } : {}), cause: e });
  }
  return e;
}

const EMPTY: StoreSnapshot = { format: 'ccql-emulator', version: 1, seq: 0, resources: [], requests: [] };

/**
 * The service's state kept in a data file shared with other processes. The file is the truth and
 * memory a copy of it: every call runs as a transaction that takes the file's lock, re-reads the
 * file if another process wrote it since, runs the call, and writes the file if the call changed
 * anything, before the call is answered.
 *
 * A change that cannot be written (a full disk, a read-only directory) is rolled back: memory is
 * read again from the file, which the failed atomic write left as it was, and the call fails
 * with the reason, so nothing a client was told succeeded is lost. Changes made outside a call
 * (a request completing on its timer) are written by a transaction of their own soon after; if
 * that fails, the request stays in progress in the file and completes at the next call or start.
 */
class SharedState {
  /** What memory holds: a copy of the file at a generation, a new state (no file yet), or neither. */
  private memory: { kind: 'stale' } | { kind: 'new' } | { kind: 'file'; generation: string | undefined } = { kind: 'stale' };
  private dirty = false;
  private inTransaction = false;
  private background: Promise<void> | undefined;
  /** The last write made outside a call failed; the next call's transaction writes instead. */
  private backgroundFailed = false;

  constructor(
    private readonly file: string,
    private readonly service: CloudControlService,
    private readonly seed: 'demo' | 'none',
    private readonly lockTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads (or creates, seeded) the state; the file exists afterwards, so a later start does not seed again. */
  async open(): Promise<void> {
    await withLock(
      this.file,
      (lock) => {
        if (!lock.unavailable) removeStaleTemporaries(this.file);
        this.inTransaction = true;
        try {
          this.refresh();
          if (this.memory.kind === 'new') this.dirty = true;
          if (this.dirty) this.persist(lock, false);
        } finally {
          this.inTransaction = false;
        }
      },
      this.lockTimeoutMs,
    );
  }

  /** Called by the service whenever its state changed. */
  changed(): void {
    this.dirty = true;
    if (this.inTransaction || this.backgroundFailed) return;
    // A change outside a call: write it soon, under the lock like any other. After a failure,
    // the next call's transaction tries again (no retry loop of its own).
    this.background ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.transaction(() => undefined))
      .catch((e: unknown) => {
        this.backgroundFailed = true;
        this.log(`${(e as Error).message}; the requests it completed stay in progress in the file and complete at the next call`);
      })
      .finally(() => {
        this.background = undefined;
      });
  }

  /**
   * Runs `fn` (a call) as a transaction. Rejects with what `fn` threw, or with a StateError when
   * the state could not be locked, read or written (then nothing `fn` changed was kept).
   */
  async transaction<T>(fn: () => T): Promise<T> {
    try {
      return await withLock(this.file, (lock) => this.run(lock, fn), this.lockTimeoutMs);
    } catch (e) {
      throw unwrap(e);
    }
  }

  transactionSync<T>(fn: () => T): T {
    try {
      return withLockSync(this.file, (lock) => this.run(lock, fn), this.lockTimeoutMs);
    } catch (e) {
      throw unwrap(e);
    }
  }

  /** At stop: writes changes made outside a call, if any (reporting, not throwing, a failure). */
  async flushPending(): Promise<void> {
    await this.background;
    if (!this.dirty) return;
    try {
      await this.transaction(() => undefined);
    } catch (e) {
      this.log(`${(e as Error).message}; requests completed since the last write complete again at the next start`);
    }
  }

  private run<T>(lock: StateLock, fn: () => T): T {
    this.inTransaction = true;
    try {
      this.refresh();
      let result: T;
      try {
        result = fn();
      } catch (e) {
        // An error answer may still have changed state (requests completed on the way).
        if (this.dirty) this.persist(lock, true);
        throw new FromCall(e);
      }
      if (this.dirty) this.persist(lock, true);
      return result;
    } finally {
      this.inTransaction = false;
    }
  }

  /** Brings memory up to the file: re-read when another process wrote it, a new state when there is none. */
  private refresh(): void {
    const version = fileVersion(this.file);
    if (version.kind === 'present' && this.memory.kind === 'file' && this.memory.generation !== undefined && this.memory.generation === version.generation) return;
    const loaded = version.kind === 'present' ? loadState(this.file) : undefined;
    if (loaded) {
      // What memory had that the file has not is superseded: the file is the truth.
      this.dirty = false;
      this.service.restore(loaded.snapshot);
      this.memory = { kind: 'file', generation: loaded.generation };
      return;
    }
    if (this.memory.kind === 'new') return;
    // No file (yet, or deleted to start again): the state a first start has.
    this.service.restore(EMPTY);
    if (this.seed === 'demo') seedDemo(this.service);
    this.dirty = false;
    this.memory = { kind: 'new' };
  }

  /** Writes memory to the file; on failure rolls back and throws (saying the call's change was not made). */
  private persist(lock: StateLock, inCall: boolean): void {
    try {
      if (lock.unavailable) {
        throw new CcqlError('internal', `cannot write emulator data file ${this.file}: ${lock.unavailable}`, {
          location: { file: this.file },
          hint: `make ${dirname(this.file)} writable by this user, then retry`,
        });
      }
      const generation = saveSnapshot(this.file, this.service.store.snapshot());
      this.memory = { kind: 'file', generation };
      this.dirty = false;
      this.backgroundFailed = false;
    } catch (e) {
      this.rollback();
      const err = e instanceof CcqlError ? e : new CcqlError('internal', (e as Error).message);
      if (!inCall) throw err;
      throw new CcqlError('internal', `the change was not saved, so it was not made: ${err.message}`, { ...(err.hint ? { hint: err.hint } : {}), cause: e });
    }
  }

  /** Back to what the file holds (a failed atomic write leaves it as it was). */
  private rollback(): void {
    this.memory = { kind: 'stale' };
    try {
      this.refresh();
      // Reading it completed requests that were due, which could not be written either: keep
      // memory marked stale so that no call answers with a completion the file does not have.
      if (this.dirty) this.memory = { kind: 'stale' };
    } catch {
      // Read again at the next call, which reports why it cannot be.
    }
    this.dirty = false;
  }
}

/** True for errors the emulator answers API calls with (for callers of `service.call`). */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
