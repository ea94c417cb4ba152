import { describe, expect, it } from 'vitest';
import { CcqlError } from '../../../src/errors.js';
import { translateJinja } from '../../../src/deploy/jinja.js';
import { renderTemplate } from '../../../src/template/index.js';
import { SQL_HELPERS } from '../../../src/template/helpers.js';

function refusal(text: string): CcqlError {
  try {
    translateJinja(text, { file: 'r.iql', line: 5 });
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Jinja forms of stackql-deploy stacks', () => {
  it.each([
    ["'{{ tags | tojson }}'", "'{{json tags}}'"],
    ['{{ x | from_json | tojson }}', '{{json (from_json x)}}'],
    ['{{ a | merge_lists(b) }}', '{{merge_lists a b}}'],
    ['{{ s | base64_encode }}', '{{base64 s}}'],
    ['{{ uuid() }}', '{{uuid}}'],
    ["{{ x['key'] }} {{ x[0] }}", '{{x.key}} {{x.[0]}}'],
    ['{{- x -}}', '{{~x~}}'],
    ['{# note #}', '{{!-- note --}}'],
    ['{{ { "Tags": tags, "Name": name } | generate_patch_document }}', '{{patch_document (object Tags=tags Name=name)}}'],
    ["{{ [a, 'b'] | tojson }}", '{{json (array a "b")}}'],
  ])('%s → %s', (jinja, hbs) => {
    expect(translateJinja(jinja)).toBe(hbs);
  });

  it('leaves Handlebars as it is', () => {
    const text = "{{x}} {{json (object A=b)}} {{#each xs as |x|}}{{x}}{{/each}} {{{raw}}} {{env \"K\"}} \\{{literal}}";
    expect(translateJinja(text)).toBe(text);
  });

  it('keeps line breaks, so positions stay right', () => {
    const out = translateJinja("SELECT '{{ {\n  \"Tags\": tags\n  } | generate_patch_document }}'\nFROM t");
    expect(out.split('\n')).toHaveLength(4);
    expect(out.split('\n')[3]).toBe('FROM t');
  });

  it('renders a translated stackql-deploy statement as the Jinja did', () => {
    const sql = translateJinja("SELECT '{{ Tags | tojson }}', '{{ { \"VersioningConfiguration\": v } | generate_patch_document }}'");
    expect(renderTemplate(sql, { Tags: [{ Key: 'a', Value: "b'c" }], v: { Status: 'Enabled' } }, { helpers: SQL_HELPERS })).toBe(
      `SELECT '[{"Key":"a","Value":"b''c"}]', '[{"op":"add","path":"/VersioningConfiguration","value":{"Status":"Enabled"}}]'`,
    );
  });

  it('refuses statements with the Handlebars form in the hint', () => {
    const e = refusal("SELECT 1;\n{% if env == 'prod' %}x{% endif %}");
    expect(e.code).toBe('template');
    expect(e.message).toContain('{% if');
    expect(e.location).toEqual({ file: 'r.iql', line: 6, column: 1 });
    expect(e.hint).toContain('{{#if');
    expect(refusal('{% for t in tags %}{% endfor %}').hint).toContain('{{#each');
    expect(refusal('{% set x = 1 %}').hint).toContain('global');
  });

  it('refuses filters and operators it cannot translate, naming the equivalent', () => {
    expect(refusal("{{ x | default('a') }}").hint).toContain('{{#if');
    expect(refusal('{{ x | frobnicate }}').message).toContain("filter 'frobnicate'");
    expect(refusal("{{ a ~ '-' ~ b }}").hint).toContain('side by side');
    expect(refusal("{{ a == 'b' }}").hint).toContain('eq');
    expect(refusal('{{ range(3) }}').message).toContain('range()');
  });
});
