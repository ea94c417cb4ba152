/**
 * Golden-test harness: an in-process emulator on an ephemeral port, a Session talking to it
 * through the real AWS SDK over HTTP, and the emulator's call counts read over HTTP
 * (GET /_ccql/stats, zeroed with POST /_ccql/reset before each statement).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { CcqlError } from '../../src/errors.js';
import type { Notice, RowsResult, StatementResult } from '../../src/result.js';
import { Session, type SessionOptions } from '../../src/exec/session.js';

// One ccql home for all test files: the engine's initialized data directory is built once.
const home = join(tmpdir(), 'ccql-test-home');
mkdirSync(home, { recursive: true });
process.env.CCQL_HOME = home;

export const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export interface Outcome {
  results: StatementResult[];
  notices: Notice[];
  error: CcqlError | undefined;
  /** Calls per operation the statement made, from GET /_ccql/stats. */
  calls: Record<string, number>;
  total: number;
}

export interface Harness {
  emulator: RunningEmulator;
  session: Session;
  run(sql: string, session?: Session): Promise<Outcome>;
  /** The rows of the last result, or throws with the error. */
  rows(sql: string): Promise<unknown[][]>;
  newSession(options?: SessionOptions): Session;
  close(): Promise<void>;
}

export async function startHarness(emulator: EmulatorOptions = {}, session: SessionOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, ...emulator });
  const sessions: Session[] = [];
  const newSession = (options: SessionOptions = {}): Session => {
    const s = new Session({ endpointUrl: emu.url, credentials: CREDENTIALS, ...session, ...options });
    sessions.push(s);
    return s;
  };
  const main = newSession();
  const run = async (sql: string, s: Session = main): Promise<Outcome> => {
    await fetch(`${emu.url}/_ccql/reset`, { method: 'POST' });
    const results: StatementResult[] = [];
    const notices: Notice[] = [];
    let error: CcqlError | undefined;
    try {
      for await (const r of s.run(sql, { onNotice: (n) => notices.push(n) })) results.push(r);
    } catch (e) {
      if (!(e instanceof CcqlError)) throw e;
      error = e;
    }
    const stats = (await (await fetch(`${emu.url}/_ccql/stats`)).json()) as { calls: Record<string, number>; total: number };
    return { results, notices, error, calls: stats.calls, total: stats.total };
  };
  return {
    emulator: emu,
    session: main,
    run,
    async rows(sql) {
      const o = await run(sql);
      if (o.error) throw o.error;
      const last = o.results[o.results.length - 1];
      if (!last || last.kind !== 'rows') throw new Error(`expected rows from ${sql}`);
      return last.rows;
    },
    newSession,
    async close() {
      for (const s of sessions) await s.close();
      await emu.stop();
    },
  };
}

export function lastRows(o: Outcome): RowsResult {
  if (o.error) throw o.error;
  const last = o.results[o.results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error('expected a rows result');
  return last;
}

/** Rows as objects keyed by column name, for readable assertions. */
export function records(r: RowsResult): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}
