#!/usr/bin/env node
// Thin launcher: the real entry is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ccql: the compiled program is missing (dist/cli/main.js).\nhint: run `npm install` (or `npm run build`) in the ccql checkout first.\n');
  process.exit(2);
}
await import(entry.href);
