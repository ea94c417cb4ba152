import { describe, expect, it } from 'vitest';
import { bindText, castTypes, literalOf, parameterSlots } from '../../../src/server/parameters.js';
import { lex } from '../../../src/server/sql-lexer.js';

describe('lex', () => {
  it('reads strings, quoted identifiers, dollar quotes, comments and parameters as PostgreSQL does', () => {
    const text = `select 'it''s $1', E'a\\'b $2', $tag$ $3 ' $tag$, "we""ird $4", $5 /* $6 /* nested */ $7 */ -- $8\n, x::int, U&'d\\0061t'`;
    const tokens = lex(text);
    expect(tokens.filter((t) => t.kind === 'param').map((t) => t.value)).toEqual(['5']);
    // a U&'…' string's escapes decoded, as PostgreSQL reads it (the policy checks what it means)
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(["it's $1", "a\\'b $2", " $3 ' ", 'dat']);
    expect(tokens.find((t) => t.kind === 'qident')?.value).toBe('we"ird $4');
    expect(tokens.some((t) => t.value === '::')).toBe(true);
  });

  it('ends an unterminated quote at the end of the text', () => {
    expect(lex("select 'abc").map((t) => t.kind)).toEqual(['word', 'string']);
  });
});

describe('bindText', () => {
  it('substitutes literals for parameters, leaving $n in strings and comments alone', () => {
    const text = "select $1, '$1', $2::int -- $1\n";
    const bound = bindText(text, parameterSlots(text), ["it's", '5'], [0, 23]);
    expect(bound.text).toBe("select 'it''s', '$1', '5'::int4::int -- $1\n");
  });

  it('maps offsets in the bound text back to the statement as written', () => {
    const text = 'select $1, nosuch where $2';
    const bound = bindText(text, parameterSlots(text), ['a much longer value', 'x'], []);
    expect(bound.originalOffset(bound.text.indexOf('nosuch'))).toBe(text.indexOf('nosuch'));
    expect(bound.originalOffset(bound.text.indexOf('much'))).toBe(text.indexOf('$1'));
    expect(bound.originalOffset(3)).toBe(3);
  });

  it('refuses a parameter the statement uses but the Bind did not give', () => {
    const text = 'select $1, $3';
    expect(() => bindText(text, parameterSlots(text), ['a', 'b'], [])).toThrow(/there is no parameter \$3/);
  });

  it('quotes every value as a string literal, cast to its declared type, NULL as NULL', () => {
    expect(literalOf("'; drop table x; --", 0)).toBe("'''; drop table x; --'");
    expect(literalOf('\\', 25)).toBe("'\\'");
    expect(literalOf('42', 20)).toBe("'42'::int8");
    expect(literalOf(null, 16)).toBe('NULL::bool');
    expect(literalOf(null, 0)).toBe('NULL');
    expect(literalOf('{a,b}', 1009)).toBe("'{a,b}'::text[]");
    expect(() => literalOf('a\0b', 25)).toThrow(/0x00/);
  });
});

describe('column names of substituted parameters', () => {
  const bind = (text: string, values: string[], types: number[]): string => bindText(text, parameterSlots(text), values, types).text;

  it('names a whole select-list item ?column?, as PostgreSQL names $n, whatever its cast', () => {
    // psycopg 3 sends int2, unknown, date and bool for (5, 'x', date(2024, 1, 1), True)
    expect(bind('select $1, $2, $3, $4', ['5', 'x', '2024-01-01', 't'], [21, 0, 1082, 16])).toBe(
      `select '5'::int2 AS "?column?", 'x', '2024-01-01'::date AS "?column?", 't'::bool AS "?column?"`,
    );
    expect(bind('select ($1) from t', ['5'], [23])).toBe(`select ('5'::int4) AS "?column?" from t`);
    expect(bind('select a, $1\nunion all select b, $2;', ['1', '2'], [23, 23])).toBe(`select a, '1'::int4 AS "?column?"\nunion all select b, '2'::int4 AS "?column?";`);
  });

  it('leaves parameters alone that are not a whole item, or that have a name', () => {
    const typed = [23, 23, 23];
    expect(bind('select $1 as n, $2 m, $3::int8', ['1', '2', '3'], typed)).toBe(`select '1'::int4 as n, '2'::int4 m, '3'::int4::int8`);
    expect(bind('select f($1, $2), $3 + 1', ['1', '2', '3'], typed)).toBe(`select f('1'::int4, '2'::int4), '3'::int4 + 1`);
    expect(bind('select x from t where a = $1 and b in ($2, $3)', ['1', '2', '3'], typed)).toBe(`select x from t where a = '1'::int4 and b in ('2'::int4, '3'::int4)`);
    expect(bind('select array[$1, $2] limit $3', ['1', '2', '3'], typed)).toBe(`select array['1'::int4, '2'::int4] limit '3'::int4`);
    expect(bind('values ($1, $2)', ['1', '2'], [23, 23])).toBe(`values ('1'::int4, '2'::int4)`);
  });

  it('maps offsets after an added alias back to the statement as written', () => {
    const text = 'select $1, nosuch';
    const bound = bindText(text, parameterSlots(text), ['1'], [23]);
    expect(bound.originalOffset(bound.text.indexOf('nosuch'))).toBe(text.indexOf('nosuch'));
  });
});

describe('castTypes', () => {
  it('reads the type a parameter is cast to where it stands', () => {
    const casts = castTypes("select $1::bytea, cast($2 as int4[]), $3::timestamp with time zone, $4::pg_catalog.int8, $5::numeric(10, 2), $6 = 'x', '$7'::int4");
    expect(Object.fromEntries(casts)).toEqual({ 1: 17, 2: 1007, 3: 1184, 4: 20, 5: 1700 });
  });
});
