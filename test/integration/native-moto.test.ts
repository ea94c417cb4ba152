/**
 * A cross-check against an emulator we did not write: the IVS channel and EventBridge connection
 * cases run through the same Session and SDK clients against ccql's emulator and against
 * `python3 -m moto.server`, and their rows must agree in shape: the same columns, the same type
 * wherever both have a value, the same values where the statement decides them, and the columns a
 * user relies on filled by both. Without moto the file is skipped with the reason printed, except
 * under CI=true, where it fails: CI must run it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Session } from '../../src/exec/session.js';
import { CcqlError } from '../../src/errors.js';
import type { RowsResult } from '../../src/result.js';
import { CREDENTIALS } from './query-harness.js';

const PYTHON = process.env.CCQL_MOTO_PYTHON ?? 'python3';
const REGION = 'eu-west-1';
const API_KEY = 'moto-cross-check-Xk29Lq';

function motoMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import moto, moto.server; print(moto.__version__)'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot be run (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} has no moto server (${(r.stderr || r.stdout).trim().split('\n').pop()})`;
  if (!/^5\./.test(r.stdout.trim())) return `${PYTHON} has moto ${r.stdout.trim()}, not moto 5`;
  return undefined;
}

const missing = motoMissing();
if (missing && process.env.CI === 'true') {
  // CI must run the cross-check: a machine without moto fails it rather than skipping it.
  describe('moto cross-check', () => {
    it('needs moto 5', () => {
      throw new Error(`the moto cross-check cannot run under CI: ${missing} (pip install 'moto[server]>=5,<6')`);
    });
  });
} else if (missing) {
  console.warn(`skipping the moto cross-check: ${missing}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts moto on a free port and waits (a bounded number of tries) until it answers. */
async function startMoto(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/moto-api/data.json`);
      if (res.ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`moto did not answer on ${url}: ${stderr}`);
}

type Shape = 'null' | 'string' | 'number' | 'bigint' | 'boolean' | 'array' | 'object' | 'date';
type Row = Record<string, unknown>;

function shape(v: unknown): Shape {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return 'date';
  if (Array.isArray(v)) return 'array';
  return typeof v as Shape;
}

interface Backend {
  name: string;
  session: Session;
}

async function rows(b: Backend, sql: string): Promise<Row[]> {
  let last: RowsResult | undefined;
  for await (const r of b.session.run(sql)) if (r.kind === 'rows') last = r;
  if (!last) throw new Error(`${b.name}: no rows from ${sql}`);
  return last.rows.map((row) => Object.fromEntries(last!.columns.map((c, i) => [c.name, row[i]])));
}

/**
 * The cases: each a statement and what must hold of its rows on both backends. `filled` are the
 * columns both must give a value; `same` the ones whose values the statement decides.
 */
interface Case {
  title: string;
  sql: (ctx: { arn: string }) => string;
  filled: string[];
  same: string[];
}

const CASES: Case[] = [
  {
    title: 'INSERT a channel RETURNING * (with its stream key)',
    sql: () => `INSERT INTO aws.ivs.channels_native (name, latency_mode, type, authorized, tags, region) VALUES ('xcheck', 'NORMAL', 'BASIC', true, '{"team": "video"}', '${REGION}') RETURNING *`,
    filled: ['region', 'data__identifier', 'arn', 'name', 'latency_mode', 'type', 'authorized', 'ingest_endpoint', 'playback_url', 'tags', 'stream_key'],
    same: ['region', 'name', 'latency_mode', 'type', 'authorized', 'tags'],
  },
  {
    title: 'SELECT * lists channels (ListChannels, then GetChannel)',
    sql: () => `SELECT * FROM aws.ivs.channels_native WHERE region = '${REGION}'`,
    filled: ['region', 'data__identifier', 'arn', 'name', 'latency_mode', 'type', 'authorized', 'ingest_endpoint', 'playback_url', 'tags'],
    same: ['region', 'name', 'latency_mode', 'type', 'authorized', 'tags'],
  },
  {
    title: 'SELECT by name (filterByName) and by ARN (GetChannel)',
    sql: ({ arn }) => `SELECT a.name, a.arn, b.playback_url, b.insecure_ingest FROM aws.ivs.channels_native a JOIN aws.ivs.channels_native b ON b.arn = a.arn WHERE a.region = '${REGION}' AND a.name = 'xcheck' AND b.arn = '${arn}'`,
    filled: ['name', 'arn', 'playback_url', 'insecure_ingest'],
    same: ['name'],
  },
  {
    title: 'UPDATE a channel RETURNING',
    sql: ({ arn }) => `UPDATE aws.ivs.channels_native SET latency_mode = 'LOW', authorized = false WHERE arn = '${arn}' AND region = '${REGION}' RETURNING name, latency_mode, authorized, tags`,
    filled: ['name', 'latency_mode', 'authorized', 'tags'],
    same: ['name', 'latency_mode', 'authorized', 'tags'],
  },
  {
    title: 'INSERT an API_KEY connection RETURNING *',
    sql: () => `INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, description, region) VALUES ('xcheck', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "${API_KEY}"}}', 'cross-checked', '${REGION}') RETURNING *`,
    filled: ['region', 'data__identifier', 'name', 'connection_arn', 'authorization_type', 'auth_parameters', 'connection_state', 'secret_arn', 'creation_time'],
    same: ['region', 'data__identifier', 'name', 'authorization_type', 'auth_parameters', 'description', 'connection_state'],
  },
  {
    title: 'SELECT * lists connections (ListConnections, then DescribeConnection)',
    sql: () => `SELECT * FROM aws.events.connections_native WHERE region = '${REGION}'`,
    filled: ['region', 'name', 'connection_arn', 'authorization_type', 'auth_parameters', 'connection_state', 'secret_arn', 'creation_time'],
    same: ['region', 'name', 'authorization_type', 'auth_parameters', 'description', 'connection_state'],
  },
  {
    title: 'UPDATE a connection RETURNING',
    sql: () => `UPDATE aws.events.connections_native SET description = 'changed' WHERE name = 'xcheck' AND region = '${REGION}' RETURNING name, description, authorization_type, auth_parameters`,
    filled: ['name', 'description', 'authorization_type', 'auth_parameters'],
    same: ['name', 'description', 'authorization_type', 'auth_parameters'],
  },
  {
    title: 'DELETE a connection RETURNING (as it was)',
    sql: () => `DELETE FROM aws.events.connections_native WHERE name = 'xcheck' AND region = '${REGION}' RETURNING name, authorization_type, connection_arn`,
    filled: ['name', 'authorization_type', 'connection_arn'],
    same: ['name', 'authorization_type'],
  },
  {
    title: 'DELETE a channel',
    sql: ({ arn }) => `DELETE FROM aws.ivs.channels_native WHERE arn = '${arn}' AND region = '${REGION}' RETURNING name`,
    filled: ['name'],
    same: ['name'],
  },
  {
    title: 'nothing is left',
    sql: () => `SELECT (SELECT count(*)::int FROM aws.ivs.channels_native WHERE region = '${REGION}') AS channels, (SELECT count(*)::int FROM aws.events.connections_native WHERE region = '${REGION}') AS connections`,
    filled: ['channels', 'connections'],
    same: ['channels', 'connections'],
  },
];

describe.skipIf(missing !== undefined)('moto cross-check: the same statements against ccql\'s emulator and moto agree in shape', () => {
  let emulator: RunningEmulator;
  let moto: { url: string; child: ChildProcess };
  const backends: Backend[] = [];
  const arns = new Map<string, string>();

  beforeAll(async () => {
    [emulator, moto] = await Promise.all([startEmulator({ port: 0, seed: 'none', quiet: true }), startMoto()]);
    backends.push({ name: 'ccql emulator', session: new Session({ endpointUrl: emulator.url, credentials: CREDENTIALS, region: REGION }) });
    backends.push({ name: 'moto', session: new Session({ endpointUrl: moto.url, credentials: CREDENTIALS, region: REGION }) });
  }, 60_000);

  afterAll(async () => {
    for (const b of backends) await b.session.close();
    await emulator?.stop();
    moto?.child.kill();
  });

  for (const c of CASES) {
    it(c.title, async () => {
      const results: Row[][] = [];
      for (const b of backends) {
        let got: Row[];
        try {
          got = await rows(b, c.sql({ arn: arns.get(b.name) ?? '' }));
        } catch (e) {
          throw new Error(`${b.name}: ${e instanceof CcqlError ? e.message : String(e)}`, { cause: e });
        }
        if (got[0]?.arn && !arns.has(b.name)) arns.set(b.name, String(got[0].arn));
        expect(got, `${b.name}: one row`).toHaveLength(1);
        // A secret sent is never in a row, whichever emulator answered.
        expect(JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)), b.name).not.toContain(API_KEY);
        results.push(got);
      }
      const [ours, theirs] = results.map((r) => r[0]!) as [Row, Row];
      expect(Object.keys(theirs)).toEqual(Object.keys(ours));
      for (const col of Object.keys(ours)) {
        const a = shape(ours[col]);
        const b = shape(theirs[col]);
        if (a !== 'null' && b !== 'null') expect(b, `type of ${col}`).toBe(a);
      }
      for (const col of c.filled) {
        expect(shape(ours[col]), `ccql emulator fills ${col}`).not.toBe('null');
        expect(shape(theirs[col]), `moto fills ${col}`).not.toBe('null');
      }
      for (const col of c.same) expect(theirs[col], col).toEqual(ours[col]);
      // Nested objects agree member by member where both have them (the stream key, auth parameters).
      for (const col of Object.keys(ours)) {
        const a = ours[col];
        const b = theirs[col];
        if (shape(a) !== 'object' || shape(b) !== 'object') continue;
        for (const k of Object.keys(a as Row).filter((x) => x in (b as Row))) expect(shape((b as Row)[k]), `${col}.${k}`).toBe(shape((a as Row)[k]));
      }
    });
  }
});
