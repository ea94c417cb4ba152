/**
 * The pieces of the engine seam that need no engine: text values → Cells (the one parser both
 * engines' results go through), engine URLs and their redaction, the server version check, the
 * data directory image format, and columns' type OIDs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineUrlFrom, parseEngineTarget, redactUrl } from '../../../src/engine/engine.js';
import { readTar, writeTar } from '../../../src/engine/pglite-image.js';
import { checkServerVersion } from '../../../src/engine/postgres.js';
import { parseRows, parseValue, resultColumn } from '../../../src/engine/values.js';
import { columnType, OID } from '../../../src/pg-types.js';
import { CcqlError } from '../../../src/errors.js';

process.env.TZ = 'Pacific/Kiritimati';

describe('parseValue', () => {
  it.each([
    [OID.bool, 't', true],
    [OID.bool, 'f', false],
    [OID.int2, '-3', -3],
    [OID.int4, '2147483647', 2147483647],
    [OID.int8, '9007199254740991', 9007199254740991],
    [OID.int8, '9007199254740993', 9007199254740993n],
    [OID.int8, '-9223372036854775808', -(2n ** 63n)],
    [OID.float8, 'Infinity', Infinity],
    [OID.float8, '-Infinity', -Infinity],
    [OID.float4, '1.5', 1.5],
    [OID.numeric, '12345678901234567890.000001', '12345678901234567890.000001'],
    [OID.text, 'plain', 'plain'],
    [OID.uuid, '7d0b9a3e-6a43-4d2c-9e5b-0f2a8c1f4e11', '7d0b9a3e-6a43-4d2c-9e5b-0f2a8c1f4e11'],
    [OID.json, '{"a": [1, null]}', { a: [1, null] }],
    [OID.jsonb, '"s"', 's'],
    [OID.date, '2024-01-02', '2024-01-02'],
    [OID.timestamp, '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456'],
    [OID.timestamptz, '2024-01-02 03:04:05+00', new Date('2024-01-02T03:04:05Z')],
    [OID.timestamptz, '2024-01-02 12:04:05+09', new Date('2024-01-02T03:04:05Z')],
    [OID.timestamptz, '2024-01-02 03:04:05.123456+00', '2024-01-02 03:04:05.123456+00'],
    [OID.timestamptz, 'infinity', 'infinity'],
    [OID.interval, '1 day 02:00:00', '1 day 02:00:00'],
    [99999, 'some user type', 'some user type'],
  ] as const)('type %i: %s', (oid, text, expected) => {
    expect(parseValue(oid, text)).toEqual(expected);
  });

  it('reads NULL as null whatever the type', () => {
    expect(parseValue(OID.int4, null)).toBeNull();
  });

  it('reads bytea in the hex and the escape format', () => {
    expect(parseValue(OID.bytea, '\\x00ff10')).toEqual(new Uint8Array([0, 255, 16]));
    expect(parseValue(OID.bytea, 'a\\\\b\\001')).toEqual(new Uint8Array([97, 92, 98, 1]));
  });

  it('reads arrays of the built-in types, nested, quoted and with NULLs', () => {
    expect(parseValue(1009, '{a,"b c","q\\"x",NULL,"NULL"}')).toEqual(['a', 'b c', 'q"x', null, 'NULL']);
    expect(parseValue(1007, '{{1,2},{3,4}}')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseValue(1016, '{9007199254740993}')).toEqual([9007199254740993n]);
    expect(parseValue(3807, '{"{\\"k\\": 1}"}')).toEqual([{ k: 1 }]);
    expect(parseValue(1000, '{}')).toEqual([]);
    expect(parseValue(1185, '{"2024-01-02 03:04:05+00"}')).toEqual([new Date('2024-01-02T03:04:05Z')]);
    // Explicit bounds have no JS array to go to: the text stays.
    expect(parseValue(1007, '[0:1]={1,2}')).toBe('[0:1]={1,2}');
  });

  it('parses rows by their columns', () => {
    const fields = [
      { name: 'n', typeOid: OID.int4, typeModifier: -1, typeSize: 4 },
      { name: 'j', typeOid: OID.jsonb, typeModifier: -1, typeSize: -1 },
    ];
    expect(parseRows(fields, [['1', '[]'], [null, null]])).toEqual([
      [1, []],
      [null, null],
    ]);
  });
});

describe('result columns', () => {
  it('keep the engine’s OID, modifier and size, with the coarse type for renderers', () => {
    expect(resultColumn({ name: 'v', typeOid: OID.varchar, typeModifier: 14, typeSize: -1 })).toEqual({ name: 'v', type: 'text', typeOid: 1043, typeModifier: 14, typeSize: -1 });
    expect(resultColumn({ name: 'j', typeOid: OID.json, typeModifier: -1, typeSize: -1 }).type).toBe('jsonb');
    expect(resultColumn({ name: 'u', typeOid: OID.uuid, typeModifier: -1, typeSize: 16 }).type).toBe('unknown');
  });

  it('columnType gives one for columns made outside the engine', () => {
    expect(columnType({ name: 'x', type: 'bigint' })).toEqual({ oid: 20, typmod: -1, typlen: 8 });
    expect(columnType({ name: 'x', type: 'jsonb', typeOid: 114, typeModifier: -1, typeSize: -1 })).toEqual({ oid: 114, typmod: -1, typlen: -1 });
  });
});

describe('engine URLs', () => {
  it('take postgres:// and postgresql:// URLs, and pglite or nothing for the embedded engine', () => {
    expect(parseEngineTarget('postgres://u:secret@db.example:5433/ccql')).toEqual({ kind: 'postgres', url: 'postgres://u:secret@db.example:5433/ccql', label: 'postgres://u@db.example:5433/ccql' });
    expect(parseEngineTarget('postgresql://u@localhost/ccql').kind).toBe('postgres');
    expect(parseEngineTarget('pglite')).toEqual({ kind: 'pglite' });
    expect(parseEngineTarget(undefined)).toEqual({ kind: 'pglite' });
    expect(parseEngineTarget('  ')).toEqual({ kind: 'pglite' });
  });

  it('refuse anything else as a usage error that does not show a password', () => {
    const bad = (text: string, source?: string): CcqlError => {
      try {
        parseEngineTarget(text, source);
      } catch (e) {
        return e as CcqlError;
      }
      throw new Error('no error');
    };
    const e = bad('mysql://root:hunter2@h/db');
    expect(e.code).toBe('usage');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("--engine: 'mysql://root@h/db' is not a postgres:// URL");
    expect(e.message).not.toContain('hunter2');
    expect(bad('not a url', 'CCQL_ENGINE').message).toBe("CCQL_ENGINE: '…' is not a postgres:// URL");
    expect(bad('postgres:///db').message).toMatch(/names no host/);
  });

  it('redact passwords in the user part and in parameters', () => {
    expect(redactUrl('postgres://u:p%40ss@h:5432/db?sslmode=require&password=x')).toBe('postgres://u@h:5432/db?sslmode=require');
    expect(redactUrl('postgres://h/db')).toBe('postgres://h/db');
  });

  it('come from --engine, else CCQL_ENGINE', () => {
    expect(engineUrlFrom('postgres://a@h/db', { CCQL_ENGINE: 'postgres://b@h/db' })).toBe('postgres://a@h/db');
    expect(engineUrlFrom(undefined, { CCQL_ENGINE: 'postgres://b@h/db' })).toBe('postgres://b@h/db');
    expect(engineUrlFrom('pglite', { CCQL_ENGINE: 'postgres://b@h/db' })).toBeUndefined();
    expect(engineUrlFrom(undefined, {})).toBeUndefined();
    expect(() => engineUrlFrom(undefined, { CCQL_ENGINE: 'sqlite:x' })).toThrow(/^CCQL_ENGINE: /);
  });
});

describe('the server version check', () => {
  it('takes PostgreSQL 13 and later, and names the URL and the version otherwise', () => {
    expect(() => checkServerVersion(130000, '13.0', 'postgres://u@h/db')).not.toThrow();
    expect(() => checkServerVersion(170002, '17.2', 'postgres://u@h/db')).not.toThrow();
    expect(() => checkServerVersion(120017, '12.17', 'postgres://u@h/db')).toThrow('the engine at postgres://u@h/db runs PostgreSQL 12.17; ccql needs PostgreSQL 13 or later');
  });
});

describe('the data directory image', () => {
  it('is a tar of the directory that reads back without copying', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-tar-'));
    try {
      mkdirSync(join(dir, 'base', '5'), { recursive: true });
      writeFileSync(join(dir, 'PG_VERSION'), '17\n');
      writeFileSync(join(dir, 'base', '5', '1259'), Buffer.alloc(8192, 7));
      writeFileSync(join(dir, 'postmaster.pid'), '42');
      const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'long'), 'x');
      const tar = writeTar(dir);
      const entries = readTar(tar);
      expect(entries.map((e) => [e.path, e.dir, e.data.length])).toEqual([
        ['PG_VERSION', false, 3],
        ['a'.repeat(60), true, 0],
        [`${'a'.repeat(60)}/${'b'.repeat(60)}`, true, 0],
        [`${'a'.repeat(60)}/${'b'.repeat(60)}/long`, false, 1],
        ['base', true, 0],
        ['base/5', true, 0],
        ['base/5/1259', false, 8192],
      ]);
      const file = entries.find((e) => e.path === 'base/5/1259')!;
      expect(file.data.buffer).toBe(tar.buffer); // a view, not a copy
      expect(file.data.every((b) => b === 7)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged one', () => {
    expect(() => readTar(new Uint8Array(1024))).toThrow(/damaged/);
    expect(() => readTar(Buffer.from('not a tar at all'.repeat(64)))).toThrow(/damaged/);
  });
});
