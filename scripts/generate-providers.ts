/**
 * npm run generate:providers [-- SCHEMA_DIR [OUT_DIR]]
 * Reads CloudFormation registry schemas (default ../shared/cfn-schemas) and writes providers/aws/….
 * The hand-written native files (providers/aws/native/) are kept: the index lists them, and they
 * are copied when OUT_DIR is another folder.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateProvider, readNativeServices, readSchemas } from '../src/catalog/generate.js';

const schemaDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'cfn-schemas'));
const outDir = resolve(process.argv[3] ?? join(import.meta.dirname, '..', 'providers'));
const nativeDir = join(import.meta.dirname, '..', 'providers', 'aws', 'native');

const native = readNativeServices(nativeDir);
const { files, resourceCount, serviceCount } = generateProvider(readSchemas(schemaDir), native);
rmSync(join(outDir, 'aws', 'services'), { recursive: true, force: true });
rmSync(join(outDir, 'aws', 'provider.yaml'), { force: true });
for (const [rel, text] of files) {
  const path = join(outDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
if (resolve(join(outDir, 'aws', 'native')) !== resolve(nativeDir)) {
  for (const n of native) {
    const to = join(outDir, 'aws', n.file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(nativeDir, n.file.replace(/^native\//, '')), to);
  }
}
const nativeCount = native.reduce((sum, n) => sum + n.resourceCount, 0);
console.error(`wrote ${files.size} files to ${outDir}: ${serviceCount} services, ${resourceCount} resources (from ${schemaDir}); kept ${native.length} native files (${nativeCount} resources)`);
