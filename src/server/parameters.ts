/**
 * Bound parameters of the extended protocol become SQL literals in the statement's text before
 * it runs through the Session, so that `WHERE region = $1 AND data__Identifier = $2` is planned
 * exactly as the same statement with literals: pushed down to one GetResource, not a list.
 * Values are always quoted as string literals (standard_conforming_strings is on, so only `'`
 * needs doubling), with a cast when the driver declared the parameter's type: a value can never
 * end the literal and become SQL.
 */
import { CcqlError } from '../errors.js';
import { lex } from './sql-lexer.js';
import { OID, oidOfTypeName, TYPE_NAMES } from '../pg-types.js';

/** Where `$n` parameters are in a statement, and how many it needs. */
export interface ParameterSlots {
  /** 0-based offsets of each `$n` token, with its number. */
  readonly slots: ReadonlyArray<{ readonly n: number; readonly start: number; readonly end: number }>;
  /** The highest `$n` used. */
  readonly count: number;
}

export function parameterSlots(text: string): ParameterSlots {
  const slots = lex(text)
    .filter((t) => t.kind === 'param')
    .map((t) => ({ n: Number(t.value), start: t.start, end: t.end }));
  return { slots, count: slots.reduce((m, s) => Math.max(m, s.n), 0) };
}

/** The statement with literals in place of its parameters, and a map of offsets back to the original. */
export interface BoundText {
  readonly text: string;
  /** An offset in `text` → the offset in the statement as the client wrote it. */
  readonly originalOffset: (offset: number) => number;
}

/**
 * Substitutes `values` (the text form of each parameter, null for NULL) for the slots;
 * `types[i]` is the OID the client declared for `$i+1` (0 or absent: none).
 */
export function bindText(text: string, slots: ParameterSlots, values: ReadonlyArray<string | null>, types: readonly number[]): BoundText {
  return substitute(text, slots, (n, start) => {
    const value = values[n - 1];
    if (value === undefined) {
      throw new CcqlError('invalid_input', `there is no parameter $${n}`, { sqlstate: '42P02', location: { offset: start } });
    }
    return { literal: literalOf(value, types[n - 1] ?? 0), typed: castName(types[n - 1] ?? 0) !== undefined };
  });
}

/**
 * The statement with `literal(n)` in place of each `$n`. A parameter that is a whole item of a
 * select list (`select $1, ($2) from …`) gets `AS "?column?"` when its literal has a cast:
 * PostgreSQL names such a column `?column?`, while `'5'::int2` alone would be named `int2`.
 */
export function substitute(text: string, slots: ParameterSlots, literal: (n: number, start: number) => { literal: string; typed: boolean }): BoundText {
  const bare = bareSelectItems(text);
  const edits: Array<{ start: number; end: number; replacement: string }> = [];
  for (const s of slots.slots) {
    const { literal: lit, typed } = literal(s.n, s.start);
    edits.push({ start: s.start, end: s.end, replacement: lit });
    const after = bare.get(s.start);
    if (typed && after !== undefined) edits.push({ start: after, end: after, replacement: ' AS "?column?"' });
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: string[] = [];
  const moves: Array<{ at: number; original: number; length: number; originalLength: number }> = [];
  let last = 0;
  let outLength = 0;
  for (const e of edits) {
    const before = text.slice(last, e.start);
    pieces.push(before, e.replacement);
    outLength += before.length;
    moves.push({ at: outLength, original: e.start, length: e.replacement.length, originalLength: e.end - e.start });
    outLength += e.replacement.length;
    last = e.end;
  }
  pieces.push(text.slice(last));
  return {
    text: pieces.join(''),
    originalOffset: (offset) => {
      let delta = 0;
      for (const m of moves) {
        if (offset < m.at) break;
        if (offset < m.at + m.length) return m.original;
        delta += m.length - m.originalLength;
      }
      return offset - delta;
    },
  };
}

/** Words that end a select list at its own level of parentheses. */
const END_OF_TARGETS: ReadonlySet<string> = new Set(['from', 'into', 'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'union', 'intersect', 'except', 'returning']);
const ITEM_START: ReadonlySet<string> = new Set(['select', 'distinct', 'all', 'returning', ',']);

/**
 * Parameters that are a whole select-list item with no alias (`select $1`, `select ($2), x`):
 * the offset of each such `$n` → the offset just after it (and its closing parentheses).
 */
export function bareSelectItems(text: string): Map<number, number> {
  const tokens = lex(text);
  // Whether each token stands directly in a select (or RETURNING) list, at its level of nesting.
  const inTargets: boolean[] = [];
  const stack: boolean[] = [false];
  for (const t of tokens) {
    const top = stack.length - 1;
    inTargets.push(stack[top]!);
    if (t.kind === 'op' && (t.value === '(' || t.value === '[')) stack.push(false);
    else if (t.kind === 'op' && (t.value === ')' || t.value === ']')) {
      if (stack.length > 1) stack.pop();
    } else if (t.kind === 'word' && (t.value === 'select' || t.value === 'returning')) stack[top] = true;
    else if (t.kind === 'word' && END_OF_TARGETS.has(t.value)) stack[top] = false;
    else if (t.kind === 'op' && t.value === ';') stack[top] = false;
  }
  const out = new Map<number, number>();
  tokens.forEach((t, k) => {
    if (t.kind !== 'param') return;
    let a = k - 1;
    let b = k + 1;
    while (tokens[a]?.value === '(' && tokens[b]?.value === ')' && tokens[a]?.kind === 'op' && tokens[b]?.kind === 'op') {
      a--;
      b++;
    }
    const before = tokens[a];
    const after = tokens[b];
    if (!before || !inTargets[a + 1] || !ITEM_START.has(before.value) || (before.kind !== 'word' && before.value !== ',')) return;
    if (after && !(after.kind === 'op' && [',', ')', ';'].includes(after.value)) && !(after.kind === 'word' && END_OF_TARGETS.has(after.value))) return;
    out.set(t.start, tokens[b - 1]!.end);
  });
  return out;
}

/**
 * The type a parameter is cast to where it stands (`$1::bytea`, `CAST($1 AS int4[])`), by
 * parameter number: how a binary parameter of no declared type is read, as PostgreSQL infers
 * the type from the same cast.
 */
export function castTypes(text: string): Map<number, number> {
  const tokens = lex(text);
  const out = new Map<number, number>();
  const typeAt = (i: number): number | undefined => {
    const words: string[] = [];
    let j = i;
    // pg_catalog.int4: the schema does not matter for the built-in types.
    if (tokens[j]?.kind === 'word' && tokens[j + 1]?.value === '.' && tokens[j + 2]?.kind === 'word') j += 2;
    while (tokens[j]?.kind === 'word' && words.length < 4) {
      const w = tokens[j]!.value;
      if (words.length > 0 && !['precision', 'varying', 'with', 'without', 'time', 'zone'].includes(w)) break;
      words.push(w);
      j++;
    }
    if (words.length === 0) return undefined;
    if (tokens[j]?.value === '(') {
      while (j < tokens.length && tokens[j]!.value !== ')') j++;
      j++;
    }
    const array = tokens[j]?.value === '[' && tokens[j + 1]?.value === ']';
    return oidOfTypeName(words.join(' ') + (array ? '[]' : ''));
  };
  tokens.forEach((t, k) => {
    if (t.kind !== 'param' || out.has(Number(t.value))) return;
    let oid: number | undefined;
    if (tokens[k + 1]?.value === '::') oid = typeAt(k + 2);
    else if (tokens[k - 1]?.value === '(' && tokens[k - 2]?.value === 'cast' && tokens[k + 1]?.value === 'as') oid = typeAt(k + 2);
    if (oid !== undefined) out.set(Number(t.value), oid);
  });
  return out;
}

/** Types a bare literal serves best: it takes its type from where it stands, as `$1` does. */
const UNTYPED: ReadonlySet<number> = new Set([0, OID.unknown, OID.text, OID.varchar, OID.bpchar, OID.name]);

/** Array types pg-types.ts has no cast name for, and other types drivers send (the binary array parameters of binary-format.ts). */
const MORE_NAMES: Readonly<Record<number, string>> = {
  1083: 'time',
  1266: 'timetz',
  600: 'point',
  1001: 'bytea[]',
  1002: '"char"[]',
  1003: 'name[]',
  1014: 'bpchar[]',
  1028: 'oid[]',
  199: 'json[]',
  143: 'xml[]',
  1182: 'date[]',
  1183: 'time[]',
  1115: 'timestamp[]',
  1185: 'timestamptz[]',
  1187: 'interval[]',
  1270: 'timetz[]',
  1017: 'point[]',
};

/** The cast a literal of declared type `oid` gets, or undefined for none (an untyped literal). */
export function castName(oid: number): string | undefined {
  return UNTYPED.has(oid) ? undefined : (TYPE_NAMES[oid] ?? MORE_NAMES[oid]);
}

/** A parameter value as a literal: `'it''s'`, `'42'::int4`, `NULL::bool`. */
export function literalOf(value: string | null, oid: number): string {
  const type = castName(oid);
  if (value === null) return type ? `NULL::${type}` : 'NULL';
  if (value.includes('\0')) throw new CcqlError('invalid_input', 'invalid byte sequence for encoding "UTF8": 0x00', { sqlstate: '22021' });
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return type ? `${quoted}::${type}` : quoted;
}
