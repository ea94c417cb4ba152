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
  // The mark cannot occur in a JSON string of the user's: it starts with an escaped NUL.
  return sawBigint ? text.replace(/"\\u0000ccql-bigint:(-?\d+)"/g, '$1') : text;
}
