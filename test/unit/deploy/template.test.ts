import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate } from '../../../src/template/index.js';
import { SQL_HELPERS } from '../../../src/template/helpers.js';
import { thrown } from '../../support/thrown.js';

const helpers = SQL_HELPERS;

describe('the shared SQL template engine', () => {
  it('escapes {{x}} for a string literal, prints {{{x}}} raw, and objects as JSON', () => {
    const ctx = { name: "O'Brien <&>", raw: 'upper(x)', tags: [{ Key: 'a', Value: "it's" }], n: 3 };
    expect(renderTemplate("'{{name}}' {{{raw}}} '{{tags}}' {{n}}", ctx)).toBe(`'O''Brien <&>' upper(x) '[{"Key":"a","Value":"it''s"}]' 3`);
  });

  it('escapes what helpers return, except SQL they built themselves', () => {
    const ctx = { name: "x'y", tags: { team: "a'b" } };
    expect(renderTemplate("'{{json tags}}'", ctx, { helpers })).toBe(`'{"team":"a''b"}'`);
    expect(renderTemplate('{{sql_string name}}', ctx, { helpers })).toBe("'x''y'");
    expect(renderTemplate("'{{sql_escape name}}'", ctx, { helpers })).toBe("'x''y'");
    expect(renderTemplate("'{{aws_tags tags}}'", ctx, { helpers })).toBe(`'[{"Key":"team","Value":"a''b"}]'`);
  });

  it('prints manifest values (escape: none) as they are', () => {
    expect(renderTemplate("{{a}}-{{b}}", { a: "it's", b: [1] }, { escape: 'none' })).toBe("it's-[1]");
  });

  it('refuses an undefined variable in a helper argument, which Handlebars itself lets through', () => {
    const e = thrown(() => renderTemplate("SELECT '{{json tgas}}'", { tags: [] }, { helpers, file: 'r.iql', line: 10 }));
    expect(e.code).toBe('template');
    expect(e.message).toBe("template variable 'tgas' is not defined");
    expect(e.location).toEqual({ file: 'r.iql', line: 10, column: 16 });
    const nested = thrown(() => renderTemplate('{{a.b.c}}', { a: { b: {} } }));
    expect(nested.message).toContain("'c'");
  });

  it('reads {{this.x}} from the row given as `thisName`, and leaves `this` alone inside {{#each}}', () => {
    const t = compileTemplate("'{{this.arn}}' {{#each tags}}'{{this.Key}}';{{/each}}", { thisName: 'ccql_this' });
    expect(t.render({ ccql_this: { arn: 'arn:1' }, tags: [{ Key: 'a' }, { Key: 'b' }] })).toBe("'arn:1' 'a';'b';");
    expect(t.references().map((r) => r.path.join('.'))).toEqual(['ccql_this.arn', 'tags']);
    const e = thrown(() => t.render({ tags: [] }));
    expect(e.message).toContain('this');
  });

  it('gives the value of a lone {{x}} (a list stays a list)', () => {
    const t = compileTemplate('{{ tags }}', { escape: 'none' });
    expect(t.single).toBe(true);
    expect(t.value({ tags: [{ Key: 'a', Value: 'b' }] })).toEqual([{ Key: 'a', Value: 'b' }]);
    expect(compileTemplate('x-{{tags}}').single).toBe(false);
  });

  it('treats empty lists and objects as false in {{#if}}', () => {
    expect(renderTemplate('{{#if xs}}y{{else}}n{{/if}}{{#if o}}y{{else}}n{{/if}}', { xs: [], o: {} })).toBe('nn');
    expect(renderTemplate('{{#if (eq env "prod")}}big{{else}}small{{/if}}', { env: 'prod' }, { helpers })).toBe('big');
  });

  it('names an unknown helper', () => {
    const e = thrown(() => renderTemplate('{{jsn x}}', { x: 1 }, { helpers }));
    expect(e.message).toContain("'jsn' is not a helper");
    expect(e.hint).toContain('json');
  });
});

describe('helpers', () => {
  const h = (name: string, ...args: unknown[]): unknown => SQL_HELPERS[name]!(...args, { hash: {} });

  it('merge joins tag lists by Key (later wins), other lists without duplicates, objects key by key', () => {
    expect(h('merge', [{ Key: 'a', Value: '1' }], [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }])).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    expect(h('merge', [1, 2], [2, 3])).toEqual([1, 2, 3]);
    expect(h('merge', { a: 1 }, { b: 2 })).toEqual({ a: 1, b: 2 });
    expect(() => h('merge', [1], { a: 1 })).toThrow(/cannot merge a list with an object/);
  });

  it('patch_document makes a Cloud Control patch; JSON strings given as values are parsed', () => {
    expect(JSON.parse(h('patch_document', { Tags: '[{"Key":"a","Value":"b"}]', Name: 'x' }) as string)).toEqual([
      { op: 'add', path: '/Tags', value: [{ Key: 'a', Value: 'b' }] },
      { op: 'add', path: '/Name', value: 'x' },
    ]);
  });

  it('aws_tags, base64, sql_list, from_json, object, uuid', () => {
    expect(h('aws_tags', { team: 'a', n: 1 })).toEqual([
      { Key: 'team', Value: 'a' },
      { Key: 'n', Value: '1' },
    ]);
    expect(h('base64', 'hé')).toBe(Buffer.from('hé').toString('base64'));
    expect(String(h('sql_list', ['a', "b'c"]))).toBe("('a','b''c')");
    expect(h('from_json', '{"a":[1]}')).toEqual({ a: [1] });
    expect(SQL_HELPERS.object!({ hash: { A: 1 } })).toEqual({ A: 1 });
    expect(h('uuid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => h('json')).toThrow(/takes 1 argument/);
  });
});
