import { describe, expect, it } from 'vitest';
import { binaryOf, textOfBinaryParam } from '../../../src/server/binary-format.js';
import { OID } from '../../../src/pg-types.js';
import { arrayText, floatText, jsonbText, textOf, timestamptzInZone } from '../../../src/server/text-format.js';

describe('text format', () => {
  it('writes float8 as PostgreSQL does (shortest digits, its exponent form)', () => {
    // Each expected text is what `select v::text` answers in PostgreSQL 18 for the same double.
    const cases: Array<[number, string]> = [
      [1e21, '1e+21'],
      [1e15, '1e+15'],
      [123456789012345680, '1.2345678901234568e+17'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1.5, '1.5'],
      [-0.000123, '-0.000123'],
      [100, '100'],
      [1e14, '100000000000000'],
      [123456.789, '123456.789'],
      [2.5e-300, '2.5e-300'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [0.1, '0.1'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ];
    for (const [v, text] of cases) expect(floatText(v), String(v)).toBe(text);
  });

  it('writes jsonb with jsonb_out spacing, arrays as array literals, booleans as t/f, timestamptz in UTC', () => {
    expect(jsonbText({ a: 1, b: [true, null, 'x'] })).toBe('{"a": 1, "b": [true, null, "x"]}');
    expect(textOf({ a: 1 }, OID.jsonb)).toBe('{"a": 1}');
    expect(textOf([1, 2], OID.jsonb)).toBe('[1, 2]');
    // scalars as JSON, not as SQL text or booleans (a driver JSON.parses the column)
    expect(['abc', true, false, 5, 1.5].map((v) => textOf(v, OID.jsonb))).toEqual(['"abc"', 'true', 'false', '5', '1.5']);
    expect(textOf('say "hi"', OID.json)).toBe('"say \\"hi\\""');
    expect(arrayText(['a', 'b c', null, '', 'NULL', 'q"'])).toBe('{a,"b c",NULL,"","NULL","q\\""}');
    expect(textOf(true, OID.bool)).toBe('t');
    expect(textOf(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 500)), OID.timestamptz)).toBe('2024-01-02 03:04:05.5+00');
    expect(textOf(12345678901234567890n, OID.numeric)).toBe('12345678901234567890');
    expect(textOf(new Uint8Array([0xde, 0xad]), OID.bytea)).toBe('\\xdead');
  });
});

describe('timestamptz in the session time zone', () => {
  it('writes the offset as PostgreSQL does (+01, +05:30, -04), UTC as +00', () => {
    const d = new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 250));
    expect(textOf(d, OID.timestamptz, 'Europe/Paris')).toBe('2024-07-01 14:00:00.25+02');
    expect(textOf(d, OID.timestamptz, 'Asia/Kolkata')).toBe('2024-07-01 17:30:00.25+05:30');
    expect(textOf(d, OID.timestamptz, 'America/New_York')).toBe('2024-07-01 08:00:00.25-04');
    expect(textOf(d, OID.timestamptz, 'UTC')).toBe('2024-07-01 12:00:00.25+00');
    expect(timestamptzInZone(d, '<+02>-02')).toBeUndefined();
  });
});

describe('binary format', () => {
  it('round-trips numeric, timestamps, dates, uuid and integers through send and receive', () => {
    for (const n of ['0', '1', '-1', '12345.678', '0.0001', '-9999999999999999999.00001', '100000000', 'NaN', '3.1400']) {
      expect(textOfBinaryParam(binaryOf(n, OID.numeric), OID.numeric), n).toBe(n === '3.1400' ? '3.1400' : n);
    }
    expect(textOfBinaryParam(binaryOf('2024-01-02 03:04:05.123456+00', OID.timestamptz), OID.timestamptz)).toBe('2024-01-02 03:04:05.123456+00');
    expect(textOfBinaryParam(binaryOf('1999-12-31 23:59:59', OID.timestamp), OID.timestamp)).toBe('1999-12-31 23:59:59.000000');
    expect(textOfBinaryParam(binaryOf('2024-02-29', OID.date), OID.date)).toBe('2024-02-29');
    expect(textOfBinaryParam(binaryOf('1990-05-17', OID.date), OID.date)).toBe('1990-05-17');
    expect(textOfBinaryParam(binaryOf('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', OID.uuid), OID.uuid)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(textOfBinaryParam(binaryOf(9007199254740993n, OID.int8), OID.int8)).toBe('9007199254740993');
    expect(textOfBinaryParam(binaryOf(-5, OID.int2), OID.int2)).toBe('-5');
    expect(binaryOf({ a: 1 }, OID.jsonb).toString('latin1')).toBe('\x01{"a": 1}');
    expect(binaryOf('abc', OID.jsonb).toString('latin1')).toBe('\x01"abc"');
    expect(binaryOf(true, OID.json).toString('latin1')).toBe('true');
  });

  it('refuses a binary parameter of the wrong size or an unknown type', () => {
    expect(() => textOfBinaryParam(Buffer.alloc(3), OID.int4)).toThrow(/incorrect binary data format/);
    expect(() => textOfBinaryParam(Buffer.alloc(4), 600)).toThrow(/binary format for parameters of type 600/);
  });
});
