import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../src/deploy/condition.js';

const ctx = { stack_env: 'prod', n: 3, flags: ['a', 'b'], res: { enabled: true }, empty: '' };

describe('if: conditions', () => {
  it.each([
    ["'prod' == 'prod'", true],
    ["stack_env == 'prod'", true],
    ["stack_env != 'prod'", false],
    ["stack_env == 'dev' or n > 2", true],
    ['not res.enabled', false],
    ["'a' in flags and 'c' not in flags", true],
    ['(n >= 3) && !(n < 1)', true],
    ["n == '3'", true],
    ['empty', false],
    ['True', true],
    ["'it''s' == \"it's\"", true],
    ['[1, 2] == [1, 2]', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluateCondition(text, ctx)).toBe(expected);
  });

  it('reads a backslash as a character, so a templated value ending in one keeps its string', async () => {
    const { renderTemplate } = await import('../../../src/template/index.js');
    // `'{{v}}' == 'x'` with v = `a\` is `'a\' == 'x'`: false, not a string running on
    const text = renderTemplate("'{{v}}' == 'x' or '{{w}}' == 'b'", { v: 'a\\', w: "' or 'a' == 'a" });
    expect(evaluateCondition(text, ctx)).toBe(false);
    expect(evaluateCondition("'a\\b' == 'a\\b'", ctx)).toBe(true);
  });

  it('refuses names that are not defined and syntax it does not have', () => {
    expect(() => evaluateCondition("stage == 'x'", ctx)).toThrow(/'stage', which is not defined/);
    expect(() => evaluateCondition('n + 1 == 4', ctx)).toThrow(/'\+'/);
    expect(() => evaluateCondition("__import__('os')", ctx)).toThrow(/not defined/);
    expect(() => evaluateCondition("'a' < 1", ctx)).toThrow(/different kinds/);
  });
});
