/**
 * SQL templating with Handlebars: what `ccql exec --var` and `ccql deploy` share.
 *
 * Templates are compiled `strict`: a variable nobody defined is an error naming it, never a
 * silently empty string that turns `WHERE name = '{{nmae}}'` into `WHERE name = ''`. This holds
 * for helper arguments too (`{{json tgas}}`), which Handlebars' own strict mode lets through: every
 * path a template reads at its top level is checked against the context before it renders.
 *
 * Escaping is SQL's, not HTML's, and it is for the exact place a `{{x}}` lands in the rendered
 * SQL (sql-placement.ts): in '…' quotes are doubled, in E'…' backslashes too, $$…$$ takes the
 * value as it is unless it would close the string, outside literals only a number or the like
 * goes. So `x' OR '1'='1` cannot rewrite the statement wherever it is placed. The place is found
 * after rendering, in the SQL as Handlebars produced it (blocks included): each `{{x}}` prints a
 * mark first. `{{{x}}}` inserts the raw text. Objects and arrays print as JSON (`'{{tags}}'` is
 * a JSON literal). A helper that builds SQL from values (`sql_string`) returns a `SqlSafe`,
 * placed as the SQL it stands for.
 *
 * With `escape: 'none'` (manifest values, which are data rather than SQL) `{{x}}` is raw too.
 * A literal `{{` is written `\{{`.
 */
import { createRequire } from 'node:module';
import type { HelperDelegate } from 'handlebars';
import { CcqlError, type ErrorLocation } from '../errors.js';
import { SqlMarks, type SqlPiece } from './sql-placement.js';

const require = createRequire(import.meta.url);
type HandlebarsModule = typeof import('handlebars');
type Ast = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;
type Expression = hbs.AST.Expression;

let handlebars: HandlebarsModule | undefined;
function hbModule(): HandlebarsModule {
  handlebars ??= require('handlebars') as HandlebarsModule;
  return handlebars;
}

/**
 * SQL a helper built from values: `sql` is its text where nothing escapes it (manifest values,
 * other helpers' arguments); in SQL, `{{…}}` places `piece` for where it stands.
 */
export class SqlSafe {
  constructor(
    readonly sql: string,
    readonly piece: SqlPiece,
  ) {}
  toString(): string {
    return this.sql;
  }
  toJSON(): string {
    return this.sql;
  }
}

export type Helper = (...args: unknown[]) => unknown;

export interface TemplateOptions {
  /** For error locations: a file path, "<command line>", "ccql_manifest.yml". */
  file?: string;
  /** The line of `file` the template starts on (1 when absent). */
  line?: number;
  /** `sql` (default): `{{x}}` is escaped for the SQL literal it stands in (or refused); `none`: printed as it is. */
  escape?: 'sql' | 'none';
  helpers?: Readonly<Record<string, Helper>>;
  /** The hint for an undefined variable. */
  undefinedHint?: (name: string) => string;
  /** A path of the manifest, for its error locations ("resources[1].props[0].value"). */
  path?: string;
  /** Root names that stand for `{{this.x}}` (`this` is the template's context in Handlebars). */
  thisName?: string;
}

/** The value `{{x}}` prints for `v`: strings as they are, objects and arrays as JSON. */
export function templateText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (v instanceof SqlSafe) return v.sql;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Doubles single quotes: the text stays inside an SQL string literal. */
export function sqlEscape(text: string): string {
  return text.replace(/'/g, "''");
}

/**
 * Parses `text` (syntax errors as CcqlError('template') with line and column) and returns it
 * ready to render: `{{this.x}}` at the top level reads `thisName`, `{{…}}` escapes for SQL.
 */
export function compileTemplate(text: string, options: TemplateOptions = {}): CompiledTemplate {
  let ast: Ast;
  try {
    ast = hbModule().parse(text);
  } catch (e) {
    throw templateError(e, options);
  }
  const helperNames = new Set([...Object.keys(options.helpers ?? {}), ...BUILTIN_HELPERS]);
  const sources = rewrite(ast, { helperNames, thisName: options.thisName, text });
  return new CompiledTemplate(ast, helperNames, options, sources);
}

/** Renders `text` with `context`. Throws CcqlError('template') naming what is wrong, and where. */
export function renderTemplate(text: string, context: Readonly<Record<string, unknown>>, options: TemplateOptions = {}): string {
  return compileTemplate(text, options).render(context);
}

/** The Handlebars block helpers every template has. */
const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];
/** Blocks that keep the context: paths inside them are still top-level paths. */
const SAME_SCOPE_BLOCKS = new Set(['if', 'unless']);

export class CompiledTemplate {
  constructor(
    private readonly ast: Ast,
    private readonly helperNames: ReadonlySet<string>,
    readonly options: TemplateOptions,
    /** Each `{{…}}` as written and where, by the index rewrite() gave it. */
    private readonly sources: readonly PlaceholderSource[] = [],
  ) {}

  /** The template is one `{{…}}` and nothing else (whitespace aside). */
  get single(): boolean {
    const body = this.ast.body.filter((s) => !(s.type === 'ContentStatement' && (s as hbs.AST.ContentStatement).value.trim() === ''));
    return body.length === 1 && body[0]!.type === 'MustacheStatement';
  }

  /**
   * For a single `{{…}}`: the value itself rather than its text (a list stays a list, so that
   * a manifest value `'{{tags}}'` can be merged); otherwise the rendered text.
   */
  value(context: Readonly<Record<string, unknown>>): unknown {
    if (!this.single) return this.render(context);
    let captured: unknown;
    this.render(context, (v) => {
      captured = v;
    });
    return captured instanceof SqlSafe ? captured.sql : captured;
  }

  /** Every top-level path the template reads, by its first segment: `{{a.b}}` → `a` (for dependency graphs). */
  references(): Array<{ name: string; path: string[]; line: number; column: number }> {
    const out: Array<{ name: string; path: string[]; line: number; column: number }> = [];
    walkPaths(this.ast, this.helperNames, (p) => {
      out.push({ name: p.parts[0]!, path: [...p.parts], line: p.loc.start.line, column: p.loc.start.column + 1 });
    });
    return out;
  }

  /** What the helpers of the render in progress capture to (see value()). Rendering is synchronous. */
  private capture: ((v: unknown) => void) | undefined;
  /** The placeholders of the SQL render in progress. */
  private marks: SqlMarks | undefined;
  /** Handlebars' compiled function, made on the first render and kept: compiling costs far more than rendering. */
  private compiled: Handlebars.TemplateDelegate | undefined;

  render(context: Readonly<Record<string, unknown>>, capture?: (v: unknown) => void): string {
    // A helper may render this same template from inside it: its capture and marks are put back after.
    const outer = this.capture;
    const outerMarks = this.marks;
    try {
      checkHelpers(this.ast, this.helperNames, this.options);
      checkPaths(this.ast, this.helperNames, context);
      this.compiled ??= this.compile();
      this.capture = capture;
      const marks = (this.options.escape ?? 'sql') === 'sql' && !capture ? new SqlMarks() : undefined;
      this.marks = marks;
      const out = this.compiled(context);
      return marks ? marks.finish(out) : out;
    } catch (e) {
      throw templateError(e, this.options, Object.keys(context));
    } finally {
      this.capture = outer;
      this.marks = outerMarks;
    }
  }

  private compile(): Handlebars.TemplateDelegate {
    const hb = hbModule().create();
    for (const [name, fn] of Object.entries(this.options.helpers ?? {})) hb.registerHelper(name, fn as HelperDelegate);
    hb.registerHelper('ccql_out', (v: unknown, index: unknown) => {
      if (this.capture) {
        this.capture(v);
        return '';
      }
      if (!this.marks) return templateText(v);
      const source = this.sources[index as number]!;
      return this.marks.mark({
        piece: v instanceof SqlSafe ? v.piece : { kind: 'value', text: templateText(v) },
        label: source.label,
        location: place(this.options, source.line, source.column),
      });
    });
    hb.registerHelper('ccql_raw', (v: unknown) => {
      if (this.capture) {
        this.capture(v);
        return '';
      }
      return templateText(v);
    });
    // Handlebars' `if` treats every object as true; an empty list or object is false here, as in Jinja.
    const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' && !(v instanceof SqlSafe) ? Object.keys(v).length > 0 : Boolean(v));
    hb.registerHelper('if', function (this: unknown, v: unknown, opts: Handlebars.HelperOptions) {
      return truthy(v) ? opts.fn(this) : opts.inverse(this);
    });
    hb.registerHelper('unless', function (this: unknown, v: unknown, opts: Handlebars.HelperOptions) {
      return truthy(v) ? opts.inverse(this) : opts.fn(this);
    });
    return hb.compile(this.ast, { strict: true, noEscape: true });
  }
}

interface RewriteOptions {
  helperNames: ReadonlySet<string>;
  thisName: string | undefined;
  /** The template's text, for the placeholders' labels. */
  text: string;
}

/** A `{{…}}` as written (`{{name}}`, cut short when long) and where it starts (1-based line and column). */
interface PlaceholderSource {
  label: string;
  line: number;
  column: number;
}

/**
 * Rewrites the parsed template in place: every `{{…}}` becomes `{{{ccql_out … N}}}` (N its index
 * in the returned sources; SQL escaping whatever it prints, JSON for objects) and every `{{{…}}}`
 * `{{{ccql_raw …}}}`; `this.x` at the top level becomes `<thisName>.x`.
 */
function rewrite(program: Ast, options: RewriteOptions): PlaceholderSource[] {
  const sources: PlaceholderSource[] = [];
  const lineStarts = [0];
  for (let i = options.text.indexOf('\n'); i !== -1; i = options.text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const sourceOf = (loc: hbs.AST.SourceLocation): PlaceholderSource => {
    const from = (lineStarts[loc.start.line - 1] ?? 0) + loc.start.column;
    const to = (lineStarts[loc.end.line - 1] ?? 0) + loc.end.column;
    const written = options.text.slice(from, to).replace(/\s+/g, ' ');
    return { label: written.length > 60 ? `${written.slice(0, 57)}…}}` : written, line: loc.start.line, column: loc.start.column + 1 };
  };
  const visitExpr = (e: Expression, top: boolean): Expression => {
    if (e.type === 'PathExpression') {
      const p = e as PathExpression;
      if (top && options.thisName && !p.data && p.depth === 0 && /^this[./]/.test(p.original)) {
        p.parts = [options.thisName, ...p.parts];
        p.original = `${options.thisName}.${p.parts.slice(1).join('.')}`;
      }
      return p;
    }
    if (e.type === 'SubExpression') {
      const s = e as hbs.AST.SubExpression;
      s.params = s.params.map((x) => visitExpr(x, top));
      for (const pair of s.hash?.pairs ?? []) pair.value = visitExpr(pair.value, top);
    }
    return e;
  };
  const visit = (p: Ast, top: boolean): void => {
    p.body = p.body.map((stmt) => {
      if (stmt.type === 'MustacheStatement') {
        const m = stmt as hbs.AST.MustacheStatement;
        m.params = m.params.map((x) => visitExpr(x, top));
        for (const pair of m.hash?.pairs ?? []) pair.value = visitExpr(pair.value, top);
        const path = m.path.type === 'PathExpression' ? visitExpr(m.path, top) : m.path;
        const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || (path.type === 'PathExpression' && isHelperName(path as PathExpression, options.helperNames));
        const inner: Expression = isCall
          ? ({ type: 'SubExpression', path, params: m.params, hash: m.hash, loc: m.loc } as unknown as Expression)
          : path;
        const helper = m.escaped ? 'ccql_out' : 'ccql_raw';
        const params: Expression[] = [inner];
        if (m.escaped) {
          params.push({ type: 'NumberLiteral', value: sources.length, original: sources.length, loc: m.loc } as hbs.AST.NumberLiteral);
          sources.push(sourceOf(m.loc));
        }
        return {
          ...m,
          path: { type: 'PathExpression', data: false, depth: 0, parts: [helper], original: helper, loc: m.loc } as PathExpression,
          params,
          hash: { type: 'Hash', pairs: [], loc: m.loc } as unknown as hbs.AST.Hash,
          escaped: false,
        } as hbs.AST.MustacheStatement;
      }
      if (stmt.type === 'BlockStatement') {
        const b = stmt as hbs.AST.BlockStatement;
        b.params = b.params.map((x) => visitExpr(x, top));
        for (const pair of b.hash?.pairs ?? []) pair.value = visitExpr(pair.value, top);
        const same = top && SAME_SCOPE_BLOCKS.has(b.path.original);
        if (b.program) visit(b.program, same);
        if (b.inverse) visit(b.inverse, same);
      }
      return stmt;
    });
  };
  visit(program, true);
  return sources;
}

function isHelperName(p: PathExpression, helperNames: ReadonlySet<string>): boolean {
  return !p.data && p.depth === 0 && p.parts.length === 1 && !/^this\b|^\./.test(p.original) && helperNames.has(p.parts[0]!);
}

/** Calls `fn` for every top-level variable path (not a helper name, not `@data`, not inside `{{#each}}`). */
function walkPaths(program: Ast, helperNames: ReadonlySet<string>, fn: (p: PathExpression) => void): void {
  const expr = (e: Expression | undefined): void => {
    if (!e) return;
    if (e.type === 'PathExpression') {
      const p = e as PathExpression;
      if (p.data || p.depth > 0 || p.parts.length === 0) return;
      if (p.parts[0] === 'ccql_out' || p.parts[0] === 'ccql_raw') return;
      fn(p);
    } else if (e.type === 'SubExpression') call(e as hbs.AST.SubExpression);
  };
  const call = (c: { path: Expression; params: Expression[]; hash: hbs.AST.Hash }): void => {
    const path = c.path as PathExpression;
    const isCall = c.params.length > 0 || (c.hash?.pairs.length ?? 0) > 0 || (path.type === 'PathExpression' && isHelperName(path, helperNames));
    // A call's own name (`{{nmae x}}` included: Handlebars reports the missing helper) is not a variable.
    if (!isCall) expr(c.path);
    for (const p of c.params) expr(p);
    for (const pair of c.hash?.pairs ?? []) expr(pair.value);
  };
  const visit = (p: Ast | undefined): void => {
    for (const stmt of p?.body ?? []) {
      if (stmt.type === 'MustacheStatement') call(stmt as hbs.AST.MustacheStatement);
      else if (stmt.type === 'BlockStatement') {
        const b = stmt as hbs.AST.BlockStatement;
        for (const x of b.params) expr(x);
        for (const pair of b.hash?.pairs ?? []) expr(pair.value);
        if (SAME_SCOPE_BLOCKS.has(b.path.original)) {
          visit(b.program);
          visit(b.inverse);
        }
      }
    }
  };
  visit(program);
}

/** Every call (`{{name arg}}`, `(name arg)`) names a helper: else an error naming it, before Handlebars' own "not defined". */
function checkHelpers(program: Ast, helperNames: ReadonlySet<string>, options: TemplateOptions): void {
  const calls = (e: Expression | undefined): void => {
    if (e?.type !== 'SubExpression') return;
    const s = e as hbs.AST.SubExpression;
    const p = s.path as PathExpression;
    if (p.type === 'PathExpression' && !p.data && (s.params.length > 0 || (s.hash?.pairs.length ?? 0) > 0) && !helperNames.has(p.original)) {
      const names = [...helperNames].filter((n) => !BUILTIN_HELPERS.includes(n));
      throw new CcqlError('template', `'${p.original}' is not a helper`, {
        location: place(options, p.loc.start.line, p.loc.start.column + 1),
        hint: names.length > 0 ? `helpers: ${names.join(', ')}` : 'this template has no helpers: write {{name}}',
      });
    }
    s.params.forEach(calls);
    for (const pair of s.hash?.pairs ?? []) calls(pair.value);
  };
  const visit = (p: Ast | undefined): void => {
    for (const stmt of p?.body ?? []) {
      if (stmt.type === 'MustacheStatement') (stmt as hbs.AST.MustacheStatement).params.forEach(calls);
      else if (stmt.type === 'BlockStatement') {
        const b = stmt as hbs.AST.BlockStatement;
        b.params.forEach(calls);
        visit(b.program);
        visit(b.inverse);
      }
    }
  };
  visit(program);
}

/** Every top-level path must resolve in `context`: else the undefined-variable error, with its place. */
function checkPaths(program: Ast, helperNames: ReadonlySet<string>, context: Readonly<Record<string, unknown>>): void {
  walkPaths(program, helperNames, (p) => {
    let cur: unknown = context;
    for (const part of p.parts) {
      if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) {
        const err = new Error(`"${part}" not defined in ${cur === context ? '[root]' : String(cur)} - ${p.loc.start.line}:${p.loc.start.column}`) as Error & { ccqlPath?: string };
        err.ccqlPath = p.original;
        throw err;
      }
      cur = (cur as Record<string, unknown>)[part];
    }
  });
}

function templateError(e: unknown, options: TemplateOptions, known: readonly string[] = []): CcqlError {
  if (e instanceof CcqlError) {
    if (e.location) return e;
    return e.relocated(place(options, undefined, undefined));
  }
  const message = e instanceof Error ? e.message : String(e);
  const fullPath = (e as { ccqlPath?: string }).ccqlPath;

  // Strict mode: `"name" not defined in [object Object] - 2:15` (line 1-based, column 0-based).
  const undef = /^"([^"]*)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (undef) {
    const [, name, line, col] = undef;
    const shown = fullPath && options.thisName ? fullPath.replace(new RegExp(`^${options.thisName}\\b`), 'this') : (fullPath ?? name!);
    const what = shown === name ? `'${name}'` : `'${name}' (in ${shown})`;
    return new CcqlError('template', `template variable ${what} is not defined`, {
      location: place(options, Number(line), Number(col) + 1),
      hint: options.undefinedHint?.(name!) ?? (known.length > 0 ? `defined: ${known.join(', ')}` : 'no variable is defined'),
    });
  }

  // Parser: "Parse error on line 3:\n<excerpt>\n----^\nExpecting …, got 'EOF'".
  const parse = /^Parse error on line (\d+):\n([^\n]*)\n(-*\^)\n(.*)$/s.exec(message);
  if (parse) {
    const [, line, excerpt, caret, expecting] = parse;
    const got = /got '([^']+)'/.exec(expecting ?? '')?.[1];
    return new CcqlError('template', `the SQL template does not parse${got ? ` (unexpected ${describeToken(got)})` : ''}`, {
      location: place(options, Number(line), undefined),
      details: [excerpt ?? '', caret ?? ''],
      hint: 'placeholders look like {{name}}; write \\{{ for a literal {{',
    });
  }

  const missingHelper = /^Missing helper: "([^"]+)"/.exec(message);
  if (missingHelper) {
    const loc = e as { lineNumber?: unknown; column?: unknown };
    const names = Object.keys(options.helpers ?? {});
    return new CcqlError('template', `'${missingHelper[1]}' is not a helper`, {
      location: place(options, typeof loc.lineNumber === 'number' ? loc.lineNumber : undefined, typeof loc.column === 'number' ? loc.column + 1 : undefined),
      hint: names.length > 0 ? `helpers: ${names.join(', ')}` : 'variables are plain strings: {{name}}; write \\{{ for a literal {{',
    });
  }

  // A lookup into a string (`{{region.name}}`).
  const into = /^Cannot use 'in' operator to search for '([^']+)' in (.*)$/s.exec(message);
  if (into) {
    return new CcqlError('template', `template variable '${into[1]}' cannot be looked up: the value it is looked up in is not an object`, {
      location: place(options, undefined, undefined),
      hint: 'a.b reads key b of the object a; strings, numbers and lists have no keys',
    });
  }

  // Anything else Handlebars reports (a missing partial…).
  const loc = e as { lineNumber?: unknown; column?: unknown };
  return new CcqlError('template', `the SQL template cannot be rendered: ${message.split('\n')[0]}`, {
    location: place(options, typeof loc.lineNumber === 'number' ? loc.lineNumber : undefined, typeof loc.column === 'number' ? loc.column + 1 : undefined),
    hint: 'variables look like {{name}}; write \\{{ for a literal {{',
  });
}

function place(options: TemplateOptions, line: number | undefined, column: number | undefined): ErrorLocation {
  const location: ErrorLocation = {};
  if (options.file) location.file = options.file;
  if (line !== undefined) location.line = line + (options.line ?? 1) - 1;
  if (column !== undefined) location.column = column;
  if (options.path) location.path = options.path;
  return location;
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

