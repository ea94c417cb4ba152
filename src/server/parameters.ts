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
import { OID, TYPE_NAMES } from '../pg-types.js';

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
  const pieces: string[] = [];
  const moves: Array<{ at: number; original: number; length: number; originalLength: number }> = [];
  let last = 0;
  let outLength = 0;
  for (const s of slots.slots) {
    const value = values[s.n - 1];
    if (value === undefined) {
      throw new CcqlError('invalid_input', `there is no parameter $${s.n}`, { sqlstate: '42P02', location: { offset: s.start } });
    }
    const literal = literalOf(value, types[s.n - 1] ?? 0);
    const before = text.slice(last, s.start);
    pieces.push(before, literal);
    outLength += before.length;
    moves.push({ at: outLength, original: s.start, length: literal.length, originalLength: s.end - s.start });
    outLength += literal.length;
    last = s.end;
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

/** Types a bare literal serves best: it takes its type from where it stands, as `$1` does. */
const UNTYPED: ReadonlySet<number> = new Set([0, OID.unknown, OID.text, OID.varchar, OID.bpchar, OID.name]);

/** A parameter value as a literal: `'it''s'`, `'42'::int4`, `NULL::bool`. */
export function literalOf(value: string | null, oid: number): string {
  const type = UNTYPED.has(oid) ? undefined : TYPE_NAMES[oid];
  if (value === null) return type ? `NULL::${type}` : 'NULL';
  if (value.includes('\0')) throw new CcqlError('invalid_input', 'invalid byte sequence for encoding "UTF8": 0x00', { sqlstate: '22021' });
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return type ? `${quoted}::${type}` : quoted;
}
