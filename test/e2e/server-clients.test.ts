/**
 * Real Postgres clients against `ccql serve` spawned from bin/ccql.js: psql, psycopg2,
 * psycopg 3, SQLAlchemy and JDBC (Debian's libpostgresql-jdbc-java on java 17). A client that
 * is not installed skips its test with the reason printed, and fails it under CI=true.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/loader.js';
import { BIN, ensureBuilt, isolatedEnv, ROOT, Tmux } from './cli-helpers.js';
import { requireClient, runClient, scratchDir, spawnServe } from './server-helpers.js';

const PYTHON = '/usr/bin/python3';
const JDBC_JAR = '/usr/share/java/postgresql.jar';

type Served = Awaited<ReturnType<typeof spawnServe>>;

let env: Record<string, string>;
let local: Served;
const dir = scratchDir();

beforeAll(async () => {
  await ensureBuilt();
  env = isolatedEnv();
  local = await spawnServe(['--local'], env);
}, 180_000);

afterAll(async () => {
  await local?.stop();
});

function psql(port: number, args: string[], input = '', extraEnv: Record<string, string> = {}): ReturnType<typeof runClient> {
  return runClient('psql', ['-X', '-h', '127.0.0.1', '-p', String(port), '-U', 'ccql', '-d', 'ccql', ...args], {
    env: { ...env, PGCONNECT_TIMEOUT: '20', ...extraEnv },
    input,
  });
}

describe('psql', () => {
  const hasPsql = requireClient('psql', 'psql', ['--version'], 'postgresql-client');

  it.runIf(hasPsql)('runs queries, several statements in one string, \\dn, \\dt and \\d, and errors with a working query after them', async () => {
    const script = [
      'select 1 as one;',
      "select name from aws.ivs.stages where region = 'us-east-1' order by name limit 1;",
      "select 'a' as x; select 'b' as y;",
      '\\dn aws_iv*',
      '\\dt aws_ivs.*',
      '\\d+ aws_ivs.stages',
      'select * from aws.ivs.nosuch;',
      "select count(*) as n from aws_ivs.stages where region = 'us-east-1';",
      'begin;',
      'select 1/0;',
      'select 2;',
      'rollback;',
      "select 'after' as state;",
    ].join('\n');
    const r = await psql(local.port, ['-v', 'ON_ERROR_STOP=0', '-f', '-'], script);
    expect(r.stdout).toMatch(/one\s*\n-+\n\s*1\n/);
    expect(r.stdout).toContain('game-night-east');
    expect(r.stdout).toMatch(/ x \n-+\n a\n/);
    expect(r.stdout).toMatch(/ y \n-+\n b\n/);
    expect(r.stdout).toMatch(/aws_ivs\s+\|/);
    expect(r.stdout).toMatch(/aws_ivs \| stages\s+\| table/);
    expect(r.stdout).toContain('Table "aws_ivs.stages"');
    expect(r.stdout).toMatch(/active_session_id\s+\| text.*ID of the active session/);
    expect(r.stderr).toMatch(/ERROR: {2}unknown resource 'aws\.ivs\.nosuch'\nLINE 1: select \* from aws\.ivs\.nosuch;\n\s+\^/);
    expect(r.stdout).toMatch(/ n \n-+\n\s+\d+\n/);
    expect(r.stderr).toContain('ERROR:  division by zero');
    expect(r.stderr).toContain('ERROR:  current transaction is aborted, commands ignored until end of transaction block');
    expect(r.stdout).toContain('after');
    expect(r.stderr).not.toMatch(/WARNING: .*version/);
  });

  it.runIf(hasPsql && requireClient('tmux', 'tmux', ['-V'], 'tmux'))('shows its banner without a version warning, and Ctrl-C cancels a running statement', async () => {
    const slow = await slowServe();
    const tmux = new Tmux(['psql', '-X', '-h', '127.0.0.1', '-p', String(slow.serve.port), '-U', 'ccql', '-d', 'ccql'], env);
    try {
      const banner = await tmux.waitFor((s) => s.includes('ccql=>'), 'the psql prompt', 60_000);
      expect(banner).toMatch(/psql \(15\.\d+.*server 15\.\d+/);
      expect(banner).not.toContain('WARNING');
      tmux.type("select count(*) from aws.ivs.stages where region = 'us-east-1';");
      tmux.press('Enter');
      await new Promise((r) => setTimeout(r, 1500));
      tmux.press('C-c');
      const screen = await tmux.waitFor((s) => s.includes('canceling statement due to user request'), 'the cancel', 20_000);
      expect(screen).toContain('ERROR:  canceling statement due to user request');
      tmux.type('select 42 as answer;');
      tmux.press('Enter');
      await tmux.waitFor((s) => /answer\s*\n-+\n\s*42/.test(s), 'a query after the cancel', 20_000);
    } finally {
      tmux.kill();
      await slow.stop();
    }
  });

  it.runIf(hasPsql && requireClient('openssl', 'openssl', ['version'], 'openssl'))('connects with TLS (sslmode=verify-full) and SCRAM, and refuses a wrong password and plaintext', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 's3cret pass\n');
    const secure = await spawnServe(['--local', '--user', 'alice', '--password-file', passwordFile, '--tls-cert', cert, '--tls-key', key, '--tls-required'], env);
    try {
      const conninfo = (password: string, sslmode: string): string => `host=localhost port=${secure.port} user=alice dbname=ccql password='${password}' sslmode=${sslmode} sslrootcert=${cert}`;
      const ok = await runClient('psql', ['-X', '-At', conninfo('s3cret pass', 'verify-full'), '-c', 'select 7'], { env });
      expect(ok.stderr).toBe('');
      expect(ok.stdout.trim()).toBe('7');
      const wrong = await runClient('psql', ['-X', '-At', conninfo('nope', 'verify-full'), '-c', 'select 7'], { env });
      expect(wrong.stderr).toContain('password authentication failed for user "alice"');
      const plain = await runClient('psql', ['-X', '-At', conninfo('s3cret pass', 'disable'), '-c', 'select 7'], { env });
      expect(plain.code).not.toBe(0);
      expect(plain.stderr).toContain('no encryption');
    } finally {
      await secure.stop();
    }
  });
});

/** `ccql serve` over a `ccql emulator` whose every call takes 4 s (for cancel tests). */
async function slowServe(): Promise<{ serve: Served; stop: () => Promise<void> }> {
  const emulator = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--latency-ms', '4000', '--seed', 'demo', '--data', join(scratchDir(), 'emulator.json')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${log}`)), 30_000);
    emulator.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const serve = await spawnServe(['--endpoint-url', url, '--region', 'us-east-1'], env);
  return {
    serve,
    stop: async () => {
      await serve.stop();
      emulator.kill('SIGTERM');
    },
  };
}

describe('Python', () => {
  const hasPsycopg2 = requireClient('python3-psycopg2', PYTHON, ['-c', 'import psycopg2'], 'python3-psycopg2');
  const hasPsycopg3 = requireClient('python3-psycopg', PYTHON, ['-c', 'import psycopg'], 'python3-psycopg');
  const hasSqlalchemy = hasPsycopg2 && requireClient('python3-sqlalchemy', PYTHON, ['-c', 'import sqlalchemy'], 'python3-sqlalchemy');

  async function python(code: string, port: number): Promise<string> {
    const r = await runClient(PYTHON, ['-c', code, String(port)], { env });
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  }

  it.runIf(hasPsycopg2)('psycopg2: client-side parameters with quotes and --, int, bool, dict and tz-aware datetime back', async () => {
    const out = await python(
      `
import sys, json, datetime, psycopg2
conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='ccql', dbname='ccql')
conn.autocommit = True
cur = conn.cursor()
tricky = "it's -- not a comment; /* nor this */"
when = datetime.datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc)
cur.execute("select %s::text, %s::int, %s::bool, %s::jsonb, %s::timestamptz", (tricky, 42, True, json.dumps({"a": [1, 2]}), when))
v = cur.fetchone()
assert v == (tricky, 42, True, {"a": [1, 2]}, when), v
assert v[4].utcoffset() == datetime.timedelta(0)
cur.execute("select name, tags from aws.ivs.stages where region = %s and name = %s", ("us-east-1", "townhall-east"))
rows = cur.fetchall()
assert len(rows) == 1 and isinstance(rows[0][1], list), rows
try:
    cur.execute("select * from aws.ivs.nosuch")
    raise SystemExit("no error")
except psycopg2.Error as e:
    assert e.pgcode == "42P01", e.pgcode
cur.execute("select 1")
print("ok", cur.fetchone()[0])
`,
      local.port,
    );
    expect(out.trim()).toBe('ok 1');
  });

  it.runIf(hasPsycopg2)('psycopg2: conn.cancel() cancels a slow query', async () => {
    const slow = await slowServe();
    try {
      const out = await python(
        `
import sys, threading, time, psycopg2, psycopg2.errors
conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='ccql', dbname='ccql')
cur = conn.cursor()
cur.execute("select 1")
threading.Timer(1.5, conn.cancel).start()
start = time.time()
try:
    cur.execute("select count(*) from aws.ivs.stages where region = 'us-east-1'")
    raise SystemExit("not cancelled")
except psycopg2.errors.QueryCanceled as e:
    print("cancelled", round(time.time() - start) < 4)
`,
        slow.serve.port,
      );
      expect(out.trim()).toBe('cancelled True');
    } finally {
      await slow.stop();
    }
  });

  it.runIf(hasPsycopg3)('psycopg 3: server-side parameters, binary results, prepared statements', async () => {
    const out = await python(
      `
import sys, datetime, psycopg
with psycopg.connect(f"host=127.0.0.1 port={sys.argv[1]} user=ccql dbname=ccql", autocommit=True) as conn:
    cur = conn.cursor(binary=True)
    cur.execute("select %s::int8, %s, %s::bool, now(), '{\\"x\\": 1}'::jsonb, 1.5::float8", (2**40, "x'y -- z", False))
    row = cur.fetchone()
    assert row[0] == 2**40 and row[1] == "x'y -- z" and row[2] is False and row[4] == {"x": 1} and row[5] == 1.5, row
    assert isinstance(row[3], datetime.datetime) and row[3].tzinfo is not None
    assert cur.pgresult.fformat(0) == 1
    names = set()
    for i in range(4):
        cur.execute("select name from aws.ivs.stages where region = %s and name = %s", ("us-east-1", "townhall-east"), prepare=True)
        names.add(cur.fetchone()[0])
    assert names == {"townhall-east"}, names
    print("ok")
`,
      local.port,
    );
    expect(out.trim()).toBe('ok');
  });

  it.runIf(hasPsycopg3)('psycopg 3: server-side cursors (DECLARE, then Describe of its portal), and a clear refusal over a provider table', async () => {
    const out = await python(
      `
import sys, psycopg
dsn = f"host=127.0.0.1 port={sys.argv[1]} user=ccql dbname=ccql"
with psycopg.connect(dsn) as conn:
    with conn.cursor(name="sc") as cur:
        cur.execute("select g, g * 2 as d from generate_series(1, 5) g")
        assert [d.name for d in cur.description] == ["g", "d"], cur.description
        assert cur.fetchmany(2) == [(1, 2), (2, 4)]
        assert cur.fetchall() == [(3, 6), (4, 8), (5, 10)]
with psycopg.connect(dsn, autocommit=True) as conn:
    with conn.cursor(name="held", withhold=True) as cur:
        cur.execute("select g from generate_series(1, 3) g")
        assert cur.fetchall() == [(1,), (2,), (3,)]
    try:
        with conn.cursor(name="p") as cur:
            cur.execute("select name from aws_ivs.stages where region = 'us-east-1'")
        raise SystemExit("not refused")
    except psycopg.errors.FeatureNotSupported as e:
        assert "a cursor cannot read a provider table" in str(e), e
    assert conn.execute("select 1").fetchall() == [(1,)]
print("ok")
`,
      local.port,
    );
    expect(out.trim()).toBe('ok');
  });

  it.runIf(hasPsycopg3)('psycopg 3: binary results of every type read right (time, interval, point, arrays, far dates), lists as parameters, ?column? names', async () => {
    const out = await python(
      `
import sys, datetime, psycopg
from psycopg.rows import dict_row
with psycopg.connect(f"host=127.0.0.1 port={sys.argv[1]} user=ccql dbname=ccql", autocommit=True) as conn:
    cur = conn.cursor(binary=True)
    assert cur.execute("select now()-now() as i, true as b").fetchall() == [(datetime.timedelta(0), True)]
    assert cur.execute("select 1, '1 day'::interval").fetchall() == [(1, datetime.timedelta(days=1))]
    row = cur.execute("select '12:34:56.5'::time, '12:34:56+05:30'::timetz, array[1,2]::int4[], array['a', null]::text[], 1.25::numeric, '9999-12-31'::date").fetchone()
    assert row[0] == datetime.time(12, 34, 56, 500000) and row[1].utcoffset() == datetime.timedelta(hours=5, minutes=30), row
    assert row[2:5] == ([1, 2], ['a', None], __import__('decimal').Decimal('1.25')) and row[5] == datetime.date(9999, 12, 31), row
    try:
        cur.execute("select '294276-12-31'::date")
        raise SystemExit("read as " + repr(cur.fetchone()))
    except psycopg.DataError as e:
        assert "too large" in str(e), e  # the real day number: beyond Python's date, as with PostgreSQL
    try:
        cur.execute("select row(1, 2) as r")
        raise SystemExit("no error")
    except psycopg.errors.FeatureNotSupported as e:
        assert 'type record (column "r")' in str(e), e
    n = conn.execute("select count(*) from aws.ivs.stages where region = any(%s)", (["us-east-1", "us-west-2"],)).fetchone()[0]
    assert n > 0, n
    assert conn.execute("select %b::int4[]", ([1, None, 3],)).fetchone()[0] == [1, None, 3]
    d = conn.cursor(row_factory=dict_row).execute("select %s, %s as named", (5, datetime.date(2024, 1, 1))).fetchone()
    assert list(d) == ["?column?", "named"], d
    print("ok")
`,
      local.port,
    );
    expect(out.trim()).toBe('ok');
  });

  it.runIf(hasSqlalchemy)('SQLAlchemy: connect, a parameterized query, inspect() schemas, tables and columns with comments', async () => {
    const out = await python(
      `
import sys
from sqlalchemy import create_engine, inspect, text
eng = create_engine(f"postgresql+psycopg2://ccql@127.0.0.1:{sys.argv[1]}/ccql")
with eng.connect() as c:
    rows = c.execute(text("select name from aws.ivs.stages where region = :r order by name"), {"r": "us-east-1"}).fetchall()
    assert len(rows) >= 2, rows
ins = inspect(eng)
assert "aws_ivs" in ins.get_schema_names()
assert "stages" in ins.get_table_names(schema="aws_ivs")
cols = {c["name"]: c for c in ins.get_columns("stages", schema="aws_ivs")}
assert str(cols["tags"]["type"]) == "JSONB", cols["tags"]
assert cols["name"]["comment"] == "Stage name", cols["name"]
print("ok")
`,
      local.port,
    );
    expect(out.trim()).toBe('ok');
  });
});

describe('JDBC', () => {
  const hasJava = requireClient('java', 'java', ['-version'], 'openjdk-17-jre-headless') && requireClient('the PostgreSQL JDBC driver', 'test', ['-f', JDBC_JAR], 'libpostgresql-jdbc-java');

  it.runIf(hasJava)('connects, runs a prepared statement 7 times (binary results from the 6th), getTables/getColumns, setFetchSize', async () => {
    const source = join(dir, 'Probe.java');
    writeFileSync(
      source,
      `
import java.sql.*;
public class Probe {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + a[0] + "/ccql", "ccql", "")) {
      try (PreparedStatement ps = c.prepareStatement("select name, ?::int + 1 as n from aws.ivs.stages where region = ? and name = 'townhall-east'")) {
        for (int i = 1; i <= 7; i++) {
          ps.setInt(1, i);
          ps.setString(2, "us-east-1");
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            System.out.println("run " + i + " " + rs.getString(1) + " " + rs.getInt(2));
          }
        }
      }
      DatabaseMetaData md = c.getMetaData();
      int tables = 0;
      try (ResultSet rs = md.getTables(null, "aws_ivs", "%", new String[] {"TABLE"})) { while (rs.next()) tables++; }
      System.out.println("tables " + tables);
      try (ResultSet rs = md.getColumns(null, "aws_ivs", "stages", "tags")) { rs.next(); System.out.println("column " + rs.getString("TYPE_NAME") + " " + rs.getString("REMARKS")); }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.setFetchSize(2);
        int n = 0;
        try (ResultSet rs = st.executeQuery("select g from generate_series(1, 5) g")) { while (rs.next()) n++; }
        System.out.println("fetched " + n);
      }
      c.commit();
    }
  }
}
`,
    );
    const logging = join(dir, 'logging.properties');
    writeFileSync(logging, 'handlers=java.util.logging.ConsoleHandler\njava.util.logging.ConsoleHandler.level=FINEST\norg.postgresql.level=FINEST\n');
    const r = await runClient('java', [`-Djava.util.logging.config.file=${logging}`, '-cp', JDBC_JAR, source, String(local.port)], { env });
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const runs = r.stdout.split('\n').filter((l) => l.startsWith('run '));
    expect(runs).toEqual(Array.from({ length: 7 }, (_, i) => `run ${i + 1} townhall-east ${i + 2}`));
    // One table per resource of the service, Cloud Control and native alike.
    expect(r.stdout).toContain(`tables ${new Catalog({ cache: false }).service('aws', 'ivs').resources.length}\n`);
    expect(r.stdout).toMatch(/column jsonb An array of key-value pairs/);
    expect(r.stdout).toContain('fetched 5');
    // The driver's own trace: the int4 column comes as 4 binary bytes from the 6th run on.
    const rowLengths = [...r.stderr.matchAll(/<=BE DataRow\(len=(\d+)\)/g)].map((m) => Number(m[1])).slice(0, 7);
    expect(rowLengths.slice(5)).toEqual([rowLengths[0]! + 3, rowLengths[0]! + 3]);
    expect(r.stderr).toContain('FE=> Execute(portal=C_');
  });
  it.runIf(hasJava)('reads the same values on every run once it switches to binary (time, arrays, point, timetz, interval), and sends arrays and bytes', async () => {
    const source = join(dir, 'BinaryProbe.java');
    writeFileSync(
      source,
      `
import java.sql.*;
public class BinaryProbe {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + a[0] + "/ccql", "ccql", "")) {
      String[] qs = {
        "select '12:34:56'::time, ?",
        "select array_agg(name order by name) from aws.ivs.stages where region = ?",
        "select array[1,2]::int4[], array[1.5,2]::float8[], ?",
        "select '(1,2)'::point, '12:34:56+02'::timetz, '1 day 02:00'::interval, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 1.25::numeric, ?",
      };
      for (String q : qs) {
        try (PreparedStatement ps = c.prepareStatement(q)) {
          java.util.Set<String> seen = new java.util.LinkedHashSet<>();
          for (int i = 1; i <= 8; i++) {
            ps.setString(1, "us-east-1");
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              StringBuilder row = new StringBuilder();
              for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
                Object o = rs.getObject(k);
                if (o instanceof Array) o = java.util.Arrays.deepToString((Object[]) ((Array) o).getArray());
                row.append(o).append('|');
              }
              seen.add(row.toString());
            }
          }
          System.out.println("runs " + seen);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select count(*) from aws.ivs.stages where region = ANY(?)")) {
        ps.setArray(1, c.createArrayOf("text", new String[] {"us-east-1", "us-west-2"}));
        try (ResultSet rs = ps.executeQuery()) { rs.next(); System.out.println("any " + (rs.getLong(1) > 0)); }
      }
      try (PreparedStatement ps = c.prepareStatement("select 3 = ANY(?), ?")) {
        ps.setArray(1, c.createArrayOf("int4", new Integer[] {1, null, 3}));
        ps.setBytes(2, new byte[] {0, 1, (byte) 255});
        try (ResultSet rs = ps.executeQuery()) { rs.next(); System.out.println("int4[] " + rs.getBoolean(1) + " " + java.util.HexFormat.of().formatHex(rs.getBytes(2))); }
      }
    }
  }
}
`,
    );
    const r = await runClient('java', ['-Duser.timezone=UTC', '-cp', JDBC_JAR, source, String(local.port)], { env });
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    // One distinct row per statement: the binary runs (from the 6th) read as the text ones.
    expect(r.stdout.split('\n').filter((l) => l.startsWith('runs '))).toEqual([
      'runs [12:34:56|us-east-1|]',
      'runs [[game-night-east, support-office-hours-east, townhall-east]|]',
      'runs [[1, 2]|[1.5, 2.0]|us-east-1|]',
      'runs [(1.0,2.0)|10:34:56|0 years 0 mons 1 days 2 hours 0 mins 0.0 secs|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|1.25|us-east-1|]',
    ]);
    expect(r.stdout).toContain('any true\n');
    expect(r.stdout).toContain('int4[] true 0001ff\n');
  });
});
