import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { OUTPUT_FORMATS, cellText, formatResult, toJson } from '../../src/cli/format.js';
import type { RowsResult } from '../../src/result.js';

const when = new Date('2024-05-06T07:08:09.123Z');
const big = 9007199254740993n; // 2^53 + 1: not representable as a double

const result: RowsResult = {
  kind: 'rows',
  command: 'SELECT 2',
  columns: [
    { name: 'name', type: 'text' },
    { name: 'size', type: 'bigint' },
    { name: 'ratio', type: 'double precision' },
    { name: 'ok', type: 'boolean' },
    { name: 'created', type: 'timestamptz' },
    { name: 'tags', type: 'jsonb' },
  ],
  rows: [
    ['a, "quoted"\tvalue', big, 0.5, true, when, [{ Key: 'env', Value: 'prod' }]],
    [null, null, null, false, null, null],
  ],
};

describe('formatResult', () => {
  it('table: an ASCII grid with compact JSON cells, NULL empty, int8 exact', () => {
    const out = formatResult(result, 'table');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\+-+\+/);
    expect(lines[1]).toMatch(/^\| name +\| size +\| ratio \| ok +\| created +\| tags +\|$/);
    expect(out).toContain('9007199254740993');
    expect(out).toContain('2024-05-06T07:08:09.123Z');
    expect(out).toContain('[{"Key":"env","Value":"prod"}]');
    // one line per row: the tab inside the value does not break the grid
    expect(lines).toHaveLength(6); // top, header, separator, two rows, bottom
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('json: an array of objects with typed values', () => {
    const out = formatResult(result, 'json');
    expect(out).toContain('"size":9007199254740993');
    const parsed = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ name: 'a, "quoted"\tvalue', ratio: 0.5, ok: true, created: '2024-05-06T07:08:09.123Z', tags: [{ Key: 'env', Value: 'prod' }] });
    expect(parsed[1]).toEqual({ name: null, size: null, ratio: null, ok: false, created: null, tags: null });
    expect(formatResult({ ...result, rows: [] }, 'json')).toBe('[]\n');
  });

  it('jsonl: one object per line', () => {
    const lines = formatResult(result, 'jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ name: null, ok: false });
    expect(formatResult({ ...result, rows: [] }, 'jsonl')).toBe('');
  });

  it('csv: RFC 4180 with a header, quoting only where needed', () => {
    const out = formatResult(result, 'csv');
    const lines = out.split('\r\n');
    expect(lines[0]).toBe('name,size,ratio,ok,created,tags');
    expect(lines[1]).toBe('"a, ""quoted""\tvalue",9007199254740993,0.5,true,2024-05-06T07:08:09.123Z,"[{""Key"":""env"",""Value"":""prod""}]"');
    expect(lines[2]).toBe(',,,false,,');
    expect(lines[3]).toBe('');
    const multiline = formatResult({ kind: 'rows', command: 'SELECT 1', columns: [{ name: 'd', type: 'text' }], rows: [['two\nlines']] }, 'csv');
    expect(multiline).toBe('d\r\n"two\nlines"\r\n');
  });

  it('text: tab-separated, no header, one line per row', () => {
    const out = formatResult(result, 'text');
    expect(out.split('\n')).toEqual([
      'a, "quoted"\\tvalue\t9007199254740993\t0.5\ttrue\t2024-05-06T07:08:09.123Z\t[{"Key":"env","Value":"prod"}]',
      '\t\t\tfalse\t\t',
      '',
    ]);
  });

  it('yaml: a list of mappings that reads back to the same values', () => {
    const out = formatResult(result, 'yaml');
    expect(out).toContain('size: 9007199254740993');
    const back = parseYaml(out, { intAsBigInt: true }) as Array<Record<string, unknown>>;
    expect(back[0]).toMatchObject({ name: 'a, "quoted"\tvalue', size: big, ratio: 0.5, ok: true, created: '2024-05-06T07:08:09.123Z', tags: [{ Key: 'env', Value: 'prod' }] });
    expect(back[1]).toMatchObject({ name: null, ok: false });
  });

  it('renders a command result as its tag, as an object, or not at all (csv)', () => {
    const cmd = { kind: 'command', command: 'INSERT 0 2' } as const;
    expect(formatResult(cmd, 'table')).toBe('INSERT 0 2\n');
    expect(formatResult(cmd, 'text')).toBe('INSERT 0 2\n');
    expect(formatResult(cmd, 'json')).toBe('{"command":"INSERT 0 2"}\n');
    expect(formatResult(cmd, 'jsonl')).toBe('{"command":"INSERT 0 2"}\n');
    expect(parseYaml(formatResult(cmd, 'yaml'))).toEqual({ command: 'INSERT 0 2' });
    expect(formatResult(cmd, 'csv')).toBe('');
  });

  it('every format ends with a newline unless empty', () => {
    for (const f of OUTPUT_FORMATS) {
      const out = formatResult(result, f);
      expect(out.endsWith('\n'), f).toBe(true);
    }
  });
});

describe('cell and JSON rendering', () => {
  it('keeps non-finite doubles and nested int8 values readable', () => {
    expect(cellText(NaN)).toBe('NaN');
    expect(cellText(-Infinity)).toBe('-Infinity');
    expect(toJson({ n: Infinity, b: 12345678901234567890n, d: when, u: undefined })).toBe('{"n":"Infinity","b":12345678901234567890,"d":"2024-05-06T07:08:09.123Z"}');
  });
});

describe('bytea', () => {
  // Regression: the engine returns bytea as a Uint8Array, which was rendered as {"0":1,"1":2}.
  it('is written in Postgres hex format in every format', () => {
    const bytes: RowsResult = { kind: 'rows', command: 'SELECT 1', columns: [{ name: 'b', type: 'unknown' }], rows: [[new Uint8Array([1, 2, 0xab])]] };
    expect(cellText(new Uint8Array([1, 2, 0xab]))).toBe('\\x0102ab');
    expect(JSON.parse(formatResult(bytes, 'json'))).toEqual([{ b: '\\x0102ab' }]);
    expect(formatResult(bytes, 'csv')).toBe('b\r\n\\x0102ab\r\n');
    expect(formatResult(bytes, 'table')).toContain('| \\x0102ab |');
    expect(parseYaml(formatResult(bytes, 'yaml'))).toEqual([{ b: '\\x0102ab' }]);
  });
});

describe('yaml output for YAML 1.1 readers', () => {
  it('quotes strings that YAML 1.1 would read as booleans', () => {
    const out = formatResult({ kind: 'rows', columns: [{ name: 'answer', type: 'text' }], rows: [['yes'], ['no'], ['on']], command: 'SELECT 3' }, 'yaml');
    expect(out).toContain('answer: "yes"');
    expect(out).toContain('answer: "no"');
    expect(out).toContain('answer: "on"');
  });
});
