/**
 * The committed providers/ must be exactly what the generator makes from the CloudFormation
 * registry schemas in ../shared/cfn-schemas (or $CCQL_CFN_SCHEMAS): same files, same bytes,
 * nothing extra.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProvider, readNativeServices, readSchemas } from '../../../src/catalog/generate.js';

const root = join(import.meta.dirname, '..', '..', '..');
const schemaDir = process.env.CCQL_CFN_SCHEMAS ?? join(root, '..', 'shared', 'cfn-schemas');
const providersDir = join(root, 'providers');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(providersDir, join(d.parentPath, d.name)))
    .sort();
}

describe('committed providers', () => {
  it('match a fresh generation from the registry schemas', () => {
    const native = readNativeServices(join(providersDir, 'aws', 'native'));
    const { files, resourceCount, serviceCount } = generateProvider(readSchemas(schemaDir), native);
    expect(serviceCount).toBe(273);
    expect(resourceCount).toBe(1489);
    // The hand-written native files are kept, not generated: the index lists each of them.
    const generated = filesUnder(join(providersDir, 'aws')).filter((f) => !f.startsWith('aws/native/'));
    expect(generated).toEqual([...files.keys()].sort());
    const index = files.get('aws/provider.yaml') ?? '';
    for (const n of native) expect(index).toContain(`native: ${n.file}`);
    const differing = [...files].filter(([rel, text]) => readFileSync(join(providersDir, rel), 'utf8') !== text).map(([rel]) => rel);
    expect(differing, 'run `npm run generate:providers` and commit the result').toEqual([]);
  });
});
