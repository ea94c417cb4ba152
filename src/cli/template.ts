/**
 * `--var K=V` templating of SQL text with Handlebars, compiled `strict` (a variable nobody
 * defined is an error, never a silently empty string that turns `WHERE name = '{{nmae}}'` into
 * `WHERE name = ''`). Escaping is SQL's, not HTML's, and for the literal `{{name}}` lands in:
 * quotes doubled in '…', backslashes too in E'…', a $$…$$ value refused if it would close the
 * string, and outside literals only a number or the like (src/template/sql-placement.ts). So a
 * value cannot rewrite the statement; `{{{name}}}` inserts the raw text, as Handlebars users
 * expect of a triple stash.
 *
 * Templating applies only when `--var` is given or the text contains `{{`, so SQL without
 * placeholders never pays for Handlebars. A literal `{{` in templated text is written `\{{`.
 * The template engine itself is src/template/, shared with `ccql deploy`.
 */
import { renderTemplate as renderSqlTemplate } from '../template/index.js';
import type { TemplateVars } from './template-vars.js';

export { needsTemplating, parseVars, type TemplateVars } from './template-vars.js';

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
