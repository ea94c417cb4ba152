import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResourceFile } from '../../../src/deploy/resource-file.js';
import { prepareStack, idempotencyToken } from '../../../src/deploy/stack.js';
import { thrown } from '../../support/thrown.js';

function stackDir(manifest: string, files: Record<string, string> = {}, name = 'ccql_manifest.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-deploy-unit-'));
  writeFileSync(join(dir, name), manifest);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const STAGE = `/*+ exists */
SELECT arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = '{{name}}';
/*+ create */
INSERT INTO aws.ivs.stages (Name, region) SELECT '{{name}}', '{{region}}';
/*+ exports */
SELECT arn AS stage_arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = '{{name}}';
/*+ delete */
DELETE FROM aws.ivs.stages WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`;

const prepare = (dir: string, vars: Record<string, string> = { REGION: 'us-east-1' }, env = 'dev') => prepareStack({ stackDir: dir, env, vars, processEnv: {} });

describe('manifest validation', () => {
  it('reports every schema problem at once, each with its path and line', () => {
    const dir = stackDir(`version: 1
name: s
resouces: []
globals:
  - value: 1
resources:
  - name: a
    type: resorce
    props:
      - name: p
        value: 1
        values: {dev: {value: 2}}
  - name: 9bad
    exports: [{a: b, c: d}]
`);
    const e = thrown(() => prepare(dir));
    expect(e.code).toBe('manifest');
    expect(e.message).toMatch(/has \d+ problems/);
    const text = e.details.join('\n');
    expect(text).toContain("ccql_manifest.yml:3:1: resouces: unknown key 'resouces'");
    expect(text).toContain("globals[0]: 'name' is required");
    expect(text).toContain('resources[0].type: must be one of');
    expect(text).toContain("resources[0].props[0]: a prop needs either 'value' or 'values'");
    expect(text).toMatch(/:13:\d+: resources\[1\]\.name: must be a name/);
    expect(text).toContain('resources[1].exports[0]: an export is a name, or {column: alias}');
    expect(e.hint).toContain("'resources'");
  });

  it('reports YAML syntax errors with their line', () => {
    const e = thrown(() => prepare(stackDir('name: s\nresources: [\n')));
    expect(e.message).toContain('is not valid YAML');
    expect(e.location?.line).toBeGreaterThan(0);
  });

  it('checks what the schema cannot: unique names, files that exist, protected names', () => {
    const dir = stackDir(
      `name: s
resources:
  - name: a
  - name: a
  - name: b
    file: nope.iql
  - name: c
    protected: [secret]
`,
      { 'resources/a.iql': STAGE, 'resources/c.iql': STAGE },
    );
    const text = thrown(() => prepare(dir)).details.join('\n');
    expect(text).toContain("the resource name 'a' is used twice");
    expect(text).toContain('the resource file nope.iql does not exist');
    expect(text).toContain("'secret' is neither an export nor a prop of c");
  });

  it('reads stackql_manifest.yml too', () => {
    const dir = stackDir('name: s\nglobals:\n  - name: region\n    value: "{{ REGION }}"\nresources:\n  - name: st\n    props:\n      - name: name\n        value: x\n', { 'resources/st.iql': STAGE }, 'stackql_manifest.yml');
    expect(prepare(dir).resources.map((r) => r.name)).toEqual(['st']);
  });
});

describe('resource files', () => {
  it('splits anchors with their options, reading stackql-deploy names too', () => {
    const f = parseResourceFile('-- comment\n/*+ preflight */\nSELECT 1;\n/*+ postdeploy, retries=5, retry_delay=2 */\nSELECT 2;\n/*+ create */ INSERT INTO t SELECT 1;\n', 'r.iql');
    expect([...f.anchors.keys()]).toEqual(['exists', 'statecheck', 'create']);
    expect(f.anchors.get('statecheck')).toMatchObject({ retries: 5, retryDelay: 2, line: 5, anchorLine: 4, text: 'SELECT 2;' });
    expect(f.anchors.get('create')?.text.trim()).toBe('INSERT INTO t SELECT 1;');
  });

  it('refuses an unknown anchor, a bad option, a repeated anchor, and SQL outside anchors', () => {
    const unknown = thrown(() => parseResourceFile('/*+ exits */\nSELECT 1;', 'r.iql'));
    expect(unknown.message).toContain('unknown anchor /*+ exits */');
    expect(unknown.location).toEqual({ file: 'r.iql', line: 1, column: 1 });
    expect(unknown.hint).toContain('did you mean exists');
    expect(thrown(() => parseResourceFile('/*+ exists, retires=3 */\nSELECT 1;', 'r.iql')).message).toContain("'retires=3'");
    expect(thrown(() => parseResourceFile('/*+ exists */\nSELECT 1;\n/*+ exists */\nSELECT 2;', 'r.iql')).hint).toContain('line 1');
    expect(thrown(() => parseResourceFile('SELECT 0;\n/*+ exists */\nSELECT 1;', 'r.iql')).message).toContain('before the first anchor');
  });
});

describe('templates and dependencies, checked before anything runs', () => {
  const manifest = (extra = '') => `name: s
globals:
  - name: region
    value: "{{REGION}}"
resources:
  - name: channel
    props:
      - name: name
        value: c
    exports: [stage_arn]
  - name: key
    props:
      - name: name
        value: "{{stage_arn}}"
  - name: other
    props:
      - name: name
        value: o
${extra}`;

  it('makes a dependency of each export a template reads, and none between independent resources', () => {
    const dir = stackDir(manifest(), { 'resources/channel.iql': STAGE, 'resources/key.iql': STAGE, 'resources/other.iql': STAGE });
    const stack = prepare(dir);
    expect([...stack.byName.get('key')!.dependsOn]).toEqual(['channel']);
    expect([...stack.byName.get('other')!.dependsOn]).toEqual([]);
    expect(idempotencyToken(stack, 'key')).toBe(idempotencyToken(stack, 'key'));
    expect(idempotencyToken(stack, 'key')).not.toBe(idempotencyToken(stack, 'other'));
  });

  it('names a missing variable with the resource and the file', () => {
    const dir = stackDir(manifest(), {
      'resources/channel.iql': STAGE,
      'resources/key.iql': STAGE,
      'resources/other.iql': STAGE.replace("name = '{{name}}';\n/*+ create", "name = '{{nmae}}';\n/*+ create"),
    });
    const e = thrown(() => prepare(dir));
    expect(e.code).toBe('template');
    expect(e.message).toContain("template variable 'nmae' is not defined (in other, ");
    expect(e.location?.file).toContain('other.iql');
    expect(e.location?.line).toBe(2);
    expect(e.hint).toContain("did you mean 'name'?");
    const missingVar = thrown(() => prepare(stackDir(manifest(), { 'resources/channel.iql': STAGE, 'resources/key.iql': STAGE, 'resources/other.iql': STAGE }), {}));
    expect(missingVar.message).toContain("'REGION'");
    expect(missingVar.hint).toContain('-e REGION=VALUE');
  });

  it('refuses a cycle in exports', () => {
    const dir = stackDir(
      `name: s
resources:
  - name: a
    props: [{name: name, value: "{{b_out}}"}, {name: region, value: r}]
    exports: [a_out]
  - name: b
    props: [{name: name, value: "{{a_out}}"}, {name: region, value: r}]
    exports: [b_out]
`,
      { 'resources/a.iql': STAGE, 'resources/b.iql': STAGE },
    );
    const e = thrown(() => prepare(dir));
    expect(e.message).toContain('cycle: a → b → a');
  });

  it('refuses a template that does not compile, with its file and line', () => {
    const dir = stackDir(`name: s\nresources:\n  - name: a\n    props: [{name: name, value: n}, {name: region, value: r}]\n`, {
      'resources/a.iql': STAGE.replace("/*+ delete */\n", "/*+ delete */\n-- {{#if name}} never closed\n"),
    });
    const e = thrown(() => prepare(dir));
    expect(e.code).toBe('template');
    expect(e.message).toContain('does not parse');
    expect(e.location?.file).toContain('a.iql');
    expect(e.location?.line).toBeGreaterThanOrEqual(8);
  });

  it('refuses a prop without a value for the environment, and refuses Jinja it cannot translate', () => {
    const dir = stackDir(`name: s\nresources:\n  - name: a\n    props:\n      - name: x\n        values: {prod: {value: 1}}\n`, { 'resources/a.iql': STAGE });
    const e = thrown(() => prepare(dir));
    expect(e.message).toContain("no value for the environment 'dev'");
    expect(e.hint).toContain('prod');
    const jinja = stackDir(`name: s\nresources:\n  - name: a\n    props: [{name: name, value: n}, {name: region, value: r}]\n`, { 'resources/a.iql': `${STAGE}\n/*+ update */\n{% if x %}UPDATE{% endif %}\n` });
    expect(thrown(() => prepare(jinja)).hint).toContain('{{#if');
  });
});
