/**
 * JSON text for values that may hold integers beyond 2^53 (as BigInt): JSON.stringify cannot
 * write them, and a Number would round them (9007199254740993 → …992) before AWS sees them.
 */

const MARK = '\u0000ccql-bigint:';

export function stringifyJson(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    return `${MARK}${v.toString()}`;
  });
  // The mark starts with a NUL character, which no AWS property value holds.
  return sawBigint ? text.replace(/"\\u0000ccql-bigint:(-?\d+)"/g, '$1') : text;
}

/** A JSON string or an integer of 16 or more digits (where a Number may round), outside strings. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d{16,}(?![\d.eE])/g;

/**
 * JSON.parse, except that integers a Number would round come back as BigInt: resource
 * properties from AWS keep every digit on their way into the engine and back out.
 */
export function parseJsonExact(text: string): unknown {
  let big = false;
  const marked = text.replace(TOKENS, (t) => {
    if (t.startsWith('"') || Number.isSafeInteger(Number(t))) return t;
    big = true;
    return `"${MARK_ESCAPED}${t}"`;
  });
  if (!big) return JSON.parse(text);
  return JSON.parse(marked, (_key, v: unknown) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}

const MARK_ESCAPED = '\\u0000ccql-bigint:';
