/**
 * What only the embedded engine does: sessions taking turns on PGlite's single backend (a
 * session that holds it makes the others wait, then time out with a reason), statements
 * cancelled while they wait, a statement that cannot be interrupted (the engine is stopped and
 * restarted), and a damaged cache (rebuilt). The behaviour both engines share is in
 * test/conformance/engine.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, type SharedEngine } from '../../../src/engine/engine.js';
import { pgliteEngine } from '../../../src/engine/pglite.js';
import type { CcqlError } from '../../../src/errors.js';

const cacheDir = join(tmpdir(), 'ccql-test-home', 'cache');
mkdirSync(cacheDir, { recursive: true });

const engines: SharedEngine[] = [];
function engine(options: { busyTimeoutMs?: number; hardCancelMs?: number; cacheDir?: string } = {}): SharedEngine {
  const e = pgliteEngine({ cacheDir, ...options });
  engines.push(e);
  return e;
}

beforeAll(async () => {
  // Makes sure the cached image exists before the tests that copy it.
  const s = await openEngine({ cacheDir });
  await s.close();
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await closeEngines();
});

async function rejection(p: Promise<unknown>): Promise<CcqlError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as CcqlError,
  );
}

describe('sessions on the one backend', () => {
  it('a session in a transaction keeps the backend; another one waits, then fails saying why', async () => {
    const e = engine({ busyTimeoutMs: 300 });
    const [a, b] = [await e.openSession(), await e.openSession()];
    await a.query('BEGIN');
    const err = await rejection(b.query('SELECT 1'));
    expect(err.message).toBe('the embedded engine is busy: another session holds it (an open transaction) and has for 0.3 s');
    expect(err.sqlstate).toBe('55006');
    expect(err.hint).toMatch(/--engine postgres:\/\//);
    // The holder is not disturbed, and once it commits the other session runs again.
    expect((await a.query('SELECT 1 AS a')).rows).toEqual([[1]]);
    await a.query('COMMIT');
    expect((await b.query('SELECT 2 AS b')).rows).toEqual([[2]]);
    await a.query('CREATE TEMP TABLE keep (x int)');
    expect((await rejection(b.query('SELECT 3'))).message).toMatch(/\(temporary tables\)/);
    await a.close(); // its temporary table goes with it
    expect((await b.query(`SELECT to_regclass('pg_temp.keep') IS NULL`)).rows).toEqual([[true]]);
    await b.close();
  });

  it('every kind of holding keeps the backend, also when it comes from a function another session made', async () => {
    const e = engine({ busyTimeoutMs: 200 });
    const [a, b] = [await e.openSession(), await e.openSession()];
    const holding: Array<[string, string, string]> = [
      ['DECLARE c CURSOR WITH HOLD FOR SELECT 1', 'open cursors', 'CLOSE c'],
      ['PREPARE p AS SELECT 1', 'prepared statements', 'DEALLOCATE p'],
      ['LISTEN news', 'LISTEN channels', 'UNLISTEN news'],
      ['SELECT pg_advisory_lock(42)', 'advisory locks', 'SELECT pg_advisory_unlock(42)'],
      ['CREATE TEMPORARY TABLE t1 (x int)', 'temporary tables', 'DROP TABLE t1'],
    ];
    for (const [take, what, release] of holding) {
      await a.query(take);
      expect((await rejection(b.query('SELECT 1'))).message, take).toContain(`(${what})`);
      await a.query(release);
      expect((await b.query('SELECT 1')).rows, release).toEqual([[1]]);
    }
    // Nothing in `SELECT grab()` says what it takes: once any session has made code, every switch checks.
    await b.query(`CREATE FUNCTION grab() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE TEMP TABLE hidden (x int); END $$`);
    await a.query('SELECT grab()');
    expect((await rejection(b.query('SELECT 2'))).message).toContain('(temporary tables)');
    await a.close();
    await b.close();
  });

  it('a statement queued while the backend is being handed over is still checked at the next handover', async () => {
    const e = engine({ busyTimeoutMs: 200 });
    const [a, b] = [await e.openSession(), await e.openSession()];
    await a.query('CREATE TEMP TABLE t0 (x int)');
    await a.query('DROP TABLE t0');
    // b's statement starts a handover from a; a queues a statement that takes a temporary table meanwhile.
    const first = b.query('SELECT 1');
    const taking = a.query('CREATE TEMP TABLE secret (x int)');
    await Promise.all([first, taking]);
    // a now holds a temporary table: b waits for it (and gives up), never sees it.
    expect((await rejection(b.query(`SELECT to_regclass('pg_temp.secret')`))).message).toContain('(temporary tables)');
    await a.close();
    expect((await b.query(`SELECT to_regclass('pg_temp.secret') IS NULL`)).rows).toEqual([[true]]);
    await b.close();
  });

  it('a waiting statement that is cancelled never runs', async () => {
    const e = engine();
    const [a, b] = [await e.openSession(), await e.openSession()];
    await a.query('BEGIN');
    const controller = new AbortController();
    const waiting = b.query('CREATE TEMP TABLE should_not_exist (x int)', { signal: controller.signal });
    controller.abort();
    expect((await rejection(waiting)).code).toBe('cancelled');
    await a.query('COMMIT');
    expect((await a.query(`SELECT to_regclass('pg_temp.should_not_exist') IS NULL`)).rows).toEqual([[true]]);
    expect((await b.query(`SELECT to_regclass('pg_temp.should_not_exist') IS NULL`)).rows).toEqual([[true]]);
    await a.close();
    await b.close();
  });

  it('statements that gathered while the engine worked go together; each can still be cancelled, before it starts or while it runs', async () => {
    const e = engine();
    const [a, b, c, d] = [await e.openSession(), await e.openSession(), await e.openSession(), await e.openSession()];
    // While a's statement runs, b's, c's and d's queue: they go to the engine in one request.
    const first = a.query('SELECT pg_sleep(0.3)');
    await new Promise((r) => setTimeout(r, 50));
    const cancelB = new AbortController();
    const cancelC = new AbortController();
    const running = b.query('SELECT pg_sleep(5) AS slept', { signal: cancelB.signal });
    const later = c.query(`CREATE TEMP TABLE should_not_exist (x int)`, { signal: cancelC.signal });
    const last = d.query(`SELECT 'd' AS who`);
    await first;
    // The batch (b, c, d) is in the engine now: c has not started (b sleeps), b is running.
    cancelC.abort();
    setTimeout(() => cancelB.abort(), 200);
    expect((await rejection(later)).code).toBe('cancelled');
    const err = await rejection(running);
    expect(err.sqlstate).toBe('57014');
    expect((await last).rows).toEqual([['d']]);
    expect((await c.query(`SELECT to_regclass('pg_temp.should_not_exist') IS NULL`)).rows).toEqual([[true]]);
    expect((await b.query('SELECT 1 AS fine')).rows).toEqual([[1]]);
    await Promise.all([a, b, c, d].map((s) => s.close()));
  });

  it('a statement that opens a transaction in a batch keeps the backend from the statements after it', async () => {
    const e = engine();
    const [a, x, y] = [await e.openSession(), await e.openSession(), await e.openSession()];
    const first = a.query('SELECT pg_sleep(0.2)');
    await new Promise((r) => setTimeout(r, 50));
    // x's BEGIN and y's SELECT go to the engine together; the handover to y is refused.
    const begun = x.query('BEGIN');
    let yDone = false;
    const ys = y.query(`SELECT 'y' AS who`).then((r) => ((yDone = true), r));
    await first;
    await begun;
    await x.query('CREATE TEMP TABLE in_x (v int)');
    await new Promise((r) => setTimeout(r, 100));
    expect(yDone).toBe(false);
    await x.query('COMMIT');
    await x.query('DROP TABLE in_x');
    expect((await ys).rows).toEqual([['y']]);
    await Promise.all([a, x, y].map((s) => s.close()));
  });

  it('twelve sessions at once, each with its own settings, each see their own through batched turns', async () => {
    const e = engine();
    const sessions = await Promise.all(Array.from({ length: 12 }, () => e.openSession()));
    await Promise.all(sessions.map((s, i) => s.query(`SET application_name = 'client-${i % 4}'`)));
    for (let round = 0; round < 4; round++) {
      const shown = await Promise.all(sessions.map((s) => s.query('SHOW application_name')));
      expect(shown.map((r) => r.rows[0]![0])).toEqual(sessions.map((_, i) => `client-${i % 4}`));
    }
    await Promise.all(sessions.map((s) => s.close()));
  });

  it('settings follow their session through any number of turns', async () => {
    const e = engine();
    const sessions = await Promise.all([1, 2, 3].map(() => e.openSession()));
    await Promise.all(sessions.map((s, i) => s.query(`SET statement_timeout = ${(i + 1) * 1000}`)));
    for (let round = 0; round < 3; round++) {
      const shown = await Promise.all(sessions.map((s) => s.query('SHOW statement_timeout')));
      expect(shown.map((r) => r.rows[0]![0])).toEqual(['1s', '2s', '3s']);
    }
    await Promise.all(sessions.map((s) => s.close()));
  });

  it('sessions with the same settings hand over without restoring them, and one that changes them keeps its own', async () => {
    // A pool's connections: the same startup settings. Then one of them diverges and comes back.
    const e = engine();
    const sessions = await Promise.all([1, 2, 3].map(() => e.openSession()));
    await Promise.all(sessions.map((s) => s.query(`SET statement_timeout = '7s'`)));
    const shown = async (): Promise<unknown[]> => (await Promise.all(sessions.map((s) => s.query('SHOW statement_timeout')))).map((r) => r.rows[0]![0]);
    for (let round = 0; round < 3; round++) expect(await shown()).toEqual(['7s', '7s', '7s']);
    await sessions[1]!.query(`SET statement_timeout = '9s'`);
    for (let round = 0; round < 3; round++) expect(await shown()).toEqual(['7s', '9s', '7s']);
    await sessions[1]!.query(`SET statement_timeout = '7s'`);
    await sessions[0]!.query('RESET statement_timeout');
    for (let round = 0; round < 3; round++) expect(await shown()).toEqual(['0', '7s', '7s']);
    await Promise.all(sessions.map((s) => s.close()));
  });
});

describe('a statement PGlite cannot interrupt', () => {
  it('stops the engine after the grace period; every session hears of it once, and the next statement starts a new engine', async () => {
    const e = engine({ hardCancelMs: 300 });
    const [a, b] = [await e.openSession(), await e.openSession()];
    await b.query(`SET work_mem = '5MB'`);
    // A loop that calls nothing PGlite can interrupt it in.
    await a.query(`CREATE FUNCTION pg_temp.spin() RETURNS int LANGUAGE plpgsql AS $$ DECLARE i int := 0; BEGIN LOOP i := i + 1; END LOOP; END $$`);
    const controller = new AbortController();
    const spinning = a.query('SELECT pg_temp.spin()', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(spinning);
    expect(err.message).toBe('the embedded engine was stopped: a cancelled statement had not stopped after 0.3 s');
    expect(err.hint).toMatch(/gone; the next statement starts a new engine/);
    // b's state went with the engine: it is told once, then starts afresh.
    expect((await rejection(b.query('SHOW work_mem'))).message).toBe(err.message);
    expect((await b.query('SHOW work_mem')).rows).toEqual([['4MB']]);
    expect((await a.query('SELECT 1 AS again')).rows).toEqual([[1]]);
    const c = await e.openSession();
    expect((await c.query('SELECT 2 AS fresh')).rows).toEqual([[2]]);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});

describe('the cached data directory', () => {
  it('is built again when damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-cache-'));
    try {
      const image = readdirSync(cacheDir).find((f) => /^pglite-.*\.tar$/.test(f))!;
      copyFileSync(join(cacheDir, image), join(dir, image));
      writeFileSync(join(dir, image), Buffer.alloc(4096, 1)); // garbage under the right name
      const e = engine({ cacheDir: dir });
      const s = await e.openSession();
      expect((await s.query(`SELECT json_extract('{"a": 1}', '$.a')`)).rows).toEqual([['1']]);
      await s.close();
      expect(readdirSync(dir).filter((f) => f === image)).toEqual([image]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
