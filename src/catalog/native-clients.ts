/**
 * Load-time checks that a native method's SDK client is installed and has its command, made
 * from the package's files alone: loading an SDK client costs tens of milliseconds, and a
 * provider file must be checkable without paying that for every client it names.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { suggest } from '../errors.js';
import type { ResourceDef } from './types.js';

const require = createRequire(import.meta.url);
const packageDirs = new Map<string, string | undefined>();
const commandLists = new Map<string, string[]>();

/** The installed package's folder, or undefined when it is not installed. */
function packageDir(client: string): string | undefined {
  if (!packageDirs.has(client)) {
    let dir: string | undefined;
    try {
      dir = dirname(require.resolve(`${client}/package.json`));
    } catch {
      dir = undefined;
    }
    packageDirs.set(client, dir);
  }
  return packageDirs.get(client);
}

/** The operations a client package has commands for, from its command modules' file names. */
export function clientOperations(client: string): string[] | undefined {
  const dir = packageDir(client);
  if (dir === undefined) return undefined;
  let ops = commandLists.get(client);
  if (!ops) {
    const found = new Set<string>();
    for (const sub of ['dist-types/commands', 'dist-es/commands', 'dist-cjs/commands']) {
      const folder = join(dir, sub);
      if (!existsSync(folder)) continue;
      for (const f of readdirSync(folder)) {
        const m = /^([A-Z][A-Za-z0-9]*)Command\.(?:d\.ts|js)$/.exec(f);
        if (m) found.add(m[1]!);
      }
    }
    ops = [...found].sort();
    commandLists.set(client, ops);
  }
  return ops;
}

/** Problems with the clients and operations the resources' native methods name. */
export function checkNativeClients(resources: Record<string, Omit<ResourceDef, 'name'>>): string[] {
  const problems: string[] = [];
  for (const [name, r] of Object.entries(resources)) {
    r.methods.forEach((m, i) => {
      if (m.call.api !== 'native') return;
      const at = `resources.${name}.methods[${i}].call`;
      const ops = clientOperations(m.call.client);
      if (ops === undefined) {
        problems.push(`${at}.client: ${m.call.client} is not an installed AWS SDK client (npm install ${m.call.client})`);
        return;
      }
      // A package without command modules (bundled differently) cannot be checked here: the call says.
      if (ops.length > 0 && !ops.includes(m.call.operation)) {
        const s = suggest(m.call.operation, ops);
        problems.push(`${at}.operation: ${m.call.client} has no command ${m.call.operation}Command${s ? ` (did you mean ${s}?)` : ''}`);
      }
    });
  }
  return problems;
}
