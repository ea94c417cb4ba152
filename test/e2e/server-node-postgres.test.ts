/**
 * node-postgres (`pg`) against a server in this process over the emulator: parameterized and
 * named statements, an error then a working query, a pool with more queries than connections,
 * the 53300 refusal past the connection limit, SCRAM with the right and a wrong password (the
 * same error for an unknown user), TLS, cancel and the statement timeout, and the statement
 * policy (mutations, server files, DDL).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './cli-helpers.js';
import { scratchDir, startTestServer, type TestServer } from './server-helpers.js';

const connection = (t: TestServer, extra: pg.ClientConfig = {}): pg.ClientConfig => ({ host: '127.0.0.1', port: t.port, user: 'ccql', database: 'ccql', ...extra });

async function client(t: TestServer, extra: pg.ClientConfig = {}): Promise<pg.Client> {
  const c = new pg.Client(connection(t, extra));
  await c.connect();
  return c;
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string; position?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxConnections: 4 });
  });
  afterAll(async () => t?.stop());

  it('runs parameterized and named statements, pushes parameters down to GetResource, and goes on after an error', async () => {
    const c = await client(t);
    try {
      const { rows } = await c.query('select data__identifier as id from aws.ivs.stages where region = $1 order by name limit 2', ['us-east-1']);
      expect(rows.length).toBe(2);
      t.resetCalls();
      for (const r of rows) {
        const one = await c.query({ name: 'stage_by_id', text: 'select name, tags, region from aws.ivs.stages where region = $1 and data__identifier = $2', values: ['us-east-1', r.id] });
        expect(one.rows).toHaveLength(1);
        expect(typeof one.rows[0].tags).not.toBe('string'); // jsonb, parsed by the driver
      }
      expect(t.calls()).toEqual({ GetResource: 2 });
      const err = await failure(c.query('select nosuch from aws.ivs.stages where region = $1', ['us-east-1']));
      expect(err).toMatchObject({ code: '42703', position: '8' });
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      // values with quotes and comment markers stay values
      const tricky = `it's'; drop table x; -- /*`;
      expect((await c.query('select $1::text as v, $2::int8 as n, $3::bool as b', [tricky, '9007199254740993', true])).rows).toEqual([{ v: tricky, n: '9007199254740993', b: true }]);
    } finally {
      await c.end();
    }
  });

  it('sends json and jsonb scalars as JSON, which the driver parses (strings with their quotes, true as true)', async () => {
    const c = await client(t);
    try {
      const { rows } = await c.query(`select t->'Value' as v from aws.ivs.stages s, jsonb_array_elements(s.tags) t where s.region = 'us-east-1' limit 1`);
      expect(typeof rows[0].v).toBe('string');
      const scalars = await c.query(`select '"abc"'::jsonb as s, 'true'::jsonb as t, '5'::json as n, '{"a": [1, "x"]}'::jsonb as o`);
      expect(scalars.rows).toEqual([{ s: 'abc', t: true, n: 5, o: { a: [1, 'x'] } }]);
    } finally {
      await c.end();
    }
  });

  it('fans out over the regions of an array parameter (region = ANY($1)), as node-postgres sends a list', async () => {
    const c = await client(t);
    try {
      t.resetCalls();
      const { rows } = await c.query('select region, count(*)::int as n from aws.ivs.stages where region = any($1) group by 1 order by 1', [['us-east-1', 'us-west-2']]);
      expect(rows.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2']);
      expect(t.calls().ListResources).toBeGreaterThanOrEqual(2);
    } finally {
      await c.end();
    }
  });

  it('serves a pool of 3 connections 20 concurrent queries', async () => {
    const pool = new pg.Pool({ ...connection(t), max: 3 });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.query('select $1::int * 2 as n', [i])));
      expect(results.map((r) => r.rows[0].n)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    } finally {
      await pool.end();
    }
  });

  it('refuses a connection past --max-connections with 53300', async () => {
    const open = await Promise.all([client(t), client(t), client(t), client(t)]);
    try {
      const err = await failure(client(t));
      expect(err).toMatchObject({ code: '53300', message: 'sorry, too many clients already' });
    } finally {
      await Promise.all(open.map((c) => c.end()));
    }
  });

  it('refuses INSERT/UPDATE/DELETE on provider tables and EXEC (25006), server files (42501) and DDL beyond temporary objects', async () => {
    const c = await client(t);
    try {
      t.resetCalls();
      const ins = await failure(c.query("insert into aws.ivs.stages (name, region) values ('x', 'us-east-1')"));
      expect(ins).toMatchObject({ code: '25006' });
      expect(ins.hint).toContain('--allow-mutations');
      expect((await failure(c.query("delete from aws_ivs.stages where region = 'us-east-1' and data__identifier = 'x'"))).code).toBe('25006');
      const exec = await failure(c.query("EXEC aws.appstream.fleets.stop_fleet @Name = 'sales-apps-east', @region = 'us-east-1'"));
      expect(exec).toMatchObject({ code: '25006', message: 'cannot execute EXEC in a read-only transaction' });
      expect(exec.hint).toContain('stop_fleet on aws.appstream.fleets');
      expect(t.calls()).toEqual({});
      // an EXEC of a method that only reads is a query, and runs
      const read = await c.query("EXEC /*+ SHOWRESULTS */ aws.appstream.fleets.get_fleet @Name = 'sales-apps-east', @region = 'us-east-1'");
      expect(read.rows.map((r) => r.Name ?? r.name)).toEqual(['sales-apps-east']);
      for (const sql of [
        "select pg_read_file('/etc/passwd')",
        "select pg_catalog.lo_import('/etc/passwd')",
        'create extension if not exists pg_trgm',
        'create table public.t (a int)',
        'create schema s',
        "do $$ begin perform pg_read_file('x'); end $$",
        'update pg_catalog.pg_class set relname = relname',
        'select 1 into t2',
        'set role postgres',
        "copy (select 1) to '/tmp/x'",
      ]) {
        const err = await failure(c.query(sql));
        expect(['42501', '0A000'], `${sql}: ${err.message}`).toContain(err.code);
      }
      // the connection's own temporary objects are its to make and change
      await c.query('create temporary table mine (a int)');
      await c.query('insert into mine values (1), (2)');
      expect((await c.query('select sum(a)::int as s from mine')).rows).toEqual([{ s: 3 }]);
      await c.query('drop table mine');
    } finally {
      await c.end();
    }
  });
});

describe('cancel and timeouts', () => {
  let t: TestServer;
  beforeAll(async () => {
    // every API call takes 3 s: long enough to cancel
    t = await startTestServer({ latencyMs: 3000, statementTimeoutMs: 8000 });
  });
  afterAll(async () => t?.stop());

  it('cancels a running statement with a CancelRequest (57014), and the connection goes on', async () => {
    const c = await client(t);
    try {
      await c.query('select 1');
      const running = failure(c.query('select name from aws.ivs.stages'));
      await new Promise((r) => setTimeout(r, 500));
      await sendCancel(t.port, c);
      // Uncancelled, the statement would succeed once its 3 s call returned.
      const err = await running;
      expect(err).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
      expect((await c.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await c.end();
    }
  });

  it('cancels a running engine statement that follows others on the connection, and only that one', async () => {
    const c = await client(t);
    try {
      for (let i = 0; i < 3; i++) await c.query('select 1');
      const running = failure(c.query('select pg_sleep(5)'));
      await new Promise((r) => setTimeout(r, 500));
      await sendCancel(t.port, c);
      expect(await running).toMatchObject({ code: '57014' });
      // The statements after it run to the end.
      expect((await c.query('select pg_sleep(0.2), 3 as three')).rows).toEqual([{ pg_sleep: '', three: 3 }]);
    } finally {
      await c.end();
    }
  });

  it("does not hold up another connection's queries while one waits on slow API calls", async () => {
    const [a, b] = await Promise.all([client(t), client(t)]);
    try {
      await Promise.all([a.query('select 1'), b.query('select 1')]);
      const slow = a.query('select name from aws.ivs.stages');
      let slowDone = false;
      void slow.then(() => (slowDone = true));
      for (let i = 0; i < 5; i++) expect((await b.query('select $1::int as i', [i])).rows).toEqual([{ i }]);
      // b's five queries were answered while a's statement still waited on its API calls
      expect(slowDone).toBe(false);
      expect((await slow).rows.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("cancels a statement past the session's own statement_timeout (SET, SET LOCAL, the startup packet)", async () => {
    const c = await client(t);
    try {
      await c.query('set statement_timeout = 300');
      expect(await failure(c.query('select pg_sleep(5)'))).toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
      await c.query('reset statement_timeout');
      expect((await c.query('select pg_sleep(0.5)')).rowCount).toBe(1);
      await c.query('begin');
      await c.query("set local statement_timeout = '300ms'");
      expect((await failure(c.query('select pg_sleep(5)'))).code).toBe('57014');
      await c.query('rollback');
      expect((await c.query('select pg_sleep(0.5)')).rowCount).toBe(1);
    } finally {
      await c.end();
    }
    const started = await client(t, { options: '-c statement_timeout=300' });
    try {
      expect((await failure(started.query('select pg_sleep(5)'))).code).toBe('57014');
    } finally {
      await started.end();
    }
  });

  it('cancels a statement past --statement-timeout (57014)', async () => {
    const t2 = await startTestServer({ latencyMs: 3000, statementTimeoutMs: 500 });
    const c = await client(t2);
    try {
      const err = await failure(c.query('select name from aws.ivs.stages'));
      expect(err).toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
    } finally {
      await c.end();
      await t2.stop();
    }
  });

  it('closes a connection idle past --idle-timeout (57P05)', async () => {
    const t3 = await startTestServer({ idleTimeoutMs: 300 });
    const c = new pg.Client(connection(t3));
    const errors: Array<{ code?: string }> = [];
    c.on('error', (e) => errors.push(e as { code?: string }));
    await c.connect();
    await new Promise((r) => setTimeout(r, 1000));
    expect(errors[0]).toMatchObject({ code: '57P05' });
    await c.end().catch(() => undefined);
    await t3.stop();
  });
});

describe('SCRAM-SHA-256 and TLS', () => {
  let t: TestServer;
  let dir: string;
  let hasOpenssl = true;
  beforeAll(async () => {
    dir = scratchDir();
    hasOpenssl = requireTool('openssl', ['version']).available;
    if (hasOpenssl) {
      const r = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
    }
    t = await startTestServer({
      auth: { user: 'alice', password: 'correct horse' },
      ...(hasOpenssl ? { tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')), required: true } } : {}),
    });
  });
  afterAll(async () => t?.stop());

  it('accepts the right password over TLS (verify-full) and refuses plaintext, a wrong password and an unknown user alike', async (ctx) => {
    if (!hasOpenssl) ctx.skip();
    const ca = readFileSync(join(dir, 'cert.pem'));
    const tls = { ca, servername: 'localhost', rejectUnauthorized: true };
    const c = await client(t, { user: 'alice', password: 'correct horse', ssl: tls });
    expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await c.end();
    const wrong = await failure(client(t, { user: 'alice', password: 'wrong', ssl: tls }));
    const unknown = await failure(client(t, { user: 'mallory', password: 'correct horse', ssl: tls }));
    expect(wrong).toMatchObject({ code: '28P01', message: 'password authentication failed for user "alice"' });
    expect(unknown).toMatchObject({ code: '28P01', message: 'password authentication failed for user "mallory"' });
    const plain = await failure(client(t, { user: 'alice', password: 'correct horse', ssl: false }));
    expect(plain.code).toBe('28000');
  });
});

describe('with --allow-mutations', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ allowMutations: true });
  });
  afterAll(async () => t?.stop());

  it('changes provider tables and runs EXEC over the wire, each answered as a command', async () => {
    const c = await client(t);
    try {
      const ins = await c.query("insert into aws.ivs.stages (name, region) values ('over-the-wire', 'us-east-1')");
      expect(ins.command).toBe('INSERT');
      expect(ins.rowCount).toBe(1);
      const got = await c.query("select name from aws.ivs.stages where region = 'us-east-1' and name = 'over-the-wire'");
      expect(got.rows).toEqual([{ name: 'over-the-wire' }]);
      t.resetCalls();
      await c.query("EXEC aws.appstream.fleets.start_fleet @Name = 'design-tools-east', @region = 'us-east-1'");
      expect(t.calls()).toMatchObject({ 'appstream:StartFleet': 1 });
      const fleet = await c.query("select state from aws.appstream.fleets where region = 'us-east-1' and name = 'design-tools-east'");
      expect(['STARTING', 'RUNNING']).toContain(fleet.rows[0]?.state);
    } finally {
      await c.end();
    }
  });
});

/** A CancelRequest with the client's key, on a connection of its own (as node-postgres's own cancel does). */
async function sendCancel(port: number, c: pg.Client): Promise<void> {
  const key = c as unknown as { processID: number; secretKey: number };
  const socket = netConnect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(key.processID, 8);
  packet.writeInt32BE(key.secretKey, 12);
  socket.end(packet);
}
