import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CcqlError } from '../../../src/errors.js';
import { Journal, fingerprintOf } from '../../../src/deploy/journal.js';
import { Secrets } from '../../../src/deploy/secrets.js';
import { parseEnvFile, parseVarSpecs } from '../../../src/deploy/vars.js';
import { initStack } from '../../../src/deploy/init.js';
import { prepareStack } from '../../../src/deploy/stack.js';

describe('stack variables', () => {
  it('reads -e NAME=VALUE and dotenv files', () => {
    expect(parseVarSpecs(['A=1', 'B=x=y', 'C='])).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(() => parseVarSpecs(['A'])).toThrow(CcqlError);
    expect(parseEnvFile('# c\nA=1\nexport B="two words"\nC=\'q\'\nD=x # note\n\n', '.env')).toEqual({ A: '1', B: 'two words', C: 'q', D: 'x' });
    expect(() => parseEnvFile('A=1\nnot a line\n', '.env')).toThrow(/\.env:2/);
  });
});

describe('the creation journal', () => {
  it('gives the token of a creation in flight again for the same request, and a new one once it finished', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-journal-'));
    const fp = fingerprintOf('AWS::IVS::Stage', 'us-east-1', { Name: 'a', Tags: [] });
    const first = new Journal(dir, 'stack/dev').tokenFor('stage#0', fp);
    expect(first.token).toMatch(/^ccql-[A-Za-z0-9]+-[0-9a-f]{24}$/);
    // Another process (a rerun after a kill) reads the same file.
    const again = new Journal(dir, 'stack/dev');
    expect(again.tokenFor('stage#0', fp)).toEqual({ token: first.token, replay: true });
    expect(again.tokenFor('stage#0', fingerprintOf('AWS::IVS::Stage', 'us-east-1', { Name: 'b' })).token).not.toBe(first.token);
    again.done('stage#0');
    expect(new Journal(dir, 'stack/dev').tokenFor('stage#0', fp).replay).toBe(false);
    expect(new Journal(dir, 'other/dev').tokenFor('stage#0', fp).replay).toBe(false);
    expect(fingerprintOf('T', 'r', { a: 1, b: 2 })).toBe(fingerprintOf('T', 'r', { b: 2, a: 1 }));
  });
});

describe('secrets', () => {
  it('masks a value as written, inside JSON and inside an SQL literal', () => {
    const s = new Secrets();
    s.add({ key: 'it\'s "secret"' });
    s.add('ab');
    const text = `a it's "secret" b ${JSON.stringify('it\'s "secret"')} c 'it''s "secret"' ab`;
    const out = s.scrub(text);
    expect(out).not.toContain('secret');
    expect(out.endsWith(' ab')).toBe(true);
    const e = s.scrubError(new CcqlError('aws', `failed: it's "secret"`, { hint: 'x', details: [`'it''s "secret"'`] }));
    expect(`${e.message}${e.details.join('')}`).not.toContain('secret');
    expect(s.mask({ a: ['it\'s "secret"'] })).toEqual({ a: ['********'] });
  });
});

describe('deploy init', () => {
  it('writes a stack that prepares', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ccql-init-')), 'mystack');
    const r = initStack(dir);
    expect(r.files).toContain('ccql_manifest.yml');
    expect(readFileSync(join(dir, 'resources/example_stage.iql'), 'utf8')).toContain('/*+ create */');
    expect(statSync(join(dir, 'README.md')).isFile()).toBe(true);
    const stack = prepareStack({ stackDir: dir, env: 'dev', vars: { AWS_REGION: 'us-east-1' }, processEnv: {} });
    expect(stack.resources.map((x) => x.name)).toEqual(['example_stage']);
    expect(() => initStack(dir)).toThrow(/not empty/);
  });
});
