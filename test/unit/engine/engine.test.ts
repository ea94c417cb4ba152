/**
 * The engine seam (PGlite): materializing rows, running SQL, json_extract, errors with positions.
 * (test/conformance/engine.test.ts runs the same behaviour against both engines.)
 * Run in a time zone far from UTC, so that anything depending on the machine's shows.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, engineSetupPending, openEngine, type Engine } from '../../../src/engine/engine.js';
import { CcqlError } from '../../../src/errors.js';

// Node applies a change of TZ at once; set before any Date is made here.
process.env.TZ = 'Pacific/Kiritimati';

let engine: Engine;

beforeAll(async () => {
  const cacheDir = join(tmpdir(), 'ccql-test-home', 'cache');
  mkdirSync(cacheDir, { recursive: true });
  engine = await openEngine({ cacheDir });
});

afterAll(async () => {
  await engine.close();
});

describe('materialize', () => {
  it('loads rows in bulk with each column converted to its type', async () => {
    await engine.materialize(
      'm1',
      [
        { name: 'region', type: 'text' },
        { name: 'n', type: 'bigint' },
        { name: 'f', type: 'double precision' },
        { name: 'b', type: 'boolean' },
        { name: 'j', type: 'jsonb' },
        { name: 't', type: 'timestamptz' },
        { name: 'default', type: 'text' },
      ],
      [
        { region: 'r', n: 5, f: '1.5', b: 'true', j: { a: [1] }, t: '2024-01-02T03:04:05Z', default: 'reserved word' },
        { region: 'r', n: '1152921504606846976', j: 'just text', t: null },
        { region: 'r', f: null, j: [1, 2] },
      ],
    );
    const out = await engine.query(`SELECT region, n, f, b, j, t, "default" FROM pg_temp.m1 ORDER BY n NULLS LAST`);
    expect(out.columns.map((c) => c.type)).toEqual(['text', 'bigint', 'double precision', 'boolean', 'jsonb', 'timestamptz', 'text']);
    expect(out.rows[0]).toEqual(['r', 5, 1.5, true, { a: [1] }, new Date('2024-01-02T03:04:05Z'), 'reserved word']);
    expect(out.rows[1]![1]).toBe(2n ** 60n); // beyond 2^53: a BigInt, not a rounded number
    expect(out.rows[1]![4]).toBe('just text');
    expect(out.rows[2]).toEqual(['r', null, null, null, [1, 2], null, null]);
    expect(out.command).toBe('SELECT 3');
    await engine.drop(['m1']);
    await expect(engine.query('SELECT * FROM pg_temp.m1')).rejects.toThrow(/does not exist/);
  });

  // Regression: 1.5 went into a bigint as 1, and 'yes', 'abc' or a mistyped timestamp as NULL.
  it('keeps a value of another JSON type when it converts exactly', async () => {
    await engine.materialize(
      'm2',
      [
        { name: 'k', type: 'bigint' },
        { name: 'n', type: 'bigint' },
        { name: 'f', type: 'double precision' },
        { name: 'b', type: 'boolean' },
        { name: 't', type: 'timestamptz' },
        { name: 's', type: 'text' },
        { name: 'j', type: 'jsonb' },
      ],
      [
        { k: 1, n: '5', f: 'NaN', b: 'TRUE', t: '2024-01-02T03:04:05.123456Z', s: 5, j: { big: 2n ** 64n, n: 1.5 } },
        { k: 2, n: ' 7 ', f: '-Infinity', b: ' false ', t: 1704164645.5, s: true, j: 'text' },
        { k: 3, n: '5.00', f: -Infinity, b: false, t: '2024-01-02 03:04:05+05:30', s: { a: [1] } },
        { k: 4, n: '-9223372036854775808', f: ' 2.5e3 ', t: new Date('2024-01-02T03:04:05.789Z'), s: 12345678901234567890n },
        { k: 5, n: 9223372036854775807n, f: 2n ** 60n, t: '2024-01-02' },
      ],
    );
    const out = await engine.query(`SELECT n, f, b, t::text, s, j::text FROM pg_temp.m2 ORDER BY k`);
    expect(out.rows).toEqual([
      [5, NaN, true, '2024-01-02 03:04:05.123456+00', '5', '{"n": 1.5, "big": 18446744073709551616}'],
      [7, -Infinity, false, '2024-01-02 03:04:05.5+00', 'true', '"text"'],
      [5, -Infinity, false, '2024-01-01 21:34:05+00', '{"a":[1]}', null],
      [-(2n ** 63n), 2500, null, '2024-01-02 03:04:05.789+00', '12345678901234567890', null],
      [2n ** 63n - 1n, 2 ** 60, null, '2024-01-02 00:00:00+00', null, null],
    ]);
    await engine.drop(['m2']);
  });

  const SECRET = 'hunter2-Secret';
  it.each([
    ['bigint', 1.5, /"c" \(bigint\): the value in row 2 is a fractional number, not an integer/],
    ['bigint', SECRET, /"c" \(bigint\): the value in row 2 is a string, not an integer/],
    ['bigint', '5.5', /is a string, not an integer/],
    ['bigint', 2 ** 53 + 2, /is an integer beyond 2\^53, which a JSON number cannot carry exactly/],
    ['bigint', '9223372036854775808', /is an integer out of the range of bigint/],
    ['bigint', true, /is a boolean, not an integer/],
    ['boolean', 'yes', /"c" \(boolean\): the value in row 2 is a string, not true or false/],
    ['boolean', 1, /is a number, not true or false/],
    ['double precision', SECRET, /"c" \(double precision\): the value in row 2 is a string, not a number/],
    ['double precision', '0x10', /is a string, not a number/],
    ['double precision', '', /is an empty string, not a number/],
    ['double precision', '1e400', /is a number out of the range of double precision/],
    ['double precision', 2n ** 53n + 1n, /is an integer that a double precision value cannot hold exactly/],
    ['double precision', { a: 1 }, /is a JSON object, not a number/],
    ['timestamptz', SECRET, /"c" \(timestamptz\): the value in row 2 is not an ISO 8601 timestamp/],
    ['timestamptz', '2024-02-30T00:00:00Z', /is not a valid date and time/],
    ['timestamptz', true, /is a boolean, not a timestamp/],
    ['jsonb', { a: [NaN] }, /"c" \(jsonb\): the value in row 2 holds NaN, which JSON cannot represent/],
  ] as const)('refuses a %s column a value it cannot hold exactly (%s), naming the column and not the value', async (type, value, message) => {
    const load = engine.materialize('m3', [{ name: 'c', type }], [{ c: null }, { c: value }]);
    const err = await load.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CcqlError);
    expect((err as CcqlError).code).toBe('invalid_input');
    expect((err as CcqlError).message).toMatch(message);
    expect((err as CcqlError).message).toMatch(/^cannot load column "c"/);
    expect((err as CcqlError).message).not.toContain(SECRET);
    expect((err as CcqlError).hint).toContain('the value is not shown, as it may be a secret');
  });
});

describe('timestamp, date and timestamptz results', () => {
  // Regression: timestamp (without time zone) came back as a Date made in the machine's time zone,
  // and date as a timestamp.
  it('are PostgreSQL text for timestamp and date, and Dates in UTC where they are exact for timestamptz', async () => {
    const out = await engine.query(
      `SELECT '2024-01-02 03:04:05'::timestamp AS ts, '2024-01-02'::date AS d, '2024-01-02 03:04:05.5+05'::timestamptz AS tz,
              '2024-01-02 03:04:05.123456+00'::timestamptz AS micro, 'infinity'::timestamptz AS inf, '0044-03-15 12:00:00+00 BC'::timestamptz AS bc,
              ARRAY['2024-01-02 03:04:05.25'::timestamp] AS tss, '5874897-12-31'::date AS far`,
    );
    expect(out.columns).toEqual([
      { name: 'ts', type: 'timestamp', typeOid: 1114, typeModifier: -1, typeSize: 8 },
      { name: 'd', type: 'date', typeOid: 1082, typeModifier: -1, typeSize: 4 },
      { name: 'tz', type: 'timestamptz', typeOid: 1184, typeModifier: -1, typeSize: 8 },
      { name: 'micro', type: 'timestamptz', typeOid: 1184, typeModifier: -1, typeSize: 8 },
      { name: 'inf', type: 'timestamptz', typeOid: 1184, typeModifier: -1, typeSize: 8 },
      { name: 'bc', type: 'timestamptz', typeOid: 1184, typeModifier: -1, typeSize: 8 },
      { name: 'tss', type: 'unknown', typeOid: 1115, typeModifier: -1, typeSize: -1 },
      { name: 'far', type: 'date', typeOid: 1082, typeModifier: -1, typeSize: 4 },
    ]);
    expect(out.rows).toEqual([
      [
        '2024-01-02 03:04:05',
        '2024-01-02',
        new Date('2024-01-01T22:04:05.500Z'),
        '2024-01-02 03:04:05.123456+00',
        'infinity',
        '0044-03-15 12:00:00+00 BC',
        ['2024-01-02 03:04:05.25'],
        '5874897-12-31',
      ],
    ]);
  });
});

describe('json_extract', () => {
  const doc = `'{"a": {"b": [10, {"c": "x"}, true]}, "n": null, "s": "str", "k.y": 1}'::jsonb`;
  it.each([
    ['$.a.b[0]', '10'],
    ['$.a.b[1].c', 'x'],
    ['$.a.b[2]', 'true'],
    ['$.a.b[#-1]', 'true'],
    ['$.a.b[1]', '{"c": "x"}'],
    ['$.a.b', '[10, {"c": "x"}, true]'],
    ['$.s', 'str'],
    ['$.n', null],
    ['$.missing', null],
    ['$."k.y"', '1'],
    ['$', '{"a": {"b": [10, {"c": "x"}, true]}, "n": null, "s": "str", "k.y": 1}'],
  ])('%s → %s', async (path, expected) => {
    const out = await engine.query(`SELECT json_extract(${doc}, '${path}')`);
    expect(out.rows).toEqual([[expected]]);
  });

  it('takes json and text documents too, and rejects a malformed path', async () => {
    expect((await engine.query(`SELECT json_extract('{"a": 1}'::json, '$.a'), json_extract('[5]', '$[0]')`)).rows).toEqual([['1', '5']]);
    await expect(engine.query(`SELECT json_extract('{}'::jsonb, 'a.b')`)).rejects.toThrow(/JSON path must start with \$/);
  });
});

describe('errors', () => {
  it('carry the engine SQLSTATE and the 0-based position in the SQL', async () => {
    try {
      await engine.query(`SELECT nope FROM (SELECT 1 AS yes) x`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).sqlstate).toBe('42703');
      expect((e as EngineError).position).toBe(7);
    }
  });
});

describe('settings the embedded engine starts with', () => {
  it('keeps no cumulative statistics (each statement would pay for them), and a session may turn them on', async () => {
    const shown = await engine.query(`SELECT current_setting('track_activities') AS a, current_setting('track_counts') AS c`);
    expect(shown.rows).toEqual([['off', 'off']]);
    await engine.query('SET track_counts = on');
    expect((await engine.query(`SELECT current_setting('track_counts') AS c`)).rows).toEqual([['on']]);
    await engine.query('RESET track_counts');
    expect((await engine.query(`SELECT current_setting('track_counts') AS c`)).rows).toEqual([['off']]);
  });
});

describe('the embedded engine’s first start', () => {
  it('is announced while its data directory is not cached, and not once it is, nor for a PostgreSQL engine', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ccql-empty-cache-'));
    try {
      expect(engineSetupPending({ cacheDir: empty })).toBe(true);
      expect(engineSetupPending({ cacheDir: empty, url: 'postgres://u@localhost:5432/db' })).toBe(false);
      // This file's engine has started (beforeAll), so its cache holds the image.
      expect(engineSetupPending({ cacheDir: join(tmpdir(), 'ccql-test-home', 'cache') })).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
