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
import { join } from 'node:path';
import { Catalog } from '../catalog/loader.js';
import { CcqlError } from '../errors.js';
import { ccqlHome } from '../home.js';
import { ApiError } from './api-error.js';
import { loadSnapshot, saveSnapshot } from './persistence.js';
import type { JsonObject } from '../schema/pointer.js';
import { seedDemo } from './seed.js';
import { EmulatorHttp, type CallStats } from './server.js';
import { CloudControlService, type SeededResource } from './service.js';

export { CloudControlService, OPERATIONS, type SeededResource, type OperationNameApi } from './service.js';
export { ApiError } from './api-error.js';
export type { CallStats } from './server.js';
export { ACCOUNT_ID } from './values.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port; default 4566. */
  port?: number;
  /** Persist state to this file (written atomically after every change; read at start). */
  dataFile?: string;
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
  /** Stops listening, closes connections and writes the data file. */
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
  const dataFile = opts.dataFile;

  let dirty = false;
  let flushQueued = false;
  const flush = (): void => {
    if (!dirty || !dataFile) return;
    dirty = false;
    saveSnapshot(dataFile, service.store.snapshot());
  };
  const service = new CloudControlService({
    catalog,
    pageSize: opts.pageSize ?? 25,
    requestDelayMs: opts.requestDelayMs ?? 0,
    onChange: () => {
      dirty = true;
      // Changes made outside a call (a request completing on its timer) are written soon after.
      if (dataFile && !flushQueued) {
        flushQueued = true;
        setImmediate(() => {
          flushQueued = false;
          try {
            flush();
          } catch (e) {
            if (!opts.quiet) process.stderr.write(`ccql emulator: ${(e as Error).message}\n`);
          }
        });
      }
    },
  });

  const snapshot = dataFile ? loadSnapshot(dataFile) : undefined;
  if (snapshot) service.restore(snapshot);
  else if (opts.seed === 'demo') seedDemo(service);
  flush();
  if (dataFile && !snapshot) {
    dirty = true;
    flush(); // the file exists from the first start, so a later start does not seed again
  }

  const http = new EmulatorHttp(service, {
    latencyMs: opts.latencyMs ?? 0,
    throttleRps: opts.throttleRps ?? 0,
    faultRate: opts.faultRate ?? 0,
    quiet: opts.quiet ?? false,
    afterCall: flush,
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
      const out = service.seed(typeName, region, models);
      flush();
      return out;
    },
    stats: () => structuredClone(http.stats),
    resetStats: () => http.resetStats(),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        service.stop();
        http.server.close(() => resolve());
        http.server.closeAllConnections();
        flush();
      });
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

/** True for errors the emulator answers API calls with (for callers of `service.call`). */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
