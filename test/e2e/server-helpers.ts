/**
 * Helpers for the wire server's tests: a server in this process over the emulator (started
 * in process too, on ephemeral ports), raw protocol sockets read with pg-protocol (the
 * oracle: the client-side parser node-postgres uses), and `ccql serve` spawned from bin/ccql.js.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Catalog } from '../../src/catalog/loader.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Session } from '../../src/exec/session.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/server.js';
import { BIN, ROOT } from './cli-helpers.js';

/** The engine's initialized data directory and parsed providers, shared by every test process. */
const SHARED_CACHE = join(tmpdir(), 'ccql-e2e-cache');

export interface TestServer {
  server: RunningServer;
  emulator: RunningEmulator;
  port: number;
  /** API calls per operation since the last reset. */
  calls(): Record<string, number>;
  resetCalls(): void;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<ServeOptions> & { latencyMs?: number } = {}): Promise<TestServer> {
  mkdirSync(SHARED_CACHE, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'ccql-serve-'));
  const catalog = new Catalog({ cacheDir: join(SHARED_CACHE, 'providers') });
  const emulator = await startEmulator({ port: 0, seed: 'demo', dataFile: join(dir, 'emulator.json'), quiet: true, catalog, ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}) });
  const { latencyMs: _latency, ...serve } = options;
  void _latency;
  const server = await startServer({
    port: 0,
    catalog,
    createSession: () =>
      new Session({
        catalog,
        endpointUrl: emulator.url,
        region: 'us-east-1',
        regionSource: 'test',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        engineCacheDir: SHARED_CACHE,
      }),
    ...serve,
  });
  return {
    server,
    emulator,
    port: server.port,
    calls: () => ({ ...emulator.stats().calls }),
    resetCalls: () => emulator.resetStats(),
    stop: async () => {
      await server.close();
      await emulator.stop();
    },
  };
}

/** A raw protocol connection: write bytes, read backend messages parsed by pg-protocol. */
export class RawClient {
  readonly messages: BackendMessage[] = [];
  readonly raw: Buffer[] = [];
  closed = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('close', () => {
      this.socket.removeAllListeners('data');
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawClient> {
    const socket = netConnect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** From now on, parse what arrives as protocol messages (after any single-byte SSL answers). */
  parseMessages(): void {
    const parser = new Parser();
    this.socket.on('data', (d: Buffer) => {
      this.raw.push(d);
      parser.parse(d, (m) => {
        this.messages.push(m);
        this.wake();
      });
    });
  }

  /** The raw bytes received so far as (type, body) frames (pg-protocol reads no binary DataRows). */
  frames(): Array<{ type: string; body: Buffer }> {
    const all = Buffer.concat(this.raw);
    const out: Array<{ type: string; body: Buffer }> = [];
    for (let at = 0; at + 5 <= all.length; ) {
      const len = all.readInt32BE(at + 1);
      out.push({ type: String.fromCharCode(all[at]!), body: all.subarray(at + 5, at + 1 + len) });
      at += 1 + len;
    }
    return out;
  }

  /** Collects raw bytes (for SSLRequest's one-byte answer). */
  collectRaw(): void {
    this.socket.on('data', (d: Buffer) => {
      this.raw.push(d);
      this.wake();
    });
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until a message named `name` has arrived (or the socket closed); returns the messages so far. */
  async until(predicate: (m: BackendMessage[]) => boolean, timeoutMs = 30_000): Promise<BackendMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (this.closed) return this.messages;
      if (Date.now() > deadline) throw new Error(`timed out; got ${this.messages.map((m) => m.name).join(', ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.messages;
  }

  async untilName(name: string, count = 1): Promise<BackendMessage[]> {
    return this.until((ms) => ms.filter((m) => m.name === name).length >= count);
  }

  end(): void {
    this.socket.destroy();
  }
}

// ---- frontend messages, written by hand (pg-protocol's serializer is the client's, and these
// tests also need the malformed ones) -----------------------------------------------------------

export function startupMessage(params: Record<string, string>, version = 196608): Buffer {
  const body = Buffer.concat([int32(version), ...Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]), Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}

export function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(body.length + 4), body]);
}

export const query = (sql: string): Buffer => message('Q', cstr(sql));

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

export function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

/** A connection past startup (no password), ReadyForQuery received. */
export async function readyClient(port: number, params: Record<string, string> = {}): Promise<RawClient> {
  const c = await RawClient.open(port);
  c.parseMessages();
  c.write(startupMessage({ user: 'ccql', database: 'ccql', ...params }));
  await c.untilName('readyForQuery');
  return c;
}

/** `ccql serve …` from bin/ccql.js; resolves once it listens, with its port. */
export async function spawnServe(args: string[], env: Record<string, string>): Promise<{ port: number; child: ChildProcess; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ccql serve did not start:\n${stderr}`)), 60_000);
    const check = (): void => {
      const m = /listening on [^\s]+:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stderr!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ccql serve exited (${code}):\n${stderr}`));
    });
  });
  return {
    port,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A scratch directory for one test's files. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'ccql-serve-test-'));
}

/**
 * A system client a test needs (`/usr/bin/python3 -c 'import psycopg2'`): when missing, a
 * failure under CI=true (CI must have it) and otherwise a skip with the reason printed.
 */
export function requireClient(label: string, command: string, args: string[], aptPackage: string): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (!r.error && r.status === 0) return true;
  const reason = `${label} is not installed (apt-get install -y ${aptPackage})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  console.warn(`skipping: ${reason}`);
  return false;
}

/** Runs a command to its end with `input` on stdin. */
export function runClient(command: string, args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? (process.env as Record<string, string>), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
