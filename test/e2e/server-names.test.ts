/**
 * How `ccql serve` reads table names, over the wire with real clients (psql 15, SQLAlchemy):
 * a bare name that search_path resolves to a provider schema's empty catalog table is refused,
 * never read as an empty answer; `aws_ivs.stages.name` column references (SQLAlchemy Core)
 * work with the region pushed down; psql 15's describe commands run on the engine's
 * PostgreSQL 18 catalog. A client that is not installed skips its test, and fails it under
 * CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireClient, runClient, startTestServer, type TestServer } from './server-helpers.js';

const PYTHON = '/usr/bin/python3';

let t: TestServer;
let env: Record<string, string>;

beforeAll(async () => {
  t = await startTestServer();
  env = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PG') && !k.startsWith('AWS_')) env[k] = v;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

function psql(args: string[], input = '', extraEnv: Record<string, string> = {}): ReturnType<typeof runClient> {
  return runClient('psql', ['-X', '-h', '127.0.0.1', '-p', String(t.port), '-U', 'ccql', '-d', 'ccql', '-v', 'ON_ERROR_STOP=0', ...args], {
    env: { ...env, PGCONNECT_TIMEOUT: '20', ...extraEnv },
    input,
  });
}

const REFUSED = /ERROR: {2}relation "stages" resolves through search_path \(aws_ivs(, public)?\) to aws_ivs\.stages, ccql's catalog table of the provider table, which holds no rows\nHINT: {2}name the provider table with its schema, aws_ivs\.stages \(or aws\.ivs\.stages\)/;

describe('psql', () => {
  const hasPsql = requireClient('psql', 'psql', ['--version'], 'postgresql-client');

  it.runIf(hasPsql)('refuses a bare name that search_path resolves to an empty catalog table, by SET, PGOPTIONS and set_config()', async () => {
    // \dt makes the catalog tables first: without them the bare name does not resolve at all.
    const script = [
      '\\dt aws_ivs.*',
      'set search_path = aws_ivs, public;',
      "select count(*) as bare from stages where region = 'us-east-1';",
      "select count(*) as qualified from aws_ivs.stages where region = 'us-east-1';",
      'select count(*) as sub from (select 1 from stages) s;',
      'create temp view v as select * from stages;',
      'table stages;',
      "insert into stages (name) values ('x');",
      'drop table stages;',
      'begin;',
      'set local search_path = public;',
      'select 1 from stages;',
      'commit;',
      "select count(*) as after_commit from stages where region = 'us-east-1';",
      'create temp table stages (name text);',
      'select count(*) as temp_first from stages;',
      'reset search_path;',
      "select count(*) as after_reset from pg_temp.stages;",
    ].join('\n');
    const r = await psql(['-f', '-'], script);
    expect(r.stdout).toMatch(/aws_ivs \| stages\s+\| table/);
    expect(r.stdout).toMatch(/ qualified \n-+\n\s+3\n/);
    expect(r.stdout).not.toMatch(/ bare \n/);
    expect(r.stdout).not.toMatch(/ sub \n/);
    expect(r.stdout).not.toMatch(/ after_commit \n/);
    // Every bare read and write of the catalog table is refused: the SELECT, the subquery, the
    // view, TABLE, INSERT, DROP, and the SELECT after SET LOCAL ended with COMMIT.
    expect(r.stderr.match(new RegExp(REFUSED.source, 'g'))?.length, r.stderr).toBe(7);
    // Inside the transaction search_path was public: an ordinary missing relation.
    expect(r.stderr).toContain('ERROR:  relation "stages" does not exist');
    // A temporary table comes first in search_path, as in PostgreSQL.
    expect(r.stdout).toMatch(/ temp_first \n-+\n\s+0\n/);
    expect(r.stdout).toMatch(/ after_reset \n-+\n\s+0\n/);
    expect(r.stderr).not.toContain('DROP TABLE');

    const options = await psql(['-c', "select count(*) from stages where region = 'us-east-1'"], '', { PGOPTIONS: '-c search_path=aws_ivs' });
    expect(options.stdout).toBe('');
    expect(options.stderr).toMatch(REFUSED);

    const config = await psql(['-f', '-'], "select set_config('search_path', 'aws_ivs', false);\nselect count(*) from stages where region = 'us-east-1';\n");
    expect(config.stderr).toMatch(REFUSED);
  });

  it.runIf(hasPsql)('reads schema.table.column references, quoted or not, with the region pushed down, and database-qualified names', async () => {
    const west = "'us-west-2'";
    const script = [
      `SELECT aws_ivs.stages.name FROM aws_ivs.stages WHERE aws_ivs.stages.region = ${west} ORDER BY aws_ivs.stages.name;`,
      `SELECT "aws_ivs"."stages"."name" FROM "aws_ivs"."stages" WHERE "aws_ivs"."stages"."region" = ${west} ORDER BY 1;`,
      `SELECT count(aws_ivs.stages.*) AS star FROM aws_ivs.stages WHERE aws_ivs.stages.region = ${west};`,
      `SELECT count(*) AS db FROM postgres.aws_ivs.stages WHERE region = ${west};`,
    ].join('\n');
    t.resetCalls();
    const r = await psql(['-f', '-'], script);
    expect(r.stderr).toBe('');
    const names = /\n game-night-west\n support-office-hours-west\n townhall-west\n\(3 rows\)/g;
    expect(r.stdout.match(names)?.length, r.stdout).toBe(2);
    expect(r.stdout).toMatch(/ star \n-+\n\s+3\n/);
    expect(r.stdout).toMatch(/ db \n-+\n\s+3\n/);
    // The region was read from the WHERE clause: no NOTICE of the default region on stderr,
    // and the list calls were made.
    expect(t.calls().ListResources).toBeGreaterThan(0);
  });

  it.runIf(hasPsql)("runs psql 15's describe commands on the engine's PostgreSQL 18 catalog", async () => {
    const commands = ['\\l', '\\l+', '\\dO', '\\dO+', '\\d aws_ivs.stages', '\\dt aws_ivs.*', '\\dn', '\\df', '\\dv', '\\du', '\\dx', '\\dT', '\\db', '\\dp', '\\dD', '\\dconfig', '\\dX', '\\dRs', '\\dRp'];
    for (const c of commands) {
      const r = await psql(['-c', c]);
      expect(r.stderr, c).not.toContain('ERROR');
      expect(r.code, c).toBe(0);
    }
    const l = await psql(['-c', '\\l']);
    expect(l.stdout).toMatch(/List of databases[\s\S]*ICU Locale[\s\S]*postgres/);
  });
});

describe('SQLAlchemy', () => {
  const hasSqlalchemy = requireClient('python3-psycopg2', PYTHON, ['-c', 'import psycopg2'], 'python3-psycopg2') && requireClient('python3-sqlalchemy', PYTHON, ['-c', 'import sqlalchemy'], 'python3-sqlalchemy');

  it.runIf(hasSqlalchemy)('Core select() over an autoloaded Table reads the provider table; a search_path Table without schema fails with 0A000', async () => {
    const code = `
import sys
from sqlalchemy import MetaData, Table, create_engine, select, exc
url = f"postgresql+psycopg2://ccql@127.0.0.1:{sys.argv[1]}/ccql"
eng = create_engine(url)
t = Table("stages", MetaData(), schema="aws_ivs", autoload_with=eng)
with eng.connect() as c:
    names = sorted(r[0] for r in c.execute(select(t.c.name).where(t.c.region == "us-west-2")))
    assert names == ["game-night-west", "support-office-hours-west", "townhall-west"], names
    n = c.execute(select(t.c.name).where(t.c.region == "us-east-1").where(t.c.name.like("%east%"))).fetchall()
    assert len(n) >= 2, n
bare = create_engine(url, connect_args={"options": "-csearch_path=aws_ivs"})
u = Table("stages", MetaData(), autoload_with=bare)
try:
    with bare.connect() as c:
        c.execute(select(u.c.name).where(u.c.region == "us-west-2")).fetchall()
    raise SystemExit("no error")
except exc.DBAPIError as e:
    assert e.orig.pgcode == "0A000", e.orig.pgcode
    assert "aws_ivs.stages" in e.orig.diag.message_hint, e.orig.diag.message_hint
print("ok")
`;
    const r = await runClient(PYTHON, ['-c', code, String(t.port)], { env });
    expect(r.stderr, r.stdout).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });
});
