import { describe, expect, it } from 'vitest';
import { binaryOf, notSupported, textOfBinaryParam } from '../../../src/server/binary-format.js';
import { dataRowOf, encodeColumns } from '../../../src/server/result-encoder.js';
import type { ResultColumn } from '../../../src/result.js';
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
    expect(() => textOfBinaryParam(Buffer.alloc(4), 3614)).toThrow(/binary format for parameters of type tsvector is not supported/);
  });

  // Each expected hex is the DataRow field PostgreSQL 15 sent for the same value.
  const pg = (value: string, oid: number): string => binaryOf(value, oid).toString('hex');

  it('sends time, timetz and interval as PostgreSQL does', () => {
    expect(pg('12:34:56', OID.time)).toBe('0000000a8bda1c00');
    expect(pg('24:00:00', OID.time)).toBe('000000141dd76000');
    expect(pg('12:34:56+05:30', OID.timetz)).toBe('0000000a8bda1c00ffffb2a8');
    expect(pg('00:00:00-03:30:15', OID.timetz)).toBe('000000000000000000003147');
    expect(pg('1 day', OID.interval)).toBe('00000000000000000000000100000000');
    expect(pg('00:00:00', OID.interval)).toBe('0000000000000000' + '0000000000000000');
    expect(pg('-1 years +2 mons -3 days +04:05:06.789', OID.interval)).toBe('000000036c97ca88fffffffdfffffff6');
    expect(pg('100000:00:00', OID.interval)).toBe('0001476b081e8000' + '0'.repeat(16));
    expect(pg('-00:00:01.5', OID.interval)).toBe('ffffffffffe91ca00000000000000000');
    expect(pg('P1Y2M3DT4H5M6.5S', OID.interval)).toBe('000000036c9361a0000000030000000e');
    expect(pg('-1 days +02:03:00', OID.interval)).toBe('00000001b7e1dd00ffffffff00000000');
    expect(() => binaryOf('1 fortnight', OID.interval)).toThrow(/cannot send a value of type interval in binary/);
  });

  it('sends dates and timestamps over their whole ranges, BC and infinity', () => {
    expect(pg('294276-12-31', OID.date)).toBe('065ce7ee');
    expect(pg('5874897-12-31', OID.date)).toBe('7fda970c');
    expect(pg('4713-01-01 BC', OID.date)).toBe('ffda97cd');
    expect(pg('0001-01-01 BC', OID.date)).toBe('fff4da8b');
    expect(pg('infinity', OID.date)).toBe('7fffffff');
    expect(pg('-infinity', OID.date)).toBe('80000000');
    expect(pg('275761-01-01 00:00:00', OID.timestamp)).toBe('77e41ddcc2b36000');
    expect(pg('294276-12-31 23:59:59.999999', OID.timestamp)).toBe('7fffff5bb3b29fff');
    expect(pg('4713-01-01 00:00:00 BC', OID.timestamp)).toBe('fd0f7fbdaf17e000');
    expect(pg('294276-12-31 23:59:59.999999+00', OID.timestamptz)).toBe('7fffff5bb3b29fff');
    expect(pg('0044-03-15 12:00:00.5+00 BC', OID.timestamptz)).toBe('ff1af9e8fb4e7120');
    expect(pg('-infinity', OID.timestamptz)).toBe('8000000000000000');
    // and back, as parameters
    for (const [text, oid] of [
      ['294276-12-31 23:59:59.999999', OID.timestamp],
      ['4713-01-01 00:00:00.000000 BC', OID.timestamp],
      ['0044-03-15 12:00:00.500000+00 BC', OID.timestamptz],
    ] as const) {
      expect(textOfBinaryParam(binaryOf(text, oid), oid)).toBe(text);
    }
    expect(textOfBinaryParam(binaryOf('5874897-12-31', OID.date), OID.date)).toBe('5874897-12-31');
    expect(textOfBinaryParam(binaryOf('0001-01-01 BC', OID.date), OID.date)).toBe('0001-01-01 BC');
  });

  it('sends the geometric types, network addresses, bit strings and ranges', () => {
    expect(pg('(1,2)', 600)).toBe('3ff00000000000004000000000000000');
    expect(pg('(3,4),(1,2)', 603)).toBe('400800000000000040100000000000003ff00000000000004000000000000000');
    expect(pg('((0,0),(1,1),(2,0))', 602)).toBe('0100000003' + '0'.repeat(32) + '3ff00000000000003ff000000000000040000000000000000000000000000000');
    expect(pg('[(0,0),(1,1)]', 602)).toBe('0000000002' + '0'.repeat(32) + '3ff00000000000003ff0000000000000');
    expect(pg('{1,-1,0}', 628)).toBe('3ff0000000000000bff00000000000000000000000000000');
    expect(pg('<(1,2),3>', 718)).toBe('3ff000000000000040000000000000004008000000000000');
    expect(pg('192.168.1.5/24', 869)).toBe('02180004c0a80105');
    expect(pg('10.0.0.0/8', 650)).toBe('020801040a000000');
    expect(pg('2001:db8::ff00:42:8329/64', 869)).toBe('034000102001' + '0db8000000000000ff0000428329');
    expect(pg('::ffff:1.2.3.4', 869)).toBe('038000100000000000000000' + '0000ffff01020304');
    expect(pg('10101', 1560)).toBe('00000005a8');
    expect(pg('[1,10)', 3904)).toBe('020000000400000001000000040000000a');
    expect(pg('empty', 3904)).toBe('01');
  });

  it('sends arrays of any element type it can send, with NULLs, dimensions and lower bounds', () => {
    expect(binaryOf([1, 2], 1007).toString('hex')).toBe('000000010000000000000017000000020000000100000004000000010000000400000002');
    expect(binaryOf(['a', 'b c', null], 1009).toString('hex')).toBe('0000000100000001000000190000000300000001000000016100000003622063ffffffff');
    expect(binaryOf([], 1007).toString('hex')).toBe('000000000000000000000017');
    expect(pg('[0:1]={5,6}', 1005)).toBe('00000001000000000000001500000002000000000000000200050000000200' + '06');
    expect(pg('{"(3,4),(1,2)";"(1,1),(0,0)"}', 1020)).toBe(
      '00000001000000000000025b000000020000000100000020400800000000000040100000000000003ff00000000000004000000000000000000000203ff00000000000003ff000000000000000000000000000000000000000000000',
    );
    expect(binaryOf([[1, 2], [3, 4]], 1016).readInt32BE(0)).toBe(2);
    expect(pg('1 2 3', 22)).toBe('00000001000000000000001500000003000000000000000200010000000200020000000200' + '03');
  });

  it('refuses a type with no binary form, naming it (and the column)', () => {
    expect(() => binaryOf('pg_class', OID.regclass)).toThrow(/binary format is not supported for type regclass/);
    expect(notSupported(2249, 'r').message).toBe('binary format is not supported for type record (column "r")');
    expect(notSupported(2249).sqlstate).toBe('0A000');
    expect(() => binaryOf('maybe', OID.bool)).toThrow(/not a boolean/);
  });

  it('reads binary array parameters into array literals, and other types back to what they were', () => {
    const text1009 = Buffer.from('0000000100000001000000190000000300000001000000016100000003622063ffffffff', 'hex');
    expect(textOfBinaryParam(text1009, 1009)).toBe('{a,"b c",NULL}');
    expect(textOfBinaryParam(binaryOf([[1, 2], [3, 4]], 1007), 1007)).toBe('{{1,2},{3,4}}');
    expect(textOfBinaryParam(binaryOf('[0:1]={5,6}', 1005), 1005)).toBe('[0:1]={5,6}');
    expect(textOfBinaryParam(binaryOf([], 1009), 1009)).toBe('{}');
    expect(textOfBinaryParam(binaryOf(['x"y', 'NULL', ''], 1009), 1009)).toBe('{"x\\"y","NULL",""}');
    expect(() => textOfBinaryParam(binaryOf([1], 1007), 1009)).toThrow(/elements of type int4/);
    expect(textOfBinaryParam(binaryOf('1 day 02:00:00', OID.interval), OID.interval)).toBe('0 mons 1 days 02:00:00.000000');
    expect(textOfBinaryParam(binaryOf('12:34:56+05:30', OID.timetz), OID.timetz)).toBe('12:34:56.000000+05:30:00');
    expect(textOfBinaryParam(Buffer.from([0xde, 0xad, 0, 0xff]), OID.bytea)).toBe('\\xdead00ff');
    expect(textOfBinaryParam(binaryOf(-0, OID.float8), OID.float8)).toBe('-0');
    expect(() => textOfBinaryParam(Buffer.from([0xff]), OID.text)).toThrow(/invalid byte sequence/);
  });
});

describe('result encoding', () => {
  const col = (name: string, typeOid: number): ResultColumn => ({ name, type: 'unknown', typeOid });

  it('sends every column in the format asked for: one code for all, or one per column', () => {
    const cols = [col('i', OID.interval), col('b', OID.bool)];
    expect(encodeColumns(cols, [1]).formats).toEqual([1, 1]);
    expect(encodeColumns(cols, [0, 1]).formats).toEqual([0, 1]);
    expect(encodeColumns(cols, []).formats).toEqual([0, 0]);
    const row = dataRowOf(['00:00:00', true], encodeColumns(cols, [1]));
    // 2 fields: 16 bytes of interval, then the bool as one byte 01
    expect(row.subarray(5).toString('hex')).toBe('0002000000100000000000000000000000000000000000000001' + '01');
  });

  it('refuses binary for a column of a type with no binary form, and more format codes than columns', () => {
    expect(() => encodeColumns([col('a', OID.int4), col('r', 2249)], [1])).toThrow(/type record \(column "r"\)/);
    expect(() => encodeColumns([col('a', OID.int4), col('r', 2249)], [1, 0])).not.toThrow();
    expect(() => encodeColumns([col('a', OID.int4)], [1, 1])).toThrow(/bind message has 2 result formats but query has 1 columns/);
    expect(() => dataRowOf(['not a time'], encodeColumns([col('t', OID.time)], [1]))).toThrow(/in column "t"/);
  });
});
