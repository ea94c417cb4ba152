import { describe, expect, it } from 'vitest';
import { needsTemplating, parseVars, renderTemplate } from '../../../src/cli/template.js';
import { compileTemplate } from '../../../src/template/index.js';
import { thrown } from '../../support/thrown.js';

describe('--var parsing', () => {
  it('splits at the first =, keeping = in values and allowing empty values', () => {
    expect(parseVars(['region=us-east-1', 'filter=a=b', 'empty='])).toEqual({ region: 'us-east-1', filter: 'a=b', empty: '' });
  });

  it('refuses a --var without = as a usage error', () => {
    const e = thrown(() => parseVars(['region']));
    expect(e.code).toBe('usage');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('"region"');
    expect(e.hint).toContain('NAME=VALUE');
  });

  it('refuses names that cannot be written in a template', () => {
    const e = thrown(() => parseVars(['my-var=1']));
    expect(e.code).toBe('usage');
    expect(e.message).toContain("'my-var'");
  });
});

describe('templating SQL', () => {
  it('applies only with --var or {{ in the text', () => {
    expect(needsTemplating('SELECT 1', undefined)).toBe(false);
    expect(needsTemplating('SELECT 1', {})).toBe(false);
    expect(needsTemplating('SELECT 1', { a: 'b' })).toBe(true);
    expect(needsTemplating("SELECT '{{x}}'", undefined)).toBe(true);
  });

  it('substitutes with SQL escaping, not HTML escaping', () => {
    const sql = renderTemplate(`SELECT '{{name}}' AS n, '{{json}}'::jsonb WHERE region = '{{region}}'`, {
      name: "O'Brien & <co>",
      json: '[{"Key":"a","Value":"b"}]',
      region: 'us-east-1',
    });
    expect(sql).toBe(`SELECT 'O''Brien & <co>' AS n, '[{"Key":"a","Value":"b"}]'::jsonb WHERE region = 'us-east-1'`);
  });

  it('keeps JSON braces that are not {{ and \\{{ as a literal {{', () => {
    expect(renderTemplate(`SELECT '{"a":{"b":1}}', '\\{{x}}', '{{v}}'`, { v: '1' })).toBe(`SELECT '{"a":{"b":1}}', '{{x}}', '1'`);
  });

  it('names an undefined variable with its line and column', () => {
    const e = thrown(() => renderTemplate('SELECT 1;\nSELECT name FROM t WHERE region = {{ regoin }}', { region: 'x' }, 'q.sql'));
    expect(e.code).toBe('template');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe("template variable 'regoin' is not defined");
    expect(e.location).toEqual({ file: 'q.sql', line: 2, column: 38 });
    expect(e.hint).toContain('--var regoin=VALUE');
    expect(e.hint).toContain('defined: region');
  });

  it('reports a malformed template with its line', () => {
    const e = thrown(() => renderTemplate('SELECT 1;\nSELECT {{name', {}));
    expect(e.code).toBe('template');
    expect(e.message).toContain('does not parse');
    expect(e.location?.line).toBe(2);
    expect(e.details.join('\n')).toContain('^');
  });

  it('turns other Handlebars failures into template errors', () => {
    const e = thrown(() => renderTemplate('SELECT {{> partial}}', {}));
    expect(e.code).toBe('template');
    expect(e.message).toContain('partial');
  });
});

describe('template values are SQL-safe', () => {
  it("{{x}} stays inside the string literal it is placed in; {{{x}}} is raw", () => {
    const vars = { name: "x' OR '1'='1" };
    expect(renderTemplate(`SELECT * FROM t WHERE name = '{{name}}'`, vars)).toBe(`SELECT * FROM t WHERE name = 'x'' OR ''1''=''1'`);
    expect(renderTemplate(`SELECT {{{name}}}`, vars)).toBe(`SELECT x' OR '1'='1`);
    expect(renderTemplate(`SELECT '{{r}}', '{{j}}'`, { r: 'us-east-1', j: '{"a": "<b>&"}' })).toBe(`SELECT 'us-east-1', '{"a": "<b>&"}'`);
  });
});

describe('a compiled template, rendered again', () => {
  it('renders each context on its own, its value and its text alike, and still names a missing variable', () => {
    const t = compileTemplate("SELECT '{{name}}' AS n, {{{count}}} AS c");
    expect(t.render({ name: "o'neil", count: 1 })).toBe("SELECT 'o''neil' AS n, 1 AS c");
    expect(t.render({ name: 'b', count: 2 })).toBe("SELECT 'b' AS n, 2 AS c");
    // Data, not SQL: in SQL a list outside a quoted literal is refused (see sql-placement.test.ts).
    const one = compileTemplate('{{tags}}', { escape: 'none' });
    expect(one.value({ tags: ['a', 'b'] })).toEqual(['a', 'b']);
    // After a value() the same template prints text again, not into the last capture.
    expect(one.render({ tags: ['c'] })).toBe('["c"]');
    expect(thrown(() => t.render({ name: 'x' })).message).toContain("'count' is not defined");
    expect(t.render({ name: 'x', count: 3 })).toBe("SELECT 'x' AS n, 3 AS c");
  });
});
