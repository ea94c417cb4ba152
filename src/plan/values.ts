/**
 * SQL values as Cloud Control property values: JSON text for jsonb columns becomes JSON,
 * numbers and booleans are checked against the column's type. Errors name the property and the
 * row but never quote the value (it may be a secret).
 */
import type { Literal } from '../sql/ir.js';
import { CcqlError } from '../errors.js';
import type { TableColumn } from './columns.js';

/** A literal as a JavaScript value (`'[1]'::jsonb` already parsed as JSON). */
export function literalValue(l: { literal: Literal; cast?: string | undefined }, describe: () => string): unknown {
  const lit = l.literal;
  let v: unknown;
  switch (lit.kind) {
    case 'null':
      return null;
    case 'boolean':
      v = lit.value;
      break;
    case 'number':
      v = exactNumber(lit.value);
      break;
    case 'string':
      v = lit.value;
  }
  const cast = l.cast?.toLowerCase();
  if ((cast === 'jsonb' || cast === 'json') && typeof v === 'string') return parseJson(v, describe);
  return v;
}

/** `v` as the property value for `col` (undefined: leave the property out). */
export function propertyValue(col: TableColumn, v: unknown, describe: () => string): unknown {
  if (v === null || v === undefined) return undefined;
  switch (col.type) {
    case 'jsonb': {
      const value = typeof v === 'string' ? parseJson(v, describe) : v instanceof Date ? v.toISOString() : v;
      const depth = jsonDepth(value);
      if (depth > MAX_JSON_DEPTH) {
        throw invalid(`${describe()} is nested more than ${MAX_JSON_DEPTH} levels deep`, 'no resource schema nests that deep: check how the value is built');
      }
      return value;
    }
    case 'text':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      if (v instanceof Date) return v.toISOString();
      throw invalid(`${describe()} takes text, not a JSON ${Array.isArray(v) ? 'array' : 'object'}`);
    case 'bigint':
    case 'double precision': {
      // Integers beyond 2^53 stay BigInt all the way to the request body (schema/json.ts).
      if (typeof v === 'bigint') return v;
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? exactNumber(v.trim()) : NaN;
      if (typeof n === 'bigint') return n;
      if (!Number.isFinite(n)) throw invalid(`${describe()} takes a number`);
      if (col.type === 'bigint' && !Number.isInteger(n)) throw invalid(`${describe()} takes an integer`);
      if (col.type === 'bigint' && !Number.isSafeInteger(n)) {
        throw invalid(`${describe()} is an integer too large to send exactly`, 'write it as a whole number literal (digits only), not in exponent form');
      }
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      throw invalid(`${describe()} takes true or false`);
    case 'timestamptz':
      if (v instanceof Date) return v.toISOString();
      if (typeof v === 'string') return v;
      throw invalid(`${describe()} takes a timestamp`);
  }
}

/** A numeric literal as a number, or as a BigInt when it is an integer a number would round. */
export function exactNumber(text: string): number | bigint {
  const n = Number(text);
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)) return BigInt(text);
  return n;
}

/** Deeper values than any resource schema has, which would exhaust the stack of whatever recurses over them. */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON value, without recursion (the value may be 10,000 levels deep). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d + 1);
    if (max > MAX_JSON_DEPTH) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

export function parseJson(text: string, describe: () => string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text; keep only where it went wrong.
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    const at = m ? ` (at character ${Number(m[1]) + 1})` : text.trim() === '' ? ' (it is empty)' : '';
    throw invalid(`${describe()} is not valid JSON${at}`, 'JSON values are written as SQL strings, e.g. \'[{"Key": "team", "Value": "video"}]\'');
  }
}

function invalid(message: string, hint?: string): CcqlError {
  return new CcqlError('invalid_input', message, { sqlstate: '22P02', ...(hint ? { hint } : {}) });
}
