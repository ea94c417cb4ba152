/**
 * npm run generate:docs [-- OUT_DIR]
 * Writes the reference pages of every provider resource to docs/providers/ (or OUT_DIR), replacing
 * what was there, so that removed resources lose their pages too.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Catalog } from '../src/catalog/loader.js';
import { generateDocs } from '../src/docs/generate.js';
import { renderErrorText, toCcqlError } from '../src/errors.js';

const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'providers'));

try {
  const catalog = new Catalog();
  const files = generateDocs(catalog);
  rmSync(join(outDir, 'aws'), { recursive: true, force: true });
  for (const [rel, text] of files) {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  console.error(`wrote ${files.size} files to ${outDir}`);
} catch (e) {
  console.error(renderErrorText(toCcqlError(e)));
  process.exitCode = 1;
}
