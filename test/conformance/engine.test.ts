/**
 * One suite, run against each engine: the embedded PGlite and a real PostgreSQL 15 server (a
 * throwaway cluster started here, as the `postgres` user when running as root, since initdb
 * refuses root). Both must give the same answers: rows, column types (OID, modifier, size),
 * command tags, errors with positions and SQLSTATEs, notices, cancellation, and sessions that
 * cannot see each other's tables, settings or transactions.
 *
 * Without PostgreSQL the server half is skipped with the reason printed; under CI=true it fails.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEngines, EngineError, openEngine, redactUrl, type EngineOptions, type EngineSession } from '../../src/engine/engine.js';
import { postgresEngine } from '../../src/engine/postgres.js';
import { FUNCTIONS_VERSION } from '../../src/engine/functions.js';
import type { Notice } from '../../src/result.js';
import { freePort, startCluster, type Cluster } from '../support/pg-cluster.js';

process.env.TZ = 'Pacific/Kiritimati'; // far from UTC: nothing may depend on the machine's zone

/** A password role for the wrong-credentials test; everything else trusts localhost. */
async function startConformanceCluster(): Promise<Cluster | string> {
  const c = await startCluster({ hba: ['host all ccql_pw 127.0.0.1/32 scram-sha-256'], settings: { max_connections: 200 } });
  if (typeof c === 'string') return c;
  try {
    c.psql("CREATE ROLE ccql_pw LOGIN PASSWORD 'right-password'");
  } catch (e) {
    c.stop();
    return (e as Error).message;
  }
  return c;
}

let cluster: Cluster | undefined;
let clusterMissing: string | undefined;

beforeAll(async () => {
  const c = await startConformanceCluster();
  if (typeof c === 'string') {
    if (process.env.CI === 'true') throw new Error(`${c}; CI must run the PostgreSQL half of the engine conformance suite`);
    clusterMissing = c;
    console.warn(`skipping the PostgreSQL engine: ${c}`);
  } else cluster = c;
});

afterAll(async () => {
  await closeEngines();
  cluster?.stop();
});

const cacheDir = join(tmpdir(), 'ccql-test-home', 'cache');
mkdirSync(cacheDir, { recursive: true });

const ENGINES: Array<{ name: string; options: () => EngineOptions | undefined }> = [
  { name: 'PGlite', options: () => ({ cacheDir }) },
  { name: 'PostgreSQL', options: () => (cluster ? { url: cluster.url } : undefined) },
];

async function notices(session: EngineSession, sql: string): Promise<Notice[]> {
  const got: Notice[] = [];
  await session.query(sql, { onNotice: (n) => got.push(n) });
  return got;
}

async function failure(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

describe.each(ENGINES)('$name engine', ({ name, options }) => {
  let a: EngineSession;
  let b: EngineSession;
  let available = true;

  beforeAll(async () => {
    const o = options();
    if (!o) {
      available = false;
      return;
    }
    [a, b] = [await openEngine(o), await openEngine(o)];
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** `it`, skipped (with the reason printed once, in beforeAll) when the engine is not there. */
  const test = (title: string, fn: () => Promise<void>): void => {
    it(title, async (ctx) => {
      if (!available) {
        ctx.skip();
        return;
      }
      await fn();
    });
  };

  test('materializes rows and queries them', async () => {
    await a.materialize(
      'stages',
      [
        { name: 'region', type: 'text' },
        { name: 'n', type: 'bigint' },
        { name: 'f', type: 'double precision' },
        { name: 'ok', type: 'boolean' },
        { name: 'tags', type: 'jsonb' },
        { name: 'created', type: 'timestamptz' },
      ],
      [
        { region: 'us-east-1', n: 5, f: 1.5, ok: true, tags: [{ Key: 'a', Value: '1' }], created: '2024-01-02T03:04:05Z' },
        { region: 'eu-west-1', n: '9007199254740993', f: null, ok: false, tags: [], created: '2024-01-02T03:04:05.123456Z' },
      ],
    );
    const out = await a.query(`SELECT region, n, f, ok, tags, created FROM pg_temp.stages ORDER BY region`);
    expect(out.command).toBe('SELECT 2');
    expect(out.returnsRows).toBe(true);
    expect(out.columns.map((c) => [c.name, c.type, c.typeOid])).toEqual([
      ['region', 'text', 25],
      ['n', 'bigint', 20],
      ['f', 'double precision', 701],
      ['ok', 'boolean', 16],
      ['tags', 'jsonb', 3802],
      ['created', 'timestamptz', 1184],
    ]);
    expect(out.rows).toEqual([
      ['eu-west-1', 9007199254740993n, null, false, [], '2024-01-02 03:04:05.123456+00'],
      ['us-east-1', 5, 1.5, true, [{ Key: 'a', Value: '1' }], new Date('2024-01-02T03:04:05Z')],
    ]);
    const agg = await a.query(`SELECT t->>'Key' AS k, count(*) FROM pg_temp.stages, jsonb_array_elements(tags) t GROUP BY 1`);
    expect(agg.rows).toEqual([['a', 1]]);
    await a.drop(['stages']);
    expect((await failure(a.query('SELECT * FROM pg_temp.stages'))).sqlstate).toBe('42P01');
  });

  test('reports every column type with its OID, modifier and size, and parses the values alike', async () => {
    const out = await a.query(`SELECT 1::int2 AS i2, 2::int4 AS i4, 9223372036854775807::int8 AS i8, 1.50::numeric(10,2) AS num,
      1.5::float4 AS f4, 'NaN'::float8 AS f8, true AS b, 'x'::text AS t, 'ab'::varchar(10) AS vc, 'c'::char(3) AS bp,
      '{"a": [1, 2]}'::json AS j, '{"a": [1, 2]}'::jsonb AS jb, '2024-01-02'::date AS d, '2024-01-02 03:04:05.5'::timestamp AS ts,
      '2024-01-02 03:04:05+05'::timestamptz AS tz, '7d0b9a3e-6a43-4d2c-9e5b-0f2a8c1f4e11'::uuid AS u, '\\x00ff'::bytea AS by,
      '1 day 02:00'::interval AS iv, ARRAY['a', NULL, 'b c']::text[] AS ta, ARRAY[[1, 2], [3, 4]] AS ia,
      ARRAY['{"k": 1}'::jsonb] AS ja, NULL::text AS nul, 'x'::name AS nm`);
    expect(out.columns.map((c) => [c.name, c.typeOid, c.typeModifier, c.typeSize, c.type])).toEqual([
      ['i2', 21, -1, 2, 'integer'],
      ['i4', 23, -1, 4, 'integer'],
      ['i8', 20, -1, 8, 'bigint'],
      ['num', 1700, 655366, -1, 'numeric'],
      ['f4', 700, -1, 4, 'double precision'],
      ['f8', 701, -1, 8, 'double precision'],
      ['b', 16, -1, 1, 'boolean'],
      ['t', 25, -1, -1, 'text'],
      ['vc', 1043, 14, -1, 'text'],
      ['bp', 1042, 7, -1, 'text'],
      ['j', 114, -1, -1, 'jsonb'],
      ['jb', 3802, -1, -1, 'jsonb'],
      ['d', 1082, -1, 4, 'date'],
      ['ts', 1114, -1, 8, 'timestamp'],
      ['tz', 1184, -1, 8, 'timestamptz'],
      ['u', 2950, -1, 16, 'unknown'],
      ['by', 17, -1, -1, 'unknown'],
      ['iv', 1186, -1, 16, 'unknown'],
      ['ta', 1009, -1, -1, 'unknown'],
      ['ia', 1007, -1, -1, 'unknown'],
      ['ja', 3807, -1, -1, 'unknown'],
      ['nul', 25, -1, -1, 'text'],
      ['nm', 19, -1, 64, 'text'],
    ]);
    expect(out.rows).toEqual([
      [
        1,
        2,
        9223372036854775807n,
        '1.50',
        1.5,
        NaN,
        true,
        'x',
        'ab',
        'c  ',
        { a: [1, 2] },
        { a: [1, 2] },
        '2024-01-02',
        '2024-01-02 03:04:05.5',
        new Date('2024-01-01T22:04:05Z'),
        '7d0b9a3e-6a43-4d2c-9e5b-0f2a8c1f4e11',
        new Uint8Array([0, 255]),
        '1 day 02:00:00',
        ['a', null, 'b c'],
        [
          [1, 2],
          [3, 4],
        ],
        [{ k: 1 }],
        null,
        'x',
      ],
    ]);
  });

  test('gives the command tags of statements that return no rows, and of DML with RETURNING', async () => {
    expect(await a.query('CREATE TEMP TABLE tags_t (id int, v text)')).toMatchObject({ command: 'CREATE TABLE', returnsRows: false, columns: [], rows: [] });
    expect(await a.query(`INSERT INTO tags_t VALUES (1, 'a'), (2, 'b')`)).toMatchObject({ command: 'INSERT 0 2', returnsRows: false });
    const ret = await a.query(`UPDATE tags_t SET v = upper(v) WHERE id = 2 RETURNING id, v`);
    expect(ret).toMatchObject({ command: 'UPDATE 1', returnsRows: true, rows: [[2, 'B']] });
    expect(await a.query('DELETE FROM tags_t')).toMatchObject({ command: 'DELETE 2' });
    expect(await a.query('DROP TABLE tags_t')).toMatchObject({ command: 'DROP TABLE' });
    expect(await a.query('SET work_mem = 65536')).toMatchObject({ command: 'SET' });
    expect(await a.query('RESET work_mem')).toMatchObject({ command: 'RESET' });
  });

  test("finds ccql's functions, in the schema ccql, through the search_path", async () => {
    const where = await a.query(`SELECT DISTINCT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname IN ('json_extract', 'group_concat', 'ifnull', 'string')`);
    expect(where.rows).toEqual([['ccql']]);
    expect((await a.query('SELECT ccql.version()')).rows).toEqual([[FUNCTIONS_VERSION]]);
    expect((await a.query('SHOW search_path')).rows).toEqual([['"$user", public, ccql']]);
    const out = await a.query(`SELECT json_extract('{"a": {"b": [10, {"c": "x"}]}}'::jsonb, '$.a.b[1].c') AS x,
      json_array_length('[1, 2, 3]'::jsonb) AS n, ifnull(NULL::text, 'd') AS d,
      (SELECT group_concat(v, '|') FROM (VALUES ('a'), ('b')) AS t(v)) AS g,
      (SELECT count(*) FROM json_each('{"k": 1, "l": [2]}'::jsonb)) AS members`);
    expect(out.rows).toEqual([['x', 3, 'd', 'a|b', 2]]);
  });

  test('errors carry the SQLSTATE and the 0-based position, and the session goes on', async () => {
    const syntax = await failure(a.query('SELECT * FROM WHERE'));
    expect([syntax.sqlstate, syntax.position, syntax.message]).toEqual(['42601', 14, 'syntax error at or near "WHERE"']);
    const column = await failure(a.query('SELECT nope FROM (SELECT 1 AS yes) x'));
    expect([column.sqlstate, column.position, column.message]).toEqual(['42703', 7, 'column "nope" does not exist']);
    const divide = await failure(a.query('SELECT 1 / 0'));
    expect([divide.sqlstate, divide.message]).toEqual(['22012', 'division by zero']);
    const raised = await failure(a.query(`DO $$ BEGIN RAISE EXCEPTION 'custom %', 42 USING ERRCODE = 'P0001', HINT = 'try again', DETAIL = 'details'; END $$`));
    expect([raised.sqlstate, raised.message, raised.hint, raised.details]).toEqual(['P0001', 'custom 42', 'try again', ['details']]);
    expect((await failure(a.query(`SELECT json_extract('{}'::jsonb, 'a.b')`))).sqlstate).toBe('22023');
    expect((await a.query('SELECT 1 AS ok')).rows).toEqual([[1]]);
  });

  test('delivers a statement’s notices to that statement only', async () => {
    const other: Notice[] = [];
    const sqlB = b.query('SELECT 1', { onNotice: (n) => other.push(n) });
    const got = await notices(a, `DO $$ BEGIN RAISE NOTICE 'hello %', 1; RAISE WARNING 'careful' USING HINT = 'look'; RAISE INFO 'fyi'; END $$`);
    await sqlB;
    expect(got).toEqual([
      { severity: 'NOTICE', message: 'hello 1' },
      { severity: 'WARNING', message: 'careful', hint: 'look' },
      { severity: 'INFO', message: 'fyi' },
    ]);
    expect(other).toEqual([]);
  });

  test('cancels a running statement through its AbortSignal, and the session stays usable', async () => {
    const controller = new AbortController();
    const running = a.query('SELECT pg_sleep(3600)', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const e = await failure(running);
    expect(e.sqlstate).toBe('57014');
    expect(e.message).toBe('canceling statement due to user request');
    expect((await a.query('SELECT 2 AS ok')).rows).toEqual([[2]]);
    // A signal aborted before the statement starts: it never runs.
    const early = new AbortController();
    early.abort();
    await expect(a.query('SELECT pg_sleep(3600)', { signal: early.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  test('two sessions cannot see each other’s materialized or temporary tables', async () => {
    await a.materialize('mine', [{ name: 'v', type: 'text' }], [{ v: 'a' }]);
    // On PGlite b waits while a holds temporary tables; on PostgreSQL it runs at once. Either way it cannot see them.
    const seen = failure(b.query('SELECT * FROM pg_temp.mine'));
    expect((await a.query('SELECT v FROM pg_temp.mine')).rows).toEqual([['a']]);
    await a.drop(['mine']);
    expect((await seen).sqlstate).toBe('42P01');

    await a.query('CREATE TEMP TABLE only_a (x int)');
    const fromB = failure(b.query('SELECT * FROM only_a'));
    await a.query('INSERT INTO only_a VALUES (1)');
    expect((await a.query('SELECT x FROM only_a')).rows).toEqual([[1]]);
    await a.query('DROP TABLE only_a');
    expect((await fromB).sqlstate).toBe('42P01');
  });

  test('two sessions keep their own settings', async () => {
    await a.query(`SET work_mem = '5MB'`);
    await a.query(`SET search_path = pg_catalog, ccql`);
    await b.query(`SET TimeZone = 'Asia/Tokyo'`);
    expect((await b.query('SHOW work_mem')).rows).toEqual([['4MB']]);
    expect((await b.query('SHOW search_path')).rows).toEqual([['"$user", public, ccql']]);
    expect((await a.query('SHOW work_mem')).rows).toEqual([['5MB']]);
    expect((await a.query('SHOW search_path')).rows).toEqual([['pg_catalog, ccql']]);
    expect((await a.query('SHOW TimeZone')).rows).toEqual([['UTC']]);
    expect((await b.query('SHOW TimeZone')).rows).toEqual([['Asia/Tokyo']]);
    // timestamptz values stay exact whatever the session's TimeZone.
    expect((await b.query(`SELECT '2024-01-02 03:04:05+00'::timestamptz`)).rows).toEqual([[new Date('2024-01-02T03:04:05Z')]]);
    await a.query('RESET ALL');
    await b.query('RESET ALL');
    expect((await a.query('SHOW search_path')).rows).toEqual([['"$user", public, ccql']]);
  });

  test('two sessions keep their own transactions', async () => {
    await a.query('BEGIN');
    await a.query(`SET LOCAL work_mem = '7MB'`);
    const inB = b.query('SHOW work_mem');
    expect((await a.query('SHOW work_mem')).rows).toEqual([['7MB']]);
    await a.query('ROLLBACK');
    expect((await inB).rows).toEqual([['4MB']]);
    // A failed transaction is the session's own.
    await a.query('BEGIN');
    await failure(a.query('SELECT 1 / 0'));
    const bMeanwhile = b.query('SELECT 1 AS fine');
    expect((await failure(a.query('SELECT 1'))).sqlstate).toBe('25P02');
    await a.query('ROLLBACK');
    expect((await bMeanwhile).rows).toEqual([[1]]);
  });

  test('closing a session ends its transaction and drops its state', async () => {
    const o = options()!;
    const c = await openEngine(o);
    await c.query(`SET work_mem = '6MB'`);
    await c.query('CREATE TEMP TABLE left_behind (x int)');
    await c.query('BEGIN');
    await c.close();
    const d = await openEngine(o);
    expect((await d.query('SHOW work_mem')).rows).toEqual([['4MB']]);
    expect((await failure(d.query('SELECT * FROM left_behind'))).sqlstate).toBe('42P01');
    expect((await d.query(`SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()`)).rows).toEqual([[0]]);
    await d.close();
  });

  test(`runs many sessions (${name})`, async () => {
    const o = options()!;
    const sessions = await Promise.all(Array.from({ length: 8 }, () => openEngine(o)));
    const results = await Promise.all(
      sessions.map(async (s, i) => {
        await s.query(`SET application_name = 'app${i}'`);
        await s.materialize('t', [{ name: 'i', type: 'bigint' }], [{ i }]);
        const r = await s.query(`SELECT i, current_setting('application_name') FROM pg_temp.t`);
        await s.drop(['t']);
        return r.rows;
      }),
    );
    expect(results).toEqual(sessions.map((_, i) => [[i, `app${i}`]]));
    await Promise.all(sessions.map((s) => s.close()));
  });
});

describe('PostgreSQL engine only', () => {
  const test = (title: string, fn: (c: Cluster) => Promise<void>): void => {
    it(title, async (ctx) => {
      if (!cluster) {
        ctx.skip();
        return;
      }
      await fn(cluster);
    });
  };

  test('installs the functions once when several processes start at the same time', async (c) => {
    const admin = await openEngine({ url: c.url });
    await admin.query('CREATE DATABASE install_race');
    await admin.close();
    const url = c.url.replace(/\/postgres$/, '/install_race');
    const label = redactUrl(url);
    // Separate engines are what separate ccql processes are: each its own pool, its own install check.
    const engines = Array.from({ length: 6 }, () => postgresEngine({ url, label }));
    const sessions = await Promise.all(engines.map((e) => e.openSession()));
    const versions = await Promise.all(sessions.map(async (s) => (await s.query('SELECT ccql.version(), json_extract(\'{"a": 1}\', \'$.a\')')).rows));
    expect(versions).toEqual(sessions.map(() => [[FUNCTIONS_VERSION, '1']]));
    const count = await sessions[0]!.query(`SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'ccql' AND p.proname = 'json_extract'`);
    expect(count.rows).toEqual([[3]]);
    await Promise.all(engines.map((e) => e.close()));
  });

  test('a role that may not create the schema ccql is told what to grant', async (c) => {
    const admin = await openEngine({ url: c.url });
    await admin.query('CREATE DATABASE no_functions');
    await admin.query('CREATE ROLE ccql_plain LOGIN');
    await admin.close();
    const url = `postgres://ccql_plain@127.0.0.1:${c.port}/no_functions`;
    const e = await openEngine({ url }).then(
      () => undefined,
      (err: unknown) => err as Error & { hint?: string; sqlstate?: string },
    );
    expect(e?.message).toBe(`cannot install ccql's functions in ${url}: permission denied for database no_functions`);
    expect(e?.sqlstate).toBe('42501');
    expect(e?.hint).toMatch(/needs CREATE on the database once/);
    // Once an owner has installed them, the plain role uses them.
    const owner = await openEngine({ url: `postgres://postgres@127.0.0.1:${c.port}/no_functions` });
    await owner.close();
    const plain = await openEngine({ url });
    expect((await plain.query(`SELECT json_extract('{"a": 2}', '$.a')`)).rows).toEqual([['2']]);
    await plain.close();
  });

  test('names the server without its password when the credentials are wrong', async (c) => {
    const url = `postgres://ccql_pw:wrong-secret-pw@127.0.0.1:${c.port}/postgres`;
    const e = await openEngine({ url }).then(
      () => undefined,
      (err: unknown) => err as Error & { hint?: string; sqlstate?: string },
    );
    expect(e?.message).toBe(`cannot connect to the engine at postgres://ccql_pw@127.0.0.1:${c.port}/postgres: password authentication failed for user "ccql_pw"`);
    expect(e?.sqlstate).toBe('28P01');
    expect(`${e?.message} ${e?.hint}`).not.toContain('wrong-secret-pw');
    const ok = await openEngine({ url: `postgres://ccql_pw:right-password@127.0.0.1:${c.port}/postgres` });
    expect((await ok.query('SELECT current_user')).rows).toEqual([['ccql_pw']]);
    await ok.close();
  });

  test('a refused connection is one clear error', async () => {
    const port = await freePort();
    const e = await openEngine({ url: `postgres://someone:pw-not-shown@127.0.0.1:${port}/db` }).then(
      () => undefined,
      (err: unknown) => err as Error & { hint?: string },
    );
    expect(e?.message).toBe(`cannot connect to the engine at postgres://someone@127.0.0.1:${port}/db: connection refused`);
    expect(e?.hint).toMatch(/is PostgreSQL running/);
  });

  it('a server that never answers is a connection timeout, not a hang', async () => {
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const e = await openEngine({ url: `postgres://u:pw@127.0.0.1:${port}/db?connect_timeout=1` }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(e?.message).toBe(`cannot connect to the engine at postgres://u@127.0.0.1:${port}/db?connect_timeout=1: no answer in time (connection timeout)`);
    } finally {
      silent.close();
    }
  });

  test('a backend that dies mid-statement is an error naming the server, and the session reconnects', async (c) => {
    const s = await openEngine({ url: c.url });
    const killer = await openEngine({ url: c.url });
    const pid = (await s.query('SELECT pg_backend_pid()')).rows[0]![0];
    const running = s.query('SELECT pg_sleep(3600)');
    running.catch(() => undefined); // it may fail before the expectation below is attached
    await new Promise((r) => setTimeout(r, 200));
    await killer.query(`SELECT pg_terminate_backend(${String(pid)})`);
    await expect(running).rejects.toMatchObject({
      message: `lost the connection to the engine at ${c.url}: terminating connection due to administrator command`,
      sqlstate: '08006',
    });
    expect((await s.query('SELECT 1 AS again')).rows).toEqual([[1]]);
    await s.close();
    await killer.close();
  });
});

it('skips nothing silently', () => {
  if (clusterMissing) console.warn(`the PostgreSQL engine was not tested: ${clusterMissing}`);
  expect(cluster !== undefined || process.env.CI !== 'true').toBe(true);
});
