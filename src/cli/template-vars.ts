/**
 * `--var K=V` values and whether a script needs templating: what `ccql exec` decides before the
 * template engine (src/template/, cli/template.ts) is loaded, so that SQL without placeholders
 * never loads it.
 */
import { CcqlError } from '../errors.js';

export type TemplateVars = Record<string, string>;

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses repeated `--var K=V` values (the value may contain `=`); bad ones are usage errors. */
export function parseVars(specs: readonly string[]): TemplateVars {
  const vars: TemplateVars = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq === -1) {
      throw new CcqlError('usage', `--var ${JSON.stringify(spec)} has no '='`, { hint: 'write --var NAME=VALUE, e.g. --var region=us-east-1' });
    }
    const name = spec.slice(0, eq);
    if (!VAR_NAME.test(name)) {
      throw new CcqlError('usage', `--var ${JSON.stringify(spec)}: '${name}' is not a variable name`, {
        hint: 'names start with a letter or _ and contain letters, digits and _',
      });
    }
    vars[name] = spec.slice(eq + 1);
  }
  return vars;
}

/** Whether `text` should go through the template engine. */
export function needsTemplating(text: string, vars: TemplateVars | undefined): boolean {
  return (vars !== undefined && Object.keys(vars).length > 0) || text.includes('{{');
}
