/**
 * `ccql exec` end to end: the built CLI in a child process. Catalog statements need no
 * endpoint; statements over Cloud Control go to an emulator started here (cli-sql.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, isolatedEnv, runCli } from './cli-helpers.js';

const env = isolatedEnv();
const stagesRow = 'stages\taws.ivs.stages\tAWS::IVS::Stage\n';

beforeAll(async () => {
  await ensureBuilt();
});

describe('ccql exec: where the SQL comes from', () => {
  it('runs SQL given as an argument', async () => {
    const r = await runCli(['exec', '-o', 'text', "SHOW RESOURCES IN aws.ivs LIKE 'stages'"], { env });
    expect(r).toEqual({ code: 0, stdout: stagesRow, stderr: '' });
  });

  it('runs several statements from -f FILE in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-exec-'));
    const file = join(dir, 'script.sql');
    writeFileSync(file, "-- two statements\nSHOW RESOURCES IN aws.ivs LIKE 'stages';\n\nSHOW RESOURCES IN aws.ivs\n  LIKE 'channels';\n");
    const r = await runCli(['exec', '-o', 'text', '-f', file], { env });
    expect(r).toEqual({ code: 0, stdout: `${stagesRow}channels\taws.ivs.channels\tAWS::IVS::Channel\n`, stderr: '' });
  });

  it('reads the script from stdin', async () => {
    const r = await runCli(['exec', '-o', 'text'], { env, input: "SHOW RESOURCES IN aws.ivs LIKE 'stages';" });
    expect(r).toEqual({ code: 0, stdout: stagesRow, stderr: '' });
  });

  it('refuses SQL both as an argument and with -f (exit 2)', async () => {
    const r = await runCli(['exec', '-f', 'x.sql', 'SELECT 1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: give the SQL either as an argument or with -f FILE, not both');
  });

  it('reports a missing -f file as bad usage (exit 2)', async () => {
    const r = await runCli(['exec', '-f', '/nonexistent/q.sql'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: cannot read /nonexistent/q.sql: ENOENT');
  });
});

describe('ccql exec: output formats', () => {
  // 'st%s': the generated tables, not the native stream_keys_native beside them
  const sql = "SHOW RESOURCES IN aws.ivs LIKE 'st%s'";
  const expected: Record<string, string> = {
    text: 'stages\taws.ivs.stages\tAWS::IVS::Stage\nstorage_configurations\taws.ivs.storage_configurations\tAWS::IVS::StorageConfiguration\nstream_keys\taws.ivs.stream_keys\tAWS::IVS::StreamKey\n',
    csv: 'name,id,type\r\nstages,aws.ivs.stages,AWS::IVS::Stage\r\nstorage_configurations,aws.ivs.storage_configurations,AWS::IVS::StorageConfiguration\r\nstream_keys,aws.ivs.stream_keys,AWS::IVS::StreamKey\r\n',
    jsonl: '{"name":"stages","id":"aws.ivs.stages","type":"AWS::IVS::Stage"}\n{"name":"storage_configurations","id":"aws.ivs.storage_configurations","type":"AWS::IVS::StorageConfiguration"}\n{"name":"stream_keys","id":"aws.ivs.stream_keys","type":"AWS::IVS::StreamKey"}\n',
  };

  for (const format of ['table', 'json', 'jsonl', 'csv', 'text', 'yaml']) {
    it(`-o ${format}`, async () => {
      const r = await runCli(['exec', '-o', format, sql], { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const exact = expected[format];
      if (exact !== undefined) expect(r.stdout).toBe(exact);
      if (format === 'json') expect(JSON.parse(r.stdout)).toEqual(jsonlRows(expected.jsonl!));
      if (format === 'yaml') expect(r.stdout).toContain('- name: stages\n  id: aws.ivs.stages\n  type: AWS::IVS::Stage\n');
      if (format === 'table') {
        expect(r.stdout).toMatch(/\| name +\| id +\| type +\|/);
        expect(r.stdout).toMatch(/\| stream_keys +\| aws\.ivs\.stream_keys +\| AWS::IVS::StreamKey +\|/);
      }
    });
  }

  it('separates the YAML of several statements as documents', async () => {
    const r = await runCli(['exec', '-o', 'yaml', `${sql}; ${sql}`], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n---\n')).toHaveLength(2);
  });

  it('refuses an unknown format (exit 2)', async () => {
    const r = await runCli(['exec', '-o', 'xml', sql], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('xml');
  });
});

describe('ccql exec: several statements are one document', () => {
  const script = "SHOW RESOURCES IN aws.ivs LIKE 'stages'; CREATE TEMPORARY TABLE t (a int); INSERT INTO t VALUES (1); SELECT a FROM t";
  const stage = { name: 'stages', id: 'aws.ivs.stages', type: 'AWS::IVS::Stage' };

  // Regression: -o json printed one JSON document per statement, which no JSON reader takes.
  it('-o json: one array, an element per statement (commands included)', async () => {
    const r = await runCli(['exec', '-o', 'json', script], { env });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([[stage], { command: 'CREATE TABLE' }, { command: 'INSERT 0 1' }, [{ a: 1 }]]);
  });

  it('-o json: closes the array of what ran when a statement fails (exit 1)', async () => {
    const r = await runCli(['exec', '-o', 'json', "SHOW RESOURCES IN aws.ivs LIKE 'stages'; SELECT nope; SELECT 1"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: column "nope" does not exist');
    expect(JSON.parse(r.stdout)).toEqual([[stage]]);
  });

  it('-o jsonl: a JSON value per line; -o yaml: a stream of documents; -o csv: one table', async () => {
    const jsonl = await runCli(['exec', '-o', 'jsonl', script], { env });
    expect(jsonlRows(jsonl.stdout)).toEqual([stage, { command: 'CREATE TABLE' }, { command: 'INSERT 0 1' }, { a: 1 }]);
    const yaml = await runCli(['exec', '-o', 'yaml', script], { env });
    const { parseAllDocuments } = await import('yaml');
    const docs = parseAllDocuments(yaml.stdout) as Array<{ errors: unknown[]; toJS(): unknown }>;
    expect(docs.map((d) => [d.errors.length, d.toJS()])).toEqual([
      [0, [stage]],
      [0, { command: 'CREATE TABLE' }],
      [0, { command: 'INSERT 0 1' }],
      [0, [{ a: 1 }]],
    ]);
    const csv = await runCli(['exec', '-o', 'csv', "CREATE TEMPORARY TABLE t (a int); INSERT INTO t VALUES (1), (2); SELECT a FROM t WHERE a = 1; SELECT a FROM t WHERE a = 2"], { env });
    expect(csv).toEqual({ code: 0, stdout: 'a\r\n1\r\n2\r\n', stderr: '' });
  });

  it('-o csv: refuses a second table of other columns, saying what ran (exit 1)', async () => {
    const r = await runCli(['exec', '-o', 'csv', 'SELECT 1 AS a; SELECT 2 AS b'], { env });
    expect(r).toEqual({
      code: 1,
      stdout: 'a\r\n1\r\n',
      stderr:
        'error: -o csv writes one table, but statement 2 returns the columns (b) where the table has (a); its rows are not printed\n' +
        'hint: the statement has run; give statements of other shapes their own ccql exec, or use -o json, jsonl or yaml, which hold several results\n',
    });
  });
});

describe('ccql exec: columns that share a name', () => {
  // Regression: the structured formats kept only the last of the columns named `a`.
  it('keeps every one in json, jsonl and yaml', async () => {
    const sql = 'SELECT 1 AS a, 2 AS a, 3 AS a_2';
    expect(JSON.parse((await runCli(['exec', '-o', 'json', sql], { env })).stdout)).toEqual([{ a: 1, a_3: 2, a_2: 3 }]);
    expect((await runCli(['exec', '-o', 'jsonl', sql], { env })).stdout).toBe('{"a":1,"a_3":2,"a_2":3}\n');
    expect((await runCli(['exec', '-o', 'yaml', sql], { env })).stdout).toBe('- a: 1\n  a_3: 2\n  a_2: 3\n');
  });
});

describe('ccql exec: timestamps and dates, whatever the time zone', () => {
  // Regression: a timestamp came out shifted by the machine's TZ, and a date as a timestamp.
  const sql = "SELECT '2024-01-02 03:04:05'::timestamp AS ts, '2024-01-02'::date AS d, '2024-01-02 03:04:05.25+05'::timestamptz AS tz";
  const values = ['2024-01-02 03:04:05', '2024-01-02', '2024-01-01 22:04:05.25+00'];
  for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
    it(`prints them as PostgreSQL does with TZ=${tz}, in every format`, async () => {
      const zoned = { ...env, TZ: tz };
      const out = async (format: string): Promise<string> => {
        const r = await runCli(['exec', '-o', format, sql], { env: zoned });
        expect(r.stderr).toBe('');
        return r.stdout;
      };
      const object = { ts: values[0], d: values[1], tz: values[2] };
      expect(await out('text')).toBe(`${values.join('\t')}\n`);
      expect(await out('csv')).toBe(`ts,d,tz\r\n${values.join(',')}\r\n`);
      expect(await out('jsonl')).toBe(`${JSON.stringify(object)}\n`);
      expect(JSON.parse(await out('json'))).toEqual([object]);
      expect(await out('yaml')).toBe(`- ts: "${values[0]}"\n  d: "${values[1]}"\n  tz: "${values[2]}"\n`);
      expect(await out('table')).toContain(`| ${values.join(' | ')} |`);
    });
  }
});

function jsonlRows(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('ccql exec: --var templating', () => {
  it('substitutes variables, including values with = in them', async () => {
    const r = await runCli(['exec', '-o', 'text', '--var', 'svc=ivs', '--var', 'pattern=st=x', "SHOW RESOURCES IN aws.{{svc}} LIKE '{{pattern}}'; SHOW RESOURCES IN aws.{{svc}} LIKE 'stages'"], { env });
    expect(r).toEqual({ code: 0, stdout: stagesRow, stderr: '' });
  });

  it('stops at an undefined variable, naming it and where it is, and runs nothing (exit 1)', async () => {
    const r = await runCli(['exec', '-o', 'text', '--var', 'svc=ivs', "SHOW RESOURCES IN aws.{{svc}} LIKE 'stages';\nSHOW RESOURCES IN aws.{{svc}} LIKE '{{pattern}}'"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: template variable 'pattern' is not defined\n  at <command line>:2:39\nhint: pass --var pattern=VALUE (defined: svc); write \\{{ for a literal {{\n");
  });

  it('templates a script with {{ even without --var, and names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-exec-'));
    const file = join(dir, 'q.sql');
    writeFileSync(file, "SHOW RESOURCES IN aws.{{service}};\n");
    const r = await runCli(['exec', '-f', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: template variable 'service' is not defined\n  at ${file}:1:25\n`);
  });

  it('treats \\{{ as a literal {{', async () => {
    const r = await runCli(['exec', '--var', 'x=1', "SHOW RESOURCES IN aws.ivs LIKE '\\{{x}}'"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('stages');
  });

  it('refuses a --var without = (exit 2)', async () => {
    const r = await runCli(['exec', '--var', 'region', 'SHOW PROVIDERS'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --var "region" has no '='`);
    expect(r.stderr).toContain('hint: write --var NAME=VALUE');
  });
});

describe('ccql exec: exit codes', () => {
  it('exits 1 at the first failed statement, after printing what ran before it', async () => {
    const r = await runCli(['exec', '-o', 'text', "SHOW RESOURCES IN aws.ivs LIKE 'stages'; SHOW RESOURCES IN aws.ivz; SHOW RESOURCES IN aws.ivs LIKE 'channels'"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(stagesRow);
    expect(r.stderr).toContain("error: unknown service 'aws.ivz'");
    expect(r.stderr).toContain("hint: did you mean 'aws.ivs'?");
  });

  it('exits 2 for --local with --endpoint-url, before reading anything', async () => {
    const r = await runCli(['exec', '--local', '--endpoint-url', 'http://127.0.0.1:1', 'SHOW PROVIDERS'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: --local and --endpoint-url cannot be used together');
  });

  it('exits 2 for unknown flags and bad flag values', async () => {
    expect((await runCli(['exec', '--nope', 'SHOW PROVIDERS'], { env })).code).toBe(2);
    const c = await runCli(['exec', '--concurrency', '0', 'SHOW PROVIDERS'], { env });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('expected a whole number of at least 1');
    const u = await runCli(['exec', '--endpoint-url', 'localhost:4566', 'SHOW PROVIDERS'], { env });
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("error: --endpoint-url: 'localhost:4566' is not an http(s) URL");
    const e = await runCli(['exec', 'SHOW PROVIDERS'], { env: { ...env, CCQL_ENDPOINT_URL: 'nope' } });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("error: CCQL_ENDPOINT_URL: 'nope' is not an http(s) URL");
  });

  it('exits 0 with no output for a script of comments only', async () => {
    const r = await runCli(['exec'], { env, input: '-- nothing\n' });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
