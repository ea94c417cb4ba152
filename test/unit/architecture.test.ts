/**
 * The arrows of DESIGN.md, checked on the source: a statement travels sql → plan → exec, and the
 * lower layers import nothing from the layers that use them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every import of every source file: `{ from: 'exec/query.ts', to: 'plan/plan.ts' | 'libpg-query' }`. */
const imports = files(SRC).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file);
  return [...text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => {
    const spec = m[1]!;
    const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    return { from, to };
  });
});

function offending(layer: string, forbidden: (to: string) => boolean): string[] {
  return imports.filter((i) => i.from.startsWith(`${layer}/`) && forbidden(i.to)).map((i) => `${i.from} → ${i.to}`);
}

const upper = (to: string): boolean => /^(exec|cli|server|deploy)\//.test(to);

describe('layering', () => {
  it('engine/, aws/, catalog/, schema/, sql/ and plan/ import nothing from exec/, cli/, server/ or deploy/', () => {
    for (const layer of ['engine', 'aws', 'catalog', 'schema', 'sql', 'plan']) expect(offending(layer, upper)).toEqual([]);
  });

  it('docs/ imports nothing from exec/', () => {
    expect(offending('docs', (to) => to.startsWith('exec/'))).toEqual([]);
  });

  it('only aws/ (and the emulator, which serves the protocol) imports an AWS SDK package', () => {
    const sdk = imports.filter((i) => /^@(aws-sdk|smithy)\//.test(i.to) && !i.from.startsWith('aws/') && !i.from.startsWith('emulator/'));
    expect(sdk.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('only engine/ imports an SQL engine', () => {
    const engines = imports.filter((i) => /^(@electric-sql\/pglite|pg)$/.test(i.to) && !i.from.startsWith('engine/'));
    expect(engines.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('nothing after sql/ reads parse trees or tokens', () => {
    const parseShapes = (to: string): boolean => to === 'libpg-query' || /^sql\/(parser|ast|analyze)\.ts$/.test(to);
    for (const layer of ['plan', 'exec', 'cli', 'server', 'deploy']) {
      expect(offending(layer, parseShapes)).toEqual([]);
    }
  });
});
