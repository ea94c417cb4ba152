import { describe, expect, it } from 'vitest';
import { load as loadJsYaml, YAML11_SCHEMA } from 'js-yaml';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { OUTPUT_FORMATS, ScriptOutput, cellText, columnKeys, formatResult, toJson, type OutputFormat } from '../../../src/cli/format.js';
import { CcqlError } from '../../../src/errors.js';
import type { ResultColumn, RowsResult, StatementResult } from '../../../src/result.js';

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
    expect(out).toContain('2024-05-06 07:08:09.123+00');
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
    expect(parsed[0]).toMatchObject({ name: 'a, "quoted"\tvalue', ratio: 0.5, ok: true, created: '2024-05-06 07:08:09.123+00', tags: [{ Key: 'env', Value: 'prod' }] });
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
    expect(lines[1]).toBe('"a, ""quoted""\tvalue",9007199254740993,0.5,true,2024-05-06 07:08:09.123+00,"[{""Key"":""env"",""Value"":""prod""}]"');
    expect(lines[2]).toBe(',,,false,,');
    expect(lines[3]).toBe('');
    const multiline = formatResult({ kind: 'rows', command: 'SELECT 1', columns: [{ name: 'd', type: 'text' }], rows: [['two\nlines']] }, 'csv');
    expect(multiline).toBe('d\r\n"two\nlines"\r\n');
  });

  it('text: tab-separated, no header, one line per row', () => {
    const out = formatResult(result, 'text');
    expect(out.split('\n')).toEqual([
      'a, "quoted"\\tvalue\t9007199254740993\t0.5\ttrue\t2024-05-06 07:08:09.123+00\t[{"Key":"env","Value":"prod"}]',
      '\t\t\tfalse\t\t',
      '',
    ]);
  });

  it('yaml: a list of mappings that reads back to the same values', () => {
    const out = formatResult(result, 'yaml');
    expect(out).toContain('size: 9007199254740993');
    const back = parseYaml(out, { intAsBigInt: true }) as Array<Record<string, unknown>>;
    expect(back[0]).toMatchObject({ name: 'a, "quoted"\tvalue', size: big, ratio: 0.5, ok: true, created: '2024-05-06 07:08:09.123+00', tags: [{ Key: 'env', Value: 'prod' }] });
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
    expect(toJson({ n: Infinity, b: 12345678901234567890n, d: when, u: undefined })).toBe('{"n":"Infinity","b":12345678901234567890,"d":"2024-05-06 07:08:09.123+00"}');
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

describe('json and jsonb values', () => {
  // Regression: the cell formats wrote a jsonb string without its quotes, so '"5"'::jsonb
  // showed as 5, like the number. psql writes the JSON text: "5".
  const jsonb = (name: string): ResultColumn => ({ name, type: 'jsonb', typeOid: 3802 });
  const values: RowsResult = {
    kind: 'rows',
    command: 'SELECT 1',
    columns: [
      jsonb('s'),
      jsonb('n'),
      jsonb('sn'),
      { name: 'js', type: 'jsonb', typeOid: 114 }, // json: results call it jsonb too
      jsonb('esc'),
      jsonb('b'),
      jsonb('nested'),
      { name: 't', type: 'text', typeOid: 25 },
    ],
    rows: [['5', 5, null, 'x', 'a "b"\tc', true, { k: '1', v: [null, '2', 3] }, '5']],
  };
  const cells = ['"5"', '5', '', '"x"', '"a \\"b\\"\\tc"', 'true', '{"k":"1","v":[null,"2",3]}', '5'];

  it('are their JSON text in every cell format, a JSON string keeping its quotes; SQL NULL is empty', () => {
    expect(formatResult(values, 'csv')).toBe(`s,n,sn,js,esc,b,nested,t\r\n${cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`);
    // text escapes the backslashes of the JSON escapes, as it does any backslash
    expect(formatResult(values, 'text')).toBe(`${cells.map((c) => c.replace(/\\/g, '\\\\')).join('\t')}\n`);
    expect(formatResult(values, 'table').split('\n')[3]).toBe(`| ${cells.map((c, i) => c.padEnd(values.columns[i]!.name.length)).join(' | ')} |`);
    const expanded = formatResult(values, 'table', { expanded: 'on' }).split('\n');
    expect(expanded.slice(1, -1)).toEqual(values.columns.map((c, i) => `${c.name.padEnd(6)} | ${cells[i]}`));
  });

  it('are as psql writes them through cellText given the column, by type or by OID', () => {
    expect(cellText('5', jsonb('s'))).toBe('"5"');
    expect(cellText('5', { name: 'j', type: 'unknown', typeOid: 114 })).toBe('"5"');
    expect(cellText('', jsonb('s'))).toBe('""');
    expect(cellText('5')).toBe('5');
    expect(cellText('5', { name: 't', type: 'text' })).toBe('5');
    expect(cellText(null, jsonb('s'))).toBe('');
  });

  it('stay JSON values in json, jsonl and yaml: a string a string, SQL NULL null', () => {
    const object = { s: '5', n: 5, sn: null, js: 'x', esc: 'a "b"\tc', b: true, nested: { k: '1', v: [null, '2', 3] }, t: '5' };
    expect(JSON.parse(formatResult(values, 'json'))).toEqual([object]);
    expect(JSON.parse(formatResult(values, 'jsonl'))).toEqual(object);
    expect(parseYaml(formatResult(values, 'yaml'), { version: '1.1' })).toEqual([object]);
    expect(parseYaml(formatResult(values, 'yaml'), { version: '1.2' })).toEqual([object]);
  });
});

describe('yaml strings read back as the same strings by YAML 1.1 and 1.2 readers', () => {
  // Regression: `0o17` was written plain, an int to YAML 1.2 readers; `<<` plain, a merge key to
  // 1.1 readers; U+2028 and U+0085 unescaped, line breaks to 1.1 readers.
  const lookalikes = [
    // numbers: octal, binary, hex, exponents, separators, sexagesimal, special floats
    '0o17', '0o7', '0O17', '-0o17', '017', '0017', '-017', '08', '0b101', '-0b1', '0x1F', '0X1f', '+0x1', '0x_1', '1_000', '1__0', '1e3', '1E3', '1e+3',
    '1.0e+3', '-1e3', '1e', '.5', '+.5', '-.5', '5.', '1._', '._', '._1', '.1e1', '0', '-0', '+0', '00', '12345678901234567890',
    '1:20', '-1:20', '1:20.5', '190:20:30', '12:30:45', '0:0', '1:60', '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN',
    // null, booleans and the other keywords, in every letter case
    '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'false', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '=', '<<',
    // timestamps
    '2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2002-12-14T21:59:43Z', '2024-01-02 03:04:05.123456+00',
    // spaces, indicators, comments, documents
    '', ' ', ' a', 'a ', '\t', 'a\tb', '\ta', '-', '--', '---', '...', '- a', '-a', ':', ': ', ':a', 'a:', 'a: b', 'a:b', 'a :', '#', '# a', 'a #b', 'a#b',
    '*', '*a', '&', '&a', '!', '!a', '!!str', '%', '%YAML', '@', '@a', '`', '`a', '?', '? a', '|', '>a', "'", '"', '{', '{a}', '[a]', ',', ',a', '+', '.',
    // line breaks and characters YAML wants escaped
    'a\nb', 'a\n', '\n', ' \n ', 'a\r\nb', 'a\rb', 'a\u2028b', '\u2029', 'a\u0085b', '\u0085', '\x7f', '\x80', '\x9f', '\ufeffa', '\ufffe', 'a\x00b', '\x1b',
    'yes\nno', '1\n2', '- a\n- b', '---\na', 'a\n...', 'é', '日本', '😀', '\\',
  ];
  const readers: Record<string, (text: string) => unknown> = {
    'yaml 1.1': (text) => parseYaml(text, { version: '1.1' }),
    'yaml 1.2': (text) => parseYaml(text, { version: '1.2' }),
    'js-yaml (core schema)': (text) => loadJsYaml(text),
    'js-yaml (YAML 1.1 schema)': (text) => loadJsYaml(text, { schema: YAML11_SCHEMA }),
  };
  const column = (strings: readonly string[]): RowsResult => ({ kind: 'rows', command: 'SELECT', columns: [{ name: 'v', type: 'text' }], rows: strings.map((s) => [s]) });

  it.each(Object.entries(readers))('as values: %s', (_, read) => {
    expect((read(formatResult(column(lookalikes), 'yaml')) as Array<{ v: unknown }>).map((r) => r.v)).toEqual(lookalikes);
  });

  it.each(Object.entries(readers))('as column names and as the keys and values of jsonb: %s', (_, read) => {
    const names = lookalikes.filter((s) => !s.includes('\n'));
    const wide: RowsResult = { kind: 'rows', command: 'SELECT 1', columns: names.map((name) => ({ name, type: 'text' })), rows: [names.map(() => 'v')] };
    // Object.keys puts integer-like keys first: compare as sets
    expect(Object.keys((read(formatResult(wide, 'yaml')) as object[])[0]!).sort()).toEqual([...names].sort());
    const doc = Object.fromEntries(lookalikes.map((s, i) => [s, [s, { [s]: i }]]));
    const nested: RowsResult = { kind: 'rows', command: 'SELECT 1', columns: [{ name: 'doc', type: 'jsonb' }], rows: [[doc]] };
    expect(read(formatResult(nested, 'yaml'))).toEqual([{ doc }]);
  });

  it.each(Object.entries(readers))('every short string of number-like characters: %s', (_, read) => {
    const alphabet = [...'017._:e+-xon~< '];
    let strings = [''];
    for (let n = 0; n < 3; n++) strings = [...strings, ...strings.filter((s) => s.length === n).flatMap((s) => alphabet.map((c) => s + c))];
    expect((read(formatResult(column(strings), 'yaml')) as Array<{ v: unknown }>).map((r) => r.v)).toEqual(strings);
  });

  it('writes the look-alikes double-quoted and plain text still plain', () => {
    const out = formatResult({ kind: 'rows', command: 'SELECT 1', columns: [{ name: 'o', type: 'text' }, { name: 'a', type: 'text' }], rows: [['0o17', '0o7']] }, 'yaml');
    expect(out).toBe('- o: "0o17"\n  a: "0o7"\n');
    const plain = ['stages', 'game-night-east', 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf', 'a b', 'Infinity', 'no way', 'https://example.com/a?b=1#c'];
    expect(formatResult(column(plain), 'yaml')).toBe(plain.map((s) => `- v: ${s}\n`).join(''));
    expect(formatResult(column(['a\u2028b', '\x7f']), 'yaml')).toBe('- v: "a\\u2028b"\n- v: "\\u007f"\n');
    expect(formatResult({ kind: 'rows', command: 'SELECT 1', columns: [{ name: '<<', type: 'integer' }], rows: [[1]] }, 'yaml')).toBe('- "<<": 1\n');
  });
});

describe('columns that share a name', () => {
  // Regression: json, jsonl and yaml rows are objects, and the second `name` overwrote the first.
  const joined: RowsResult = {
    kind: 'rows',
    command: 'SELECT 1',
    columns: [
      { name: 'name', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'a', type: 'integer' },
      { name: 'a', type: 'integer' },
      { name: 'a_2', type: 'integer' },
      { name: 'a', type: 'integer' },
    ],
    rows: [['stage-1', 'channel-1', 1, 2, 3, 4]],
  };
  const expected = { name: 'stage-1', name_2: 'channel-1', a: 1, a_3: 2, a_2: 3, a_4: 4 };

  it('keeps every column in json, jsonl and yaml, a repeat getting _2, _3… (never the name of another column)', () => {
    expect(JSON.parse(formatResult(joined, 'json'))).toEqual([expected]);
    expect(JSON.parse(formatResult(joined, 'jsonl'))).toEqual(expected);
    expect(parseYaml(formatResult(joined, 'yaml'))).toEqual([expected]);
    expect(Object.keys(JSON.parse(formatResult(joined, 'jsonl')) as object)).toEqual(['name', 'name_2', 'a', 'a_3', 'a_2', 'a_4']);
  });

  it('leaves the header of the cell formats as the columns are named', () => {
    expect(formatResult(joined, 'csv').split('\r\n')[0]).toBe('name,name,a,a,a_2,a');
    expect(formatResult(joined, 'table')).toMatch(/\| name +\| name +\| a +\| a +\| a_2 \| a +\|/);
  });

  it('names unique columns as they are', () => {
    expect(columnKeys([{ name: 'x', type: 'text' }, { name: 'y', type: 'text' }])).toEqual(['x', 'y']);
    expect(columnKeys([{ name: 'x_2', type: 'text' }, { name: 'x', type: 'text' }, { name: 'x', type: 'text' }, { name: 'x', type: 'text' }])).toEqual(['x_2', 'x', 'x_3', 'x_4']);
  });
});

describe('timestamps and dates', () => {
  // Regression: a timestamptz was written as ISO 8601 (2024-01-02T03:04:05.000Z), unlike Postgres.
  const times: RowsResult = {
    kind: 'rows',
    command: 'SELECT 1',
    columns: [
      { name: 'ts', type: 'timestamp' },
      { name: 'd', type: 'date' },
      { name: 'tz', type: 'timestamptz' },
      { name: 'ms', type: 'timestamptz' },
      { name: 'micro', type: 'timestamptz' },
    ],
    rows: [['2024-01-02 03:04:05', '2024-01-02', new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05.120Z'), '2024-01-02 03:04:05.123456+00']],
  };
  const values = ['2024-01-02 03:04:05', '2024-01-02', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05.12+00', '2024-01-02 03:04:05.123456+00'];

  it('are written as PostgreSQL writes them, timestamptz in UTC, in every format', () => {
    expect(formatResult(times, 'text')).toBe(`${values.join('\t')}\n`);
    expect(formatResult(times, 'csv')).toBe(`ts,d,tz,ms,micro\r\n${values.join(',')}\r\n`);
    expect(formatResult(times, 'table').split('\n')[3]).toBe(`| ${values.join(' | ')} |`);
    const object = { ts: values[0], d: values[1], tz: values[2], ms: values[3], micro: values[4] };
    expect(JSON.parse(formatResult(times, 'json'))).toEqual([object]);
    expect(JSON.parse(formatResult(times, 'jsonl'))).toEqual(object);
    // as strings, not as YAML 1.1 timestamps
    expect(parseYaml(formatResult(times, 'yaml'), { version: '1.1' })).toEqual([object]);
  });

  it('write years before 1 as BC and past 9999 in full', () => {
    const bc = new Date(0);
    bc.setUTCFullYear(-43, 2, 15);
    expect(cellText(bc)).toBe('0044-03-15 00:00:00+00 BC');
    expect(cellText(new Date('+010000-01-01T00:00:00Z'))).toBe('10000-01-01 00:00:00+00');
    expect(cellText(new Date(NaN))).toBe('invalid date');
  });
});

describe('expanded display (\\x)', () => {
  const wide: RowsResult = {
    kind: 'rows',
    command: 'SELECT 2',
    columns: [
      { name: 'name', type: 'text' },
      { name: 'id', type: 'text' },
      { name: 'tags', type: 'jsonb' },
    ],
    rows: [
      ['stages', 'aws.ivs.stages', null],
      ['two\nlines', '', [1]],
    ],
  };

  it('prints a block per row as psql does: a RECORD rule, then column | value lines', () => {
    expect(formatResult(wide, 'table', { expanded: 'on' })).toBe(
      ['-[ RECORD 1 ]--------', 'name | stages', 'id   | aws.ivs.stages', 'tags | ', '-[ RECORD 2 ]--------', 'name | two\\nlines', 'id   | ', 'tags | [1]', ''].join('\n'),
    );
  });

  it('draws the + of psql under a long column name, and says (0 rows) for none', () => {
    const long: RowsResult = { kind: 'rows', command: 'SELECT 1', columns: [{ name: 'a_very_long_column_name', type: 'integer' }], rows: [[1]] };
    expect(formatResult(long, 'table', { expanded: 'on' })).toBe('-[ RECORD 1 ]-----------+--\na_very_long_column_name | 1\n');
    expect(formatResult({ ...wide, rows: [] }, 'table', { expanded: 'on' })).toBe('(0 rows)\n');
  });

  it('auto: expanded only when the table is wider than the terminal', () => {
    const table = formatResult(wide, 'table');
    const width = Math.max(...table.split('\n').map((l) => l.length));
    expect(formatResult(wide, 'table', { expanded: 'auto', width })).toBe(table);
    expect(formatResult(wide, 'table', { expanded: 'auto', width: width - 1 })).toMatch(/^-\[ RECORD 1 \]/);
    expect(formatResult(wide, 'table', { expanded: 'auto' })).toBe(table);
    expect(formatResult(wide, 'table', { expanded: 'off', width: 10 })).toBe(table);
    // the other formats are not tables
    expect(formatResult(wide, 'csv', { expanded: 'on' })).toBe(formatResult(wide, 'csv'));
  });
});

describe('a script of several statements is one document', () => {
  const one: RowsResult = { kind: 'rows', command: 'SELECT 1', columns: [{ name: 'a', type: 'integer' }], rows: [[1]] };
  const two: RowsResult = { kind: 'rows', command: 'SELECT 2', columns: [{ name: 'a', type: 'integer' }], rows: [[2], [3]] };
  const none: RowsResult = { kind: 'rows', command: 'SELECT 0', columns: [{ name: 'b', type: 'text' }], rows: [] };
  const insert: StatementResult = { kind: 'command', command: 'INSERT 0 1' };

  function script(format: OutputFormat, results: StatementResult[], statements = results.length): string {
    const out = new ScriptOutput(format, statements);
    return results.map((r) => out.add(r)).join('') + out.end();
  }

  it('prints one statement exactly as formatResult does, in every format', () => {
    for (const f of OUTPUT_FORMATS) {
      for (const r of [one, none, insert]) expect(script(f, [r]), f).toBe(formatResult(r, f));
    }
  });

  // Regression: `ccql exec -o json "SELECT 1; SELECT 2"` printed two JSON documents.
  it('json: one array holding what each statement alone prints', () => {
    const out = script('json', [insert, one, none]);
    expect(JSON.parse(out)).toEqual([{ command: 'INSERT 0 1' }, [{ a: 1 }], []]);
    expect(out).toBe('[\n  {"command":"INSERT 0 1"},\n  [\n    {"a":1}\n  ],\n  []\n]\n');
  });

  it('json: a script that stopped early still closes its array; nothing when nothing ran', () => {
    expect(JSON.parse(script('json', [one], 3))).toEqual([[{ a: 1 }]]);
    expect(script('json', [], 3)).toBe('');
  });

  it('jsonl: every line one JSON value', () => {
    const lines = script('jsonl', [one, insert, two]).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ a: 1 }, { command: 'INSERT 0 1' }, { a: 2 }, { a: 3 }]);
  });

  it('yaml: a stream of documents, one per statement', () => {
    const docs = parseAllDocuments(script('yaml', [one, insert, none]));
    expect(Array.isArray(docs)).toBe(true);
    expect((docs as Array<{ errors: unknown[]; toJS(): unknown }>).map((d) => [d.errors.length, d.toJS()])).toEqual([
      [0, [{ a: 1 }]],
      [0, { command: 'INSERT 0 1' }],
      [0, []],
    ]);
  });

  it('csv: one table, the header once; commands add nothing', () => {
    expect(script('csv', [insert, one, insert, two])).toBe('a\r\n1\r\n2\r\n3\r\n');
  });

  it('csv: columns unlike the first table’s are an error that says so', () => {
    const out = new ScriptOutput('csv', 2);
    expect(out.add(one)).toBe('a\r\n1\r\n');
    let err: unknown;
    try {
      out.add(none);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CcqlError);
    expect((err as CcqlError).message).toBe('-o csv writes one table, but statement 2 returns the columns (b) where the table has (a); its rows are not printed');
    expect((err as CcqlError).hint).toMatch(/the statement has run/);
  });

  it('text: the lines of each statement in turn; table: the tables separated by an empty line', () => {
    expect(script('text', [one, insert, two])).toBe('1\nINSERT 0 1\n2\n3\n');
    expect(script('table', [one, insert])).toBe(`${formatResult(one, 'table')}\nINSERT 0 1\n`);
  });
});
