import { describe, expect, it } from 'vitest';
import { parseJsonExact, stringifyJson } from '../../../src/schema/json.js';

describe('JSON with integers beyond 2^53', () => {
  it('parses them as BigInt and leaves everything else as JSON.parse does', () => {
    const text = '{"a":9007199254740993,"b":[1,-12345678901234567890],"c":"9007199254740993","d":1.5e300,"e":"x\\"9007199254740993"}';
    expect(parseJsonExact(text)).toEqual({ a: 9007199254740993n, b: [1, -12345678901234567890n], c: '9007199254740993', d: 1.5e300, e: 'x"9007199254740993' });
    expect(parseJsonExact('{"n": 9007199254740991}')).toEqual({ n: 9007199254740991 });
  });

  it('writes them back digit for digit', () => {
    const v = { a: 9007199254740993n, s: 'keep "\u0000ccql-bigint:1" as text', n: [2n ** 70n] };
    expect(stringifyJson(v)).toBe('{"a":9007199254740993,"s":"keep \\"\\u0000ccql-bigint:1\\" as text","n":[1180591620717411303424]}');
    expect(parseJsonExact(stringifyJson(v))).toEqual(v);
  });
});
