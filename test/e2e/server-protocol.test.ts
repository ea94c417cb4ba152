/**
 * The wire protocol byte by byte against a server in this process, read with pg-protocol (the
 * parser node-postgres uses) as the oracle: startup and its 13 ParameterStatus values,
 * SSL/GSSENC refusal, the simple and extended protocols, PortalSuspended, Describe without API
 * calls, and bad input (malformed, truncated, oversized messages, garbage, a wrong protocol
 * version) answered with a FATAL error while the server keeps serving others.
 */
import { serialize } from 'pg-protocol';
import type { BackendMessage, DatabaseError, DataRowMessage, ParameterDescriptionMessage, ParameterStatusMessage, RowDescriptionMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstr, int16, int32, message, query, RawClient, readyClient, startTestServer, startupMessage, type TestServer } from './server-helpers.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ maxMessageBytes: 64 * 1024 });
});

afterAll(async () => {
  await t?.stop();
});

const names = (ms: BackendMessage[]): string[] => ms.map((m) => m.name);
const errors = (ms: BackendMessage[]): DatabaseError[] => ms.filter((m) => m.name === 'error') as unknown as DatabaseError[];
const rows = (ms: BackendMessage[]): Array<Array<string | null>> => ms.filter((m): m is DataRowMessage => m.name === 'dataRow').map((m) => m.fields as Array<string | null>);

/** A DataRow's fields as bytes. */
function dataRowFields(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const len = body.readInt32BE(at);
    out.push(body.subarray(at + 4, at + 4 + Math.max(0, len)));
    at += 4 + Math.max(0, len);
  }
  return out;
}

/** A fresh connection that runs `f` and then checks the server still answers `select 1`. */
async function stillServing(): Promise<void> {
  const c = await readyClient(t.port);
  c.messages.length = 0;
  c.write(query('select 1'));
  const ms = await c.untilName('readyForQuery');
  expect(rows(ms)).toEqual([['1']]);
  c.end();
}

describe('startup', () => {
  it('sends the 13 ParameterStatus values of PostgreSQL 15, BackendKeyData and ReadyForQuery (idle)', async () => {
    const c = await readyClient(t.port, { application_name: 'proto-test' });
    const ms = c.messages;
    expect(ms[0]!.name).toBe('authenticationOk');
    const params = Object.fromEntries(ms.filter((m): m is ParameterStatusMessage => m.name === 'parameterStatus').map((m) => [m.parameterName, m.parameterValue]));
    expect(Object.keys(params).sort()).toEqual(
      [
        'application_name',
        'client_encoding',
        'DateStyle',
        'default_transaction_read_only',
        'in_hot_standby',
        'integer_datetimes',
        'IntervalStyle',
        'is_superuser',
        'server_encoding',
        'server_version',
        'session_authorization',
        'standard_conforming_strings',
        'TimeZone',
      ].sort(),
    );
    expect(params).toMatchObject({ application_name: 'proto-test', client_encoding: 'UTF8', DateStyle: 'ISO, MDY', integer_datetimes: 'on', standard_conforming_strings: 'on', session_authorization: 'ccql' });
    expect(params.server_version).toMatch(/^15\.\d+/);
    const key = ms.find((m) => m.name === 'backendKeyData') as unknown as { processID: number; secretKey: number };
    expect(key.processID).toBeGreaterThan(0);
    expect(ms.at(-1)).toMatchObject({ name: 'readyForQuery', status: 'I' });
    c.end();
  });

  it('answers SSLRequest and GSSENCRequest with N when no certificate is configured, then starts up in plaintext', async () => {
    const c = await RawClient.open(t.port);
    c.collectRaw();
    c.write(serialize.requestSsl());
    await c.until(() => c.raw.length > 0);
    expect(Buffer.concat(c.raw).toString()).toBe('N');
    c.raw.length = 0;
    c.write(Buffer.concat([int32(8), int32(80877104)]));
    await c.until(() => c.raw.length > 0);
    expect(Buffer.concat(c.raw).toString()).toBe('N');
    c.socket.removeAllListeners('data');
    c.parseMessages();
    c.write(startupMessage({ user: 'ccql' }));
    const ms = await c.untilName('readyForQuery');
    expect(ms.at(-1)).toMatchObject({ status: 'I' });
    c.end();
  });

  it('refuses a wrong protocol version, a startup packet without a user, garbage and an absurd length with a FATAL error', async () => {
    const cases: Array<[Buffer, string, RegExp]> = [
      [startupMessage({ user: 'ccql' }, 2 << 16), '0A000', /unsupported frontend protocol 2\.0/],
      [startupMessage({ database: 'x' }), '28000', /no PostgreSQL user name/],
      [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), '08P01', /invalid length of startup packet/],
      [Buffer.concat([int32(0x7fffffff), int32(196608)]), '08P01', /invalid length of startup packet/],
    ];
    for (const [bytes, code, text] of cases) {
      const c = await RawClient.open(t.port);
      c.parseMessages();
      c.write(bytes);
      const ms = await c.until(() => c.closed);
      const [err] = errors(ms);
      expect(err, `for ${bytes.subarray(0, 16).toString('hex')}`).toMatchObject({ severity: 'FATAL', code });
      expect(err!.message).toMatch(text);
      expect(c.closed).toBe(true);
    }
    await stillServing();
  });

  it('negotiates protocol 3.0 with a client asking for 3.2 and _pq_ options', async () => {
    const c = await RawClient.open(t.port);
    c.collectRaw();
    c.write(startupMessage({ user: 'ccql', _pq_x: '1', '_pq_.foo': 'bar' }, (3 << 16) | 2));
    await c.until(() => Buffer.concat(c.raw).includes(Buffer.from('Z\0\0\0\x05I', 'latin1')));
    const bytes = Buffer.concat(c.raw);
    expect(bytes[0]).toBe('v'.charCodeAt(0));
    expect(bytes.readInt32BE(5)).toBe(3 << 16);
    expect(bytes.readInt32BE(9)).toBe(1);
    expect(bytes.subarray(13, 21).toString()).toBe('_pq_.foo');
    c.end();
  });
});

describe('simple query', () => {
  it('runs several statements in one Query, with a RowDescription and CommandComplete each, then ReadyForQuery', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(query("select 1 as a; select 'x' as b, 2::int8 as c; set application_name = 'later'"));
    const ms = await c.untilName('readyForQuery');
    expect(names(ms).filter((n) => n !== 'parameterStatus')).toEqual(['rowDescription', 'dataRow', 'commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'commandComplete', 'readyForQuery']);
    const rd = ms.filter((m): m is RowDescriptionMessage => m.name === 'rowDescription');
    expect(rd[1]!.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['b', 25],
      ['c', 20],
    ]);
    expect(ms.filter((m) => m.name === 'commandComplete').map((m) => (m as unknown as { text: string }).text)).toEqual(['SELECT 1', 'SELECT 1', 'SET']);
    // SET of a reported setting sends its ParameterStatus
    expect(ms.some((m) => m.name === 'parameterStatus' && (m as ParameterStatusMessage).parameterName === 'application_name' && (m as ParameterStatusMessage).parameterValue === 'later')).toBe(true);
    c.end();
  });

  it("sends the statement's notices as NoticeResponse before its rows", async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(query('select name from aws.ivs.stages limit 1'));
    const ms = await c.untilName('readyForQuery');
    const notice = ms.find((m) => m.name === 'notice') as unknown as { severity: string; code: string; message: string } | undefined;
    expect(notice).toMatchObject({ severity: 'NOTICE', code: '00000' });
    expect(notice!.message).toContain('no region in the statement for aws.ivs.stages');
    expect(names(ms).indexOf('notice')).toBeLessThan(names(ms).indexOf('dataRow'));
    c.end();
  });

  it('answers an empty query with EmptyQueryResponse', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(query('  -- nothing\n'));
    expect(names(await c.untilName('readyForQuery'))).toEqual(['emptyQuery', 'readyForQuery']);
    c.end();
  });

  it('reports an error with SQLSTATE, 1-based position and hint, and stops at the failing statement', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(query('select 1; select * from aws.ivs.nosuch; select 3'));
    const ms = await c.untilName('readyForQuery');
    const [err] = errors(ms);
    expect(err).toMatchObject({ severity: 'ERROR', code: '42P01', position: String('select 1; select * from '.length + 1) });
    expect(err!.message).toContain('aws.ivs.nosuch');
    expect(err!.hint).toBeTruthy();
    expect(rows(ms)).toEqual([['1']]);
    c.end();
  });

  it('keeps the transaction status: T inside BEGIN, E after an error (25P02 until ROLLBACK), I after', async () => {
    const c = await readyClient(t.port);
    const status = async (sql: string): Promise<{ status: string; code: string | undefined }> => {
      c.messages.length = 0;
      c.write(query(sql));
      const ms = await c.untilName('readyForQuery');
      return { status: (ms.at(-1) as unknown as { status: string }).status, code: errors(ms)[0]?.code };
    };
    expect(await status('begin')).toEqual({ status: 'T', code: undefined });
    expect(await status('select 1')).toEqual({ status: 'T', code: undefined });
    expect(await status('select 1/0')).toEqual({ status: 'E', code: '22012' });
    expect(await status('select 1')).toEqual({ status: 'E', code: '25P02' });
    expect(await status('rollback')).toEqual({ status: 'I', code: undefined });
    expect(await status('select 1')).toEqual({ status: 'I', code: undefined });
    // A statement the policy refuses, each time it comes (texts that pass are remembered; refusals are not),
    // and inside BEGIN it fails the transaction like any other error.
    expect(await status('create table t (a int)')).toEqual({ status: 'I', code: '42501' });
    expect(await status('create table t (a int)')).toEqual({ status: 'I', code: '42501' });
    expect(await status('begin')).toEqual({ status: 'T', code: undefined });
    expect(await status('create table t (a int)')).toEqual({ status: 'E', code: '42501' });
    expect(await status('select 1')).toEqual({ status: 'E', code: '25P02' });
    expect(await status('rollback')).toEqual({ status: 'I', code: undefined });
    c.end();
  });
});

describe('extended query', () => {
  it('runs Parse/Bind/Describe/Execute/Sync with parameters pushed down: one GetResource, no list', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(query("select data__identifier from aws.ivs.stages where region = 'us-east-1' limit 1"));
    const id = rows(await c.untilName('readyForQuery'))[0]![0]!;
    t.resetCalls();
    c.messages.length = 0;
    c.write(
      Buffer.concat([
        serialize.parse({ name: 'by_id', text: 'select name, region from aws.ivs.stages where region = $1 and data__identifier = $2' }),
        serialize.bind({ statement: 'by_id', values: ['us-east-1', id] }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.bind({ statement: 'by_id', values: ['us-east-1', id] }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    const ms = await c.untilName('readyForQuery');
    expect(names(ms)).toEqual(['parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
    expect(rows(ms)[0]![1]).toBe('us-east-1');
    expect(t.calls()).toEqual({ GetResource: 2 });
    c.end();
  });

  it('hands out rows in pieces with a row limit (PortalSuspended) inside a transaction', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(
      Buffer.concat([
        serialize.query('begin'),
        serialize.parse({ text: 'select g from generate_series(1, 5) g' }),
        serialize.bind({ portal: 'p1' }),
        serialize.execute({ portal: 'p1', rows: 2 }),
        serialize.execute({ portal: 'p1', rows: 2 }),
        serialize.execute({ portal: 'p1', rows: 2 }),
        serialize.sync(),
      ]),
    );
    await c.untilName('readyForQuery', 2);
    const ms = c.messages.slice(c.messages.findIndex((m) => m.name === 'readyForQuery') + 1);
    expect(names(ms)).toEqual(['parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended', 'dataRow', 'dataRow', 'portalSuspended', 'dataRow', 'commandComplete', 'readyForQuery']);
    expect(ms.at(-1)).toMatchObject({ status: 'T' });
    c.end();
  });

  it('describes a statement over a provider table without an API call: parameter types and columns', async () => {
    const c = await readyClient(t.port);
    t.resetCalls();
    c.messages.length = 0;
    c.write(
      Buffer.concat([
        serialize.parse({ name: 's', text: 'select name, tags, $2::int + 1 as n from aws.ivs.stages where region = $1' }),
        serialize.describe({ type: 'S', name: 's' }),
        serialize.sync(),
      ]),
    );
    const ms = await c.untilName('readyForQuery');
    expect(names(ms)).toEqual(['parseComplete', 'parameterDescription', 'rowDescription', 'readyForQuery']);
    expect((ms[1] as ParameterDescriptionMessage).dataTypeIDs).toEqual([25, 23]);
    expect((ms[2] as RowDescriptionMessage).fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['name', 25],
      ['tags', 3802],
      ['n', 23],
    ]);
    expect(t.calls()).toEqual({});
    c.end();
  });

  it('sends binary results when asked, for int8, bool, float8, timestamptz, jsonb and text', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.raw.length = 0;
    c.write(
      Buffer.concat([
        serialize.parse({ text: `select 9007199254740993::int8 as a, true as b, 1.5::float8 as c, '2024-01-02 03:04:05.123+00'::timestamptz as d, '{"k": [1]}'::jsonb as e, 'é'::text as f` }),
        serialize.bind({ binary: true }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    const ms = await c.untilName('readyForQuery');
    const rd = ms.find((m): m is RowDescriptionMessage => m.name === 'rowDescription')!;
    expect(rd.fields.map((f) => f.format)).toEqual(['binary', 'binary', 'binary', 'binary', 'binary', 'binary']);
    const row = dataRowFields(c.frames().find((f) => f.type === 'D')!.body);
    expect(row[0]!.readBigInt64BE(0)).toBe(9007199254740993n);
    expect(row[1]![0]).toBe(1);
    expect(row[2]!.readDoubleBE(0)).toBe(1.5);
    expect(row[3]!.readBigInt64BE(0)).toBe(BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 123) - Date.UTC(2000, 0, 1)) * 1000n);
    expect(row[4]![0]).toBe(1);
    expect(JSON.parse(row[4]!.subarray(1).toString())).toEqual({ k: [1] });
    expect(row[5]!.toString('utf8')).toBe('é');
    c.end();
  });

  /** Parse, Bind (every result binary), Describe, Execute, Sync; the messages and the first DataRow's fields. */
  async function binaryRun(text: string, values: Array<Buffer | string | null> = [], types: number[] = []): Promise<{ ms: BackendMessage[]; row: Buffer[] | undefined }> {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.raw.length = 0;
    c.write(Buffer.concat([serialize.parse({ text, types }), serialize.bind({ binary: true, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]));
    const ms = [...(await c.untilName('readyForQuery'))];
    const d = c.frames().find((f) => f.type === 'D');
    c.end();
    return { ms, row: d ? dataRowFields(d.body) : undefined };
  }

  it('sends every column binary when asked for all, text-only types too (psycopg 3 reads all by the first column)', async () => {
    const { ms, row } = await binaryRun(`select now() - now() as i, true as b, '12:34:56'::time as t, '(1,2)'::point as p, array['a', null]::text[] as a, 1.25::numeric as n`);
    const rd = ms.find((m): m is RowDescriptionMessage => m.name === 'rowDescription')!;
    expect(rd.fields.map((f) => f.format)).toEqual(['binary', 'binary', 'binary', 'binary', 'binary', 'binary']);
    // PostgreSQL 15's bytes for the same values
    expect(row!.map((f) => f.toString('hex'))).toEqual([
      '0'.repeat(32),
      '01',
      '0000000a8bda1c00',
      '3ff00000000000004000000000000000',
      '000000010000000100000019000000020000000100000001' + '61ffffffff',
      '0002000000000002000109c4',
    ]);
  });

  it('sends far-future dates and timestamps in binary as PostgreSQL does', async () => {
    const { row } = await binaryRun(`select '294276-12-31'::date, '275761-01-01 00:00'::timestamp, 'infinity'::date`);
    expect(row!.map((f) => f.toString('hex'))).toEqual(['065ce7ee', '77e41ddcc2b36000', '7fffffff']);
  });

  it('answers a binary request for a type it cannot send with 0A000 naming the type and column, and goes on', async () => {
    const { ms } = await binaryRun('select 1 as a, row(1, 2) as r');
    expect(names(ms)).toEqual(['parseComplete', 'bindComplete', 'error', 'readyForQuery']);
    expect(errors(ms)[0]).toMatchObject({ code: '0A000', message: 'binary format is not supported for type record (column "r")' });
    await stillServing();
  });

  it('refuses a Bind with more result format codes than columns', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    const bind = message('B', Buffer.concat([cstr(''), cstr(''), int16(0), int16(0), int16(3), int16(0), int16(0), int16(0)]));
    c.write(Buffer.concat([serialize.parse({ text: 'select 1 as a, 2 as b' }), bind, serialize.execute({}), serialize.sync()]));
    const ms = await c.untilName('readyForQuery');
    expect(errors(ms)[0]).toMatchObject({ code: '08P01', message: 'bind message has 3 result formats but query has 2 columns' });
    c.end();
  });

  it('reads binary parameters by their type: raw bytea (declared or not), arrays, far-future timestamps', async () => {
    // node-postgres sends a Buffer in binary with no type: it is read as the cast says, bytea.
    for (const bytes of [[0xde, 0xad, 0xbe, 0xef], [0, 1, 2, 255]]) {
      const { ms } = await binaryRun("select encode($1::bytea, 'hex')::text h", [Buffer.from(bytes)]);
      expect(errors(ms)).toEqual([]);
    }
    const c = await readyClient(t.port);
    c.messages.length = 0;
    const run = async (text: string, value: Buffer, types: number[] = []): Promise<Array<Array<string | null>>> => {
      c.messages.length = 0;
      c.write(Buffer.concat([serialize.parse({ text, types }), serialize.bind({ values: [value] }), serialize.execute({}), serialize.sync()]));
      const ms = await c.untilName('readyForQuery');
      expect(errors(ms).map((e) => e.message)).toEqual([]);
      return rows(ms);
    };
    expect(await run("select encode($1::bytea, 'hex') h, length($1::bytea) n", Buffer.from([0xde, 0xad, 0xbe, 0xef]))).toEqual([['deadbeef', '4']]);
    expect(await run("select encode($1::bytea, 'hex') h", Buffer.from([0, 1, 2, 255]))).toEqual([['000102ff']]);
    expect(await run("select encode($1, 'hex') h", Buffer.from([0, 0x5c]), [17])).toEqual([['005c']]);
    // text[] and int4[] as JDBC setArray sends them
    const text1009 = Buffer.from('0000000100000001000000190000000300000001000000016100000003622063ffffffff', 'hex');
    expect(await run('select $1::text[]::text, cardinality($1)::text', text1009, [1009])).toEqual([['{a,"b c",NULL}', '3']]);
    const int1007 = Buffer.from('000000010000000000000017000000020000000100000004000000010000000400000002', 'hex');
    expect(await run('select 2 = any($1)', int1007, [1007])).toEqual([['t']]);
    expect(await run('select $1::text', Buffer.from('7fffff5bb3b29fff', 'hex'), [1114])).toEqual([['294276-12-31 23:59:59.999999']]);
    c.end();
  });

  it('names a typed parameter that is a whole select item ?column?, in Describe and in the result', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(
      Buffer.concat([
        serialize.parse({ name: 's', text: 'select $1, $2, $3 as named', types: [21, 1082, 16] }),
        serialize.describe({ type: 'S', name: 's' }),
        serialize.bind({ statement: 's', values: ['5', '2024-01-01', 't'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    const ms = await c.untilName('readyForQuery');
    const descriptions = ms.filter((m): m is RowDescriptionMessage => m.name === 'rowDescription');
    expect(descriptions.map((d) => d.fields.map((f) => f.name))).toEqual([
      ['?column?', '?column?', 'named'],
      ['?column?', '?column?', 'named'],
    ]);
    expect(rows(ms)).toEqual([['5', '2024-01-01', 't']]);
    c.end();
  });

  it('refuses a Bind with the wrong number of parameters, skips to Sync, and goes on', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(Buffer.concat([serialize.parse({ text: 'select $1::text, $2::text' }), serialize.bind({ values: ['a'] }), serialize.execute({}), serialize.sync()]));
    let ms = await c.untilName('readyForQuery');
    expect(names(ms)).toEqual(['parseComplete', 'error', 'readyForQuery']);
    expect(errors(ms)[0]).toMatchObject({ code: '08P01' });
    expect(errors(ms)[0]!.message).toContain('supplies 1 parameters, but prepared statement "" requires 2');
    c.messages.length = 0;
    c.write(Buffer.concat([serialize.parse({ text: "select $1::text || '!'" }), serialize.bind({ values: ["it's -- not a comment"] }), serialize.execute({}), serialize.sync()]));
    ms = await c.untilName('readyForQuery');
    expect(rows(ms)).toEqual([["it's -- not a comment!"]]);
    c.end();
  });

  it('maps an error position through substituted parameters back to the statement as written', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    const text = 'select $1::text, nosuch from aws.ivs.stages where region = $2';
    c.write(Buffer.concat([serialize.parse({ text }), serialize.bind({ values: ['a long value that shifts offsets', 'us-east-1'] }), serialize.execute({}), serialize.sync()]));
    const [err] = errors(await c.untilName('readyForQuery'));
    expect(err).toMatchObject({ code: '42703', position: String(text.indexOf('nosuch') + 1) });
    c.end();
  });

  it('answers Close, Flush and unknown portals as PostgreSQL does', async () => {
    const c = await readyClient(t.port);
    c.messages.length = 0;
    c.write(Buffer.concat([serialize.parse({ name: 'x', text: 'select 1' }), serialize.close({ type: 'S', name: 'x' }), serialize.flush()]));
    await c.untilName('closeComplete');
    c.write(Buffer.concat([serialize.bind({ statement: 'x' }), serialize.sync()]));
    const ms = await c.untilName('readyForQuery');
    expect(errors(ms)[0]).toMatchObject({ code: '26000' });
    c.end();
  });
});

describe('bad input after startup', () => {
  it('closes the connection with 08P01 on a malformed, an oversized or an unknown message, and keeps serving others', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [message('B', Buffer.concat([cstr(''), cstr(''), int16(1), int16(0), int16(1), int32(100)])), /invalid Bind message format/],
      [Buffer.concat([Buffer.from('Q'), int32(10 * 1024 * 1024)]), /more than the 65536 this server accepts/],
      [Buffer.concat([Buffer.from('Q'), int32(2)]), /invalid message length/],
      [message('\x01', Buffer.from('zz')), /invalid frontend message type 1/],
      [message('P', Buffer.concat([cstr('a'), cstr('select 1'), int16(-5)])), /invalid Parse message format/],
    ];
    for (const [bytes, text] of cases) {
      const c = await readyClient(t.port);
      c.messages.length = 0;
      c.write(bytes);
      const ms = await c.until(() => c.closed);
      const [err] = errors(ms);
      expect(err, text.source).toMatchObject({ severity: 'FATAL', code: '08P01' });
      expect(err!.message).toMatch(text);
    }
    await stillServing();
  });

  it('survives a client that disconnects in the middle of a message and one that disconnects mid-query', async () => {
    const a = await readyClient(t.port);
    a.write(Buffer.concat([Buffer.from('Q'), int32(100), Buffer.from('select')]));
    a.end();
    const b = await readyClient(t.port);
    b.write(query('select pg_sleep(0.2), 1'));
    b.end();
    await new Promise((r) => setTimeout(r, 500));
    await stillServing();
  });
});
