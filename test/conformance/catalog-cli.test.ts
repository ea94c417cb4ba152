/**
 * End to end: the built command line (`node bin/ccql.js exec …`, what `npx ccql` runs) on the
 * catalog statements, every output format, and bad input. `npm test` builds first; run
 * `npm run build` before running this file alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
let home: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function ccql(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ccql.js'), ...args], {
    cwd: root,
    env: { ...process.env, CCQL_HOME: home, CCQL_DEBUG: '' },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(r: Run): Array<Record<string, unknown>> {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

function expectNoStackTrace(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at .*[(/].*:\d+:\d+\)?$/m);
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore', shell: process.platform === 'win32' });
  }
  home = mkdtempSync(join(tmpdir(), 'ccql-cli-'));
});

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('ccql exec: catalog statements', () => {
  it('SHOW SERVICES IN aws lists all 274 services (table by default)', () => {
    const r = ccql(['exec', 'SHOW SERVICES IN aws']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(275); // header + 274 services (273 of Cloud Control, ivs_realtime native only)
    expect(rows[0]).toMatch(/^\| name +\| id +\| title +\| resources \|$/);
    expect(r.stdout).toMatch(/^\| ivs +\| aws\.ivs +\| IVS +\| 12 +\|$/m);
    expect(json(ccql(['exec', '-o', 'json', 'SHOW SERVICES IN aws']))).toHaveLength(274);
  });

  it('DESCRIBE aws.ivs.stages shows the columns with their types', () => {
    const r = ccql(['exec', 'DESCRIBE aws.ivs.stages']);
    expect(r.status).toBe(0);
    const pairs = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .slice(1)
      .map((l) => l.split('|').slice(1, 3).map((c) => c.trim()));
    expect(pairs).toEqual([
      ['region', 'text'],
      ['data__Identifier', 'text'],
      ['arn', 'text'],
      ['name', 'text'],
      ['auto_participant_recording_configuration', 'jsonb'],
      ['tags', 'jsonb'],
      ['active_session_id', 'text'],
    ]);
  });

  it('SHOW METHODS as JSON shows that listing stream keys needs channel_arn', () => {
    const methods = json(ccql(['exec', '-o', 'json', 'SHOW METHODS IN aws.ivs.stream_keys']));
    expect(methods.find((m) => m.method_name === 'list_resources')).toEqual({ method_name: 'list_resources', required_params: 'channel_arn, region', sql_verb: 'SELECT' });
  });

  it('SHOW INSERT INTO with -o text prints a template ready to edit', () => {
    const r = ccql(['exec', '-o', 'text', 'show insert into aws.ivs.stream_keys;']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^-- aws\.ivs\.stream_keys: required columns first/);
    expect(r.stdout).toContain('INSERT INTO aws.ivs.stream_keys (\n  ChannelArn, -- required, create-only\n  Tags,       -- optional\n  region      -- required\n)\nSELECT\n');
  });

  it('reads the script from -f FILE and from stdin, and runs several statements', () => {
    const file = join(home, 'script.sql');
    writeFileSync(file, "-- two statements\nSHOW SERVICES IN aws LIKE 'ivs';\nSHOW RESOURCES IN aws.ivs LIKE 'stage%';\n");
    const fromFile = ccql(['exec', '-o', 'jsonl', '-f', file]);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { name: 'ivs', id: 'aws.ivs', title: 'IVS', resources: 12 },
      { name: 'stages', id: 'aws.ivs.stages', type: 'AWS::IVS::Stage' },
    ]);
    const fromStdin = ccql(['exec', '-o', 'jsonl'], "SHOW SERVICES IN aws LIKE 'ivs';\nSHOW RESOURCES IN aws.ivs LIKE 'stage%'");
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('renders every output format', () => {
    const sql = "SHOW RESOURCES IN aws.ivs LIKE 's%'";
    const expected = [
      { name: 'stages', id: 'aws.ivs.stages', type: 'AWS::IVS::Stage' },
      { name: 'storage_configurations', id: 'aws.ivs.storage_configurations', type: 'AWS::IVS::StorageConfiguration' },
      { name: 'stream_keys', id: 'aws.ivs.stream_keys', type: 'AWS::IVS::StreamKey' },
      // the native table of the same type (providers/aws/native/ivs.yaml)
      { name: 'stream_keys_native', id: 'aws.ivs.stream_keys_native', type: 'AWS::IVS::StreamKey' },
    ];
    expect(json(ccql(['exec', '-o', 'json', sql]))).toEqual(expected);
    expect(parseYaml(ccql(['exec', '--output', 'yaml', sql]).stdout)).toEqual(expected);
    expect(ccql(['exec', '-o', 'csv', sql]).stdout).toBe(`name,id,type\r\n${expected.map((e) => `${e.name},${e.id},${e.type}\r\n`).join('')}`);
    expect(ccql(['exec', '-o', 'text', sql]).stdout).toBe(expected.map((e) => `${e.name}\t${e.id}\t${e.type}\n`).join(''));
  });
});

describe('ccql exec: bad input', () => {
  it('an unknown resource gets a "did you mean", exit code 1 and no stack trace', () => {
    const r = ccql(['exec', 'DESCRIBE aws.ivs.stage']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: unknown resource 'aws.ivs.stage'\n  at 1:10\nhint: did you mean 'aws.ivs.stages'?\n");
    const svc = ccql(['exec', 'SHOW RESOURCES IN aws.ivss']);
    expect(svc.status).toBe(1);
    expect(svc.stderr).toContain("did you mean 'aws.ivs'?");
  });

  it('a malformed SHOW gets a syntax error with line, column and the correct form', () => {
    const r = ccql(['exec', 'SHOW SERVICES aws']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: syntax error: expected IN but found 'aws'\n  at 1:15\nhint: write SHOW SERVICES IN aws [LIKE 'pattern']\n");
    expectNoStackTrace(r);
  });

  it('stops at the first failing statement, after printing the results before it', () => {
    const r = ccql(['exec', '-o', 'jsonl', "SHOW SERVICES IN aws LIKE 'ivs'; DESCRIBE aws.nope.stages; SHOW PROVIDERS"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('{"name":"ivs","id":"aws.ivs","title":"IVS","resources":12}\n');
    expect(r.stderr).toContain("unknown service 'aws.nope'");
  });

  it('a bad -o value, an unknown flag, or SQL given twice is a usage error (exit code 2)', () => {
    const badFormat = ccql(['exec', '-o', 'xml', 'SHOW PROVIDERS']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stdout).toBe('');
    expect(badFormat.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, json, jsonl, csv, text, yaml");
    const badFlag = ccql(['exec', '--frobnicate', 'SHOW PROVIDERS']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain("unknown option '--frobnicate'");
    const twice = ccql(['exec', '-f', join(home, 'missing.sql'), 'SHOW PROVIDERS']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('not both');
    const missing = ccql(['exec', '-f', join(home, 'missing.sql')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*missing\.sql: ENOENT/);
    expectNoStackTrace(missing);
  });
});
