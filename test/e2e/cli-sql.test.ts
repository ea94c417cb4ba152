/**
 * `ccql exec` with SQL over Cloud Control, end to end: the built CLI in a child process, the
 * real AWS SDK over HTTP to an emulator started here (--endpoint-url) or inside the CLI (--local).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ROOT, ensureBuilt, isolatedEnv, runCli } from './cli-helpers.js';

let emulator: RunningEmulator;
let slow: RunningEmulator;
const env = isolatedEnv();
const EAST = "SELECT name, tags FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name";

beforeAll(async () => {
  [emulator, slow] = await Promise.all([
    startEmulator({ port: 0, seed: 'demo', quiet: true }),
    startEmulator({ port: 0, seed: 'demo', quiet: true, latencyMs: 60_000 }),
    ensureBuilt(),
  ]);
});

afterAll(async () => {
  await Promise.all([emulator?.stop(), slow?.stop()]);
});

function exec(args: string[], input?: string) {
  return runCli(['exec', '--endpoint-url', emulator.url, ...args], input === undefined ? { env } : { env, input });
}

describe('SELECT through ccql exec, every output format', () => {
  const expected: Record<string, string> = {
    text: 'game-night-east\t\nsupport-office-hours-east\t[{"Key":"team","Value":"support"}]\ntownhall-east\t[{"Key":"team","Value":"events"}]\n',
    csv: 'name,tags\r\ngame-night-east,\r\nsupport-office-hours-east,"[{""Key"":""team"",""Value"":""support""}]"\r\ntownhall-east,"[{""Key"":""team"",""Value"":""events""}]"\r\n',
    jsonl:
      '{"name":"game-night-east","tags":null}\n{"name":"support-office-hours-east","tags":[{"Key":"team","Value":"support"}]}\n{"name":"townhall-east","tags":[{"Key":"team","Value":"events"}]}\n',
  };
  const rows = [
    { name: 'game-night-east', tags: null },
    { name: 'support-office-hours-east', tags: [{ Key: 'team', Value: 'support' }] },
    { name: 'townhall-east', tags: [{ Key: 'team', Value: 'events' }] },
  ];

  for (const format of ['table', 'json', 'jsonl', 'csv', 'text', 'yaml']) {
    it(`-o ${format}`, async () => {
      const r = await exec(['-o', format, EAST]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const exact = expected[format];
      if (exact !== undefined) expect(r.stdout).toBe(exact);
      if (format === 'json') expect(JSON.parse(r.stdout)).toEqual(rows);
      if (format === 'yaml') {
        expect(r.stdout).toContain('- name: game-night-east\n  tags: null\n');
        expect(r.stdout).toContain('- name: townhall-east\n  tags:\n    - Key: team\n      Value: events\n');
      }
      if (format === 'table') {
        expect(r.stdout).toMatch(/\| name +\| tags +\|/);
        expect(r.stdout).toMatch(/\| townhall-east +\| \[\{"Key":"team","Value":"events"\}\] +\|/);
      }
    });
  }
});

describe('SQL scripts through ccql exec', () => {
  it('runs several statements from stdin, SELECT and SHOW alike', async () => {
    const r = await exec(['-o', 'text'], `SELECT count(*) AS n FROM aws.ivs.stages WHERE region = 'us-west-2';\nSHOW RESOURCES IN aws.ivs LIKE 'stages';\n`);
    expect(r).toEqual({ code: 0, stdout: '3\nstages\taws.ivs.stages\tAWS::IVS::Stage\n', stderr: '' });
  });

  it('templates the SQL with --var (and accepts --strict and --concurrency)', async () => {
    const r = await exec(['-o', 'text', '--strict', '--concurrency', '1', '--var', 'region=us-west-2', '--var', 'prefix=town', "SELECT name FROM aws.ivs.stages WHERE region = '{{region}}' AND name LIKE '{{prefix}}%'"]);
    expect(r).toEqual({ code: 0, stdout: 'townhall-west\n', stderr: '' });
  });

  it('uses --region when the statement names none, and says so when there is none', async () => {
    const r = await exec(['-o', 'text', '--region', 'us-west-2', 'SELECT name FROM aws.ivs.stages ORDER BY name']);
    expect(r).toEqual({
      code: 0,
      stdout: 'game-night-west\nsupport-office-hours-west\ntownhall-west\n',
      stderr: 'NOTICE: no region in the statement for aws.ivs.stages: using us-west-2 (from --region)\n',
    });
    const none = await exec(['SELECT name FROM aws.ivs.stages']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('region');
    const fromEnv = await runCli(['exec', '--endpoint-url', emulator.url, '-o', 'text', 'SELECT count(*) FROM aws.ivs.stages'], { env: { ...env, AWS_REGION: 'us-east-1' } });
    expect(fromEnv).toEqual({ code: 0, stdout: '3\n', stderr: 'NOTICE: no region in the statement for aws.ivs.stages: using us-east-1 (from AWS_REGION)\n' });
  });

  // Regression: `region = ANY(ARRAY[…])` fell back to the default region (and said no region was given).
  it('fans out over the regions of region = ANY(ARRAY[…])', async () => {
    const r = await exec(['-o', 'text', '--region', 'us-east-1', "SELECT region, count(*) FROM aws.ivs.stages WHERE region = ANY(ARRAY['us-east-1', 'us-west-2']) GROUP BY 1 ORDER BY 1"]);
    expect(r).toEqual({ code: 0, stdout: 'us-east-1\t3\nus-west-2\t3\n', stderr: '' });
  });

  // Regression: bytea values came out as {"0":1,"1":2}.
  it('prints bytea in Postgres hex format', async () => {
    const r = await exec(['-o', 'json', "SELECT '\\x01ff'::bytea AS b, name FROM aws.ivs.stages WHERE region = 'us-west-2' ORDER BY name LIMIT 1"]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([{ b: '\\x01ff', name: 'game-night-west' }]);
  });

  it('exits 1 on a statement that fails, with the error on stderr', async () => {
    const r = await exec(["SELECT nmae FROM aws.ivs.stages WHERE region = 'us-east-1'"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain('name');
  });

  it('refuses an expression too deep to read with a clear error, and places errors after non-ASCII text as psql does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-sql-'));
    const file = join(dir, 'deep.sql');
    writeFileSync(file, `SELECT 'é😀',\n  'x' ANDD 1;\nSELECT ${Array.from({ length: 4000 }, () => '1').join('+')};\n`);
    const syntax = await exec(['-f', file]);
    expect(syntax.stderr).toBe(`error: syntax error at or near "1"\n  at ${file}:2:12\n`);
    writeFileSync(file, `SELECT ${Array.from({ length: 4000 }, () => '1').join('+')};\n`);
    const deep = await exec(['-f', file]);
    expect(deep.code).toBe(1);
    expect(deep.stderr).toMatch(/^error: the statement is nested too deeply for ccql to read\n/);
  });

  it('points at the line and column of an error in a -f script, in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-sql-'));
    const file = join(dir, 'report.sql');
    writeFileSync(file, "SHOW PROVIDERS;\nSELECT name,\n  nmae FROM aws.ivs.stages WHERE region = 'us-east-1';\n");
    const r = await exec(['-o', 'text', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('aws\t1\t');
    expect(r.stderr).toBe(`error: column "nmae" does not exist in aws.ivs.stages\n  at ${file}:3:3\nhint: did you mean "name"?\n`);
  });

  it('--dry-run makes no API call and never shows a write-only value', async () => {
    emulator.resetStats();
    const secret = 'dry-run-secret-value-42';
    const r = await exec([
      '--dry-run',
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES ('c1', 'API_KEY', '{"ApiKeyAuthParameters":{"ApiKeyName":"k","ApiKeyValue":"${secret}"}}', 'us-east-1');
       SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('CreateResource');
    expect(r.stdout + r.stderr).toContain('ListResources');
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout).toContain('"ApiKeyValue":"********"');
    expect(emulator.stats().total).toBe(0);
  });
});

describe('ccql exec --local', () => {
  it('starts from the demo data and keeps what a statement creates for the next run', async () => {
    const localEnv = isolatedEnv();
    const first = await runCli(['exec', '--local', '-o', 'text', "SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name"], { env: localEnv });
    expect(first).toEqual({ code: 0, stdout: 'game-night-east\nsupport-office-hours-east\ntownhall-east\n', stderr: '' });
    expect(existsSync(join(localEnv.CCQL_HOME!, 'local'))).toBe(true);

    const insert = await runCli(['exec', '--local', "INSERT INTO aws.ivs.stages (Name, region) VALUES ('made-by-test', 'us-east-1')"], { env: localEnv });
    expect(insert.stderr).toMatch(/^NOTICE: created aws\.ivs\.stages arn:aws:ivs:us-east-1:\d+:stage\/\w+ in us-east-1\n$/);
    expect(insert.code).toBe(0);
    expect(insert.stdout).toContain('INSERT 0 1');

    const again = await runCli(['exec', '--local', '-o', 'text', "SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name"], { env: localEnv });
    expect(again).toEqual({ code: 0, stdout: 'game-night-east\nmade-by-test\nsupport-office-hours-east\ntownhall-east\n', stderr: '' });
  });

  it('needs no region and no AWS configuration at all', async () => {
    const bare = isolatedEnv();
    delete bare.AWS_ACCESS_KEY_ID;
    delete bare.AWS_SECRET_ACCESS_KEY;
    const r = await runCli(['exec', '--local', '-o', 'text', 'SELECT count(*) FROM aws.ivs.stages'], { env: { ...bare, AWS_PROFILE: 'no-such-profile' } });
    expect(r).toEqual({ code: 0, stdout: '3\n', stderr: 'NOTICE: no region in the statement for aws.ivs.stages: using us-east-1 (from --local default)\n' });
  });
});

describe('interrupting ccql exec', () => {
  it('SIGINT aborts the running statement and exits 130', async () => {
    slow.resetStats();
    const child = spawn(process.execPath, [BIN, 'exec', '--endpoint-url', slow.url, "SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'"], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The emulator holds the call for a minute: once it has arrived, the statement is waiting on it.
    while (slow.stats().total === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('error: statement cancelled\n');
  });
});
