/**
 * `--var K=V` templating of SQL text with Handlebars, compiled `strict` (a variable nobody
 * defined is an error, never a silently empty string that turns `WHERE name = '{{nmae}}'` into
 * `WHERE name = ''`). Escaping is SQL's, not HTML's: `{{name}}` doubles single quotes, so a value
 * placed inside a string literal stays inside it (`x' OR '1'='1` cannot rewrite the statement);
 * `{{{name}}}` inserts the raw text, as Handlebars users expect of a triple stash.
 *
 * Templating applies only when `--var` is given or the text contains `{{`, so SQL without
 * placeholders never pays for Handlebars. A literal `{{` in templated text is written `\{{`.
 * The template engine itself is src/template/, shared with `ccql deploy`.
 */
import { CcqlError } from '../errors.js';
import { renderTemplate as renderSqlTemplate } from '../template/index.js';

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

/**
 * Renders `text` with `vars`. `file` labels error locations ("query.sql", "<command line>").
 * Throws CcqlError('template') naming the undefined variable or the syntax problem, with its
 * line and column in the original text.
 */
export function renderTemplate(text: string, vars: TemplateVars, file?: string): string {
  const known = Object.keys(vars);
  const definedHint = known.length > 0 ? `defined: ${known.join(', ')}` : 'no --var was given';
  return renderSqlTemplate(text, vars, {
    ...(file !== undefined ? { file } : {}),
    undefinedHint: (name) => `pass --var ${name}=VALUE (${definedHint}); write \\{{ for a literal {{`,
  });
}
