/**
 * `--var K=V` templating of SQL text with Handlebars, compiled `strict` (a variable nobody
 * defined is an error, never a silently empty string that turns `WHERE name = '{{nmae}}'` into
 * `WHERE name = ''`). Escaping is SQL's, not HTML's: `{{name}}` doubles single quotes, so a value
 * placed inside a string literal stays inside it (`x' OR '1'='1` cannot rewrite the statement);
 * `{{{name}}}` inserts the raw text, as Handlebars users expect of a triple stash.
 *
 * Templating applies only when `--var` is given or the text contains `{{`, so SQL without
 * placeholders never pays for Handlebars. A literal `{{` in templated text is written `\{{`.
 */
import { createRequire } from 'node:module';
import { CcqlError, type ErrorLocation } from '../errors.js';

const require = createRequire(import.meta.url);

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
  const Handlebars = require('handlebars') as typeof import('handlebars');
  const hb = Handlebars.create();
  try {
    // compile() parses lazily, on the first render: syntax and undefined-variable errors both surface here.
    return hb.compile(text, { strict: true })(sqlValues(vars));
  } catch (e) {
    throw templateError(e, vars, file);
  }
}

/**
 * Handlebars escapes `{{x}}` by calling the value's toHTML() when it has one, and prints a
 * triple stash `{{{x}}}` with toString(): so each value escapes itself for an SQL string literal.
 */
class SqlText {
  constructor(private readonly raw: string) {}
  toHTML(): string {
    return this.raw.replace(/'/g, "''");
  }
  toString(): string {
    return this.raw;
  }
}

function sqlValues(vars: TemplateVars): Record<string, SqlText> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, new SqlText(v)]));
}

function templateError(e: unknown, vars: TemplateVars, file: string | undefined): CcqlError {
  const message = e instanceof Error ? e.message : String(e);
  const known = Object.keys(vars);
  const definedHint = known.length > 0 ? `defined: ${known.join(', ')}` : 'no --var was given';

  // Strict mode: `"name" not defined in [object Object] - 2:15` (line 1-based, column 0-based).
  const undef = /^"([^"]*)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (undef) {
    const [, name, line, col] = undef;
    const location: ErrorLocation = { line: Number(line), column: Number(col) + 1 };
    if (file) location.file = file;
    return new CcqlError('template', `template variable '${name}' is not defined`, {
      location,
      hint: `pass --var ${name}=VALUE (${definedHint}); write \\{{ for a literal {{`,
    });
  }

  // Parser: "Parse error on line 3:\n<excerpt>\n----^\nExpecting …, got 'EOF'".
  const parse = /^Parse error on line (\d+):\n([^\n]*)\n(-*\^)\n(.*)$/s.exec(message);
  if (parse) {
    const [, line, excerpt, caret, expecting] = parse;
    const got = /got '([^']+)'/.exec(expecting ?? '')?.[1];
    const location: ErrorLocation = { line: Number(line) };
    if (file) location.file = file;
    return new CcqlError('template', `the SQL template does not parse${got ? ` (unexpected ${describeToken(got)})` : ''}`, {
      location,
      details: [excerpt ?? '', caret ?? ''],
      hint: 'placeholders look like {{name}}; write \\{{ for a literal {{',
    });
  }

  // Anything else Handlebars reports (a missing partial, a lookup into a string value…).
  const loc = e as { lineNumber?: unknown; column?: unknown };
  const location: ErrorLocation = {};
  if (file) location.file = file;
  if (typeof loc.lineNumber === 'number') location.line = loc.lineNumber;
  if (typeof loc.column === 'number') location.column = loc.column + 1;
  return new CcqlError('template', `the SQL template cannot be rendered: ${message.split('\n')[0]}`, {
    location,
    hint: 'variables are plain strings: {{name}}; write \\{{ for a literal {{',
  });
}

function describeToken(token: string): string {
  switch (token) {
    case 'EOF':
      return 'end of text (an unclosed {{ or block?)';
    case 'INVALID':
      return 'character';
    case 'OPEN_ENDBLOCK':
      return '{{/…}} without a matching {{#…}}';
    default:
      return token.toLowerCase().replace(/_/g, ' ');
  }
}
