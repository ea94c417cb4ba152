/**
 * npm run generate:providers [-- SCHEMA_DIR [OUT_DIR]]
 * Reads CloudFormation registry schemas (default ../shared/cfn-schemas) and writes providers/aws/….
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateProvider, readSchemas } from '../src/catalog/generate.js';

const schemaDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'cfn-schemas'));
const outDir = resolve(process.argv[3] ?? join(import.meta.dirname, '..', 'providers'));

const { files, resourceCount, serviceCount } = generateProvider(readSchemas(schemaDir));
rmSync(join(outDir, 'aws'), { recursive: true, force: true });
for (const [rel, text] of files) {
  const path = join(outDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
console.error(`wrote ${files.size} files to ${outDir}: ${serviceCount} services, ${resourceCount} resources (from ${schemaDir})`);
