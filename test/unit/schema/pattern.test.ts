import { describe, expect, it } from 'vitest';
import { patternMatcher, repeatsRepetition } from '../../../src/schema/pattern.js';

const CRON = String.raw`cron\((\b[0-5]?[0-9]\b) (\b2[0-3]\b|\b[0-1]?[0-9]\b) (.*){1,5} (.*){1,5} (.*){1,5} (.*){1,5}\)`;

describe('schema patterns', () => {
  it('tells the repeated repetitions that make backtracking exponential', () => {
    for (const p of [CRON, '(a+)+', '^(\\w+\\s?)*$', '((ab)*c)+', '(?:[a-z]+-)*x', '(x*){2}']) expect(repeatsRepetition(p), p).toBe(true);
    for (const p of ['^[a-zA-Z0-9-_]{1,64}$', '^arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+$', '(ab)+', '[(a+)+]', '\\(a+\\)+', '(a+)?b', '(a){1}']) expect(repeatsRepetition(p), p).toBe(false);
  });

  it('matches a dangerous pattern in linear time, with the native engine’s answers', () => {
    const cron = patternMatcher(CRON);
    // 90 s on the native engine; this test would time out long before.
    expect(cron.test(`cron(5 10 ${'x '.repeat(12)}y`)).toBe(false);
    expect(cron.test('cron(5 10 * * ? *)')).toBe(true);
    const words = patternMatcher('^(\\w+\\s?)*$');
    for (const s of ['hello world', 'hello  world', '', 'a b c ', 'x!']) expect(words.test(s), s).toBe(new RegExp('^(\\w+\\s?)*$', 'u').test(s));
  });

  it('keeps what RE2 cannot do (lookaround) on the native engine', () => {
    const m = patternMatcher('^(?!aws:)([a-z]+:?)+$');
    expect(m.test('team:blue')).toBe(true);
    expect(m.test('aws:reserved')).toBe(false);
  });

  it('is unanchored unless the pattern anchors itself, as JSON Schema says', () => {
    expect(patternMatcher('(ab+)+').test('xxabbbyy')).toBe(true);
    expect(patternMatcher('^(ab+)+$').test('xxabbbyy')).toBe(false);
  });
});
