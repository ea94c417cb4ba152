/**
 * Stack variables from the command line (`-e NAME=VALUE`, repeatable) and from `--env-file F`
 * (dotenv lines: `NAME=VALUE`, `export NAME=VALUE`, quoted values, `#` comments). `-e` wins.
 */
import { readFileSync } from 'node:fs';
import { CcqlError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseVarSpecs(specs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq === -1) throw new CcqlError('usage', `-e ${JSON.stringify(spec)} has no '='`, { hint: 'write -e NAME=VALUE, e.g. -e AWS_REGION=us-east-1' });
    const name = spec.slice(0, eq);
    if (!NAME.test(name)) throw new CcqlError('usage', `-e ${JSON.stringify(spec)}: '${name}' is not a variable name`, { hint: 'names start with a letter or _ and contain letters, digits and _' });
    out[name] = spec.slice(eq + 1);
  }
  return out;
}

export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CcqlError('usage', `cannot read --env-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseEnvFile(text, file);
}

export function parseEnvFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      throw new CcqlError('usage', `${file}:${i + 1}: not a NAME=VALUE line`, { location: { file, line: i + 1, column: 1 }, hint: 'lines look like NAME=VALUE (or export NAME=VALUE); # starts a comment' });
    }
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  });
  return out;
}
