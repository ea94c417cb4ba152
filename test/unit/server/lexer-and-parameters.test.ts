import { describe, expect, it } from 'vitest';
import { bindText, literalOf, parameterSlots } from '../../../src/server/parameters.js';
import { lex } from '../../../src/server/sql-lexer.js';

describe('lex', () => {
  it('reads strings, quoted identifiers, dollar quotes, comments and parameters as PostgreSQL does', () => {
    const text = `select 'it''s $1', E'a\\'b $2', $tag$ $3 ' $tag$, "we""ird $4", $5 /* $6 /* nested */ $7 */ -- $8\n, x::int, U&'d\\0061t'`;
    const tokens = lex(text);
    expect(tokens.filter((t) => t.kind === 'param').map((t) => t.value)).toEqual(['5']);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(["it's $1", "a\\'b $2", " $3 ' ", 'd\\0061t']);
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
