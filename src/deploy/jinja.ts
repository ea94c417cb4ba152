/**
 * stackql-deploy stacks are written in Jinja. The forms they use most are translated to their
 * Handlebars equivalents before a template is compiled, so those stacks run unchanged:
 *
 *   {{ x | tojson }}                        → {{json x}}
 *   {{ x | from_json | tojson }}            → {{json (from_json x)}}
 *   {{ a | merge_lists(b) }}                → {{merge_lists a b}}
 *   {{ x | base64_encode }}                 → {{base64 x}}
 *   {{ { "Tags": tags } | generate_patch_document }} → {{patch_document (object Tags=tags)}}
 *   {{ uuid() }}                            → {{uuid}}
 *   {{ x['key'] }}, {{ x[0] }}              → {{x.key}}, {{x.[0]}}
 *   {{- x -}}                               → {{~x~}}
 *   {# comment #}                           → {{!-- comment --}}
 *
 * (also merge_objects, sql_escape, sql_list, lower, upper). Any other Jinja (`{% if %}`, `{% for %}`,
 * `{% set %}`, other filters, operators) is refused with a hint naming the Handlebars form. A
 * `{{…}}` that is already Handlebars (`{{x}}`, `{{json x}}`, `{{#if}}`) is left as it is. Line
 * breaks are kept, so error positions stay right.
 */
import { CcqlError, type ErrorLocation } from '../errors.js';

const FILTERS: Readonly<Record<string, string>> = {
  tojson: 'json',
  from_json: 'from_json',
  base64_encode: 'base64',
  b64encode: 'base64',
  generate_patch_document: 'patch_document',
  merge_lists: 'merge_lists',
  merge_objects: 'merge_objects',
  sql_escape: 'sql_escape',
  sql_list: 'sql_list',
  lower: 'lower',
  upper: 'upper',
};

const FUNCTIONS: Readonly<Record<string, string>> = { uuid: 'uuid' };

const FILTER_HINTS: Readonly<Record<string, string>> = {
  default: 'Handlebars templates are strict: define the variable (a global, a prop or -e NAME=VALUE), or branch with {{#if x}}…{{else}}…{{/if}}',
  replace: 'compute the value in the manifest (a prop), or in SQL: replace(\'{{x}}\', \'a\', \'b\')',
  join: "join in SQL: array_to_string(ARRAY(SELECT jsonb_array_elements_text('{{json xs}}'::jsonb)), ',')",
  length: "count in SQL: jsonb_array_length('{{json xs}}'::jsonb)",
  trim: "trim in SQL: trim('{{x}}')",
  int: "cast in SQL: '{{x}}'::int",
  string: 'a value prints as text already: {{x}}',
};

const STATEMENT_HINTS: Readonly<Record<string, string>> = {
  if: 'write {{#if x}}…{{else}}…{{/if}} (comparisons: {{#if (eq a "b")}})',
  elif: 'write {{#if a}}…{{else if b}}…{{/if}}',
  else: 'write {{else}} inside {{#if}}…{{/if}}',
  endif: 'write {{/if}}',
  for: 'write {{#each items}}{{this}}{{/each}} (with {{@index}}, {{@first}}, {{@last}})',
  endfor: 'write {{/each}}',
  set: 'define the value in the manifest instead: a global, or a prop of the resource',
  raw: 'write \\{{ for a literal {{',
  include: 'put the SQL in the resource file itself',
  macro: 'repeat the SQL, or compute the value in the manifest',
};

export interface JinjaOptions {
  file?: string;
  /** The line of `file` the text starts on. */
  line?: number;
  path?: string;
}

/** The text with Jinja forms translated to Handlebars; throws CcqlError('template') on Jinja it cannot translate. */
export function translateJinja(text: string, options: JinjaOptions = {}): string {
  if (!/\{[{%#]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = nextOpen(text, i);
    if (open === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const two = text.slice(open, open + 2);
    if (two === '{#') {
      const end = text.indexOf('#}', open + 2);
      if (end === -1) throw refusal(text, open, 'a Jinja comment {# … is not closed', 'close it with #}, or write a Handlebars comment {{!-- … --}}', options);
      out += `{{!--${text.slice(open + 2, end).replace(/--/g, '- -')}--}}`;
      i = end + 2;
      continue;
    }
    if (two === '{%') {
      const end = text.indexOf('%}', open + 2);
      const body = text.slice(open + 2, end === -1 ? undefined : end).replace(/^[-+]/, '').trim();
      const keyword = /^[a-z_]+/.exec(body)?.[0] ?? '';
      throw refusal(text, open, `Jinja statement {% ${body.length > 40 ? `${body.slice(0, 40)}…` : body} %} is not supported`, STATEMENT_HINTS[keyword] ?? 'ccql templates are Handlebars: {{#if}}, {{#each}}, helpers such as {{json x}}; see docs/deploy.md', options);
    }
    // `{{{raw}}}` is Handlebars.
    if (text.startsWith('{{{', open)) {
      const end = text.indexOf('}}}', open + 3);
      if (end === -1) {
        out += text.slice(open);
        break;
      }
      out += text.slice(open, end + 3);
      i = end + 3;
      continue;
    }
    const end = closing(text, open + 2);
    if (end === -1) {
      // Let Handlebars report the unclosed {{ with its own message.
      out += text.slice(open);
      break;
    }
    const inner = text.slice(open + 2, end);
    out += translateMustache(inner, text, open, options);
    i = end + 2;
  }
  return out;
}

/** The next `{{`, `{%` or `{#` not escaped as `\{{`. */
function nextOpen(text: string, from: number): number {
  const re = /\{[{%#]/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '{{' && text[m.index - 1] === '\\') continue;
    return m.index;
  }
  return -1;
}

/** The `}}` that closes a mustache whose content starts at `from`, skipping strings and `{…}` literals. */
function closing(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const q = c;
      for (i++; i < text.length && text[i] !== q; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

function translateMustache(inner: string, text: string, at: number, options: JinjaOptions): string {
  // Handlebars' own forms: blocks, comments, partials, else, and whitespace control `~`.
  if (/^\s*[#/^!>&~]|^\s*else\b/.test(inner) || /~\s*$/.test(inner)) return `{{${inner}}}`;
  let body = inner;
  let open = '{{';
  let close = '}}';
  if (body.startsWith('-')) {
    open = '{{~';
    body = body.slice(1);
  }
  if (body.endsWith('-')) {
    close = '~}}';
    body = body.slice(0, -1);
  }
  const tokens = tokenize(body, text, at, options);
  if (!isJinja(tokens)) return open === '{{' && close === '}}' ? `{{${inner}}}` : `${open}${body.trim()}${close}`;
  const p = new Parser(tokens, body, text, at, options);
  const expr = p.parseFilters();
  p.expectEnd();
  const translated = expr.startsWith('(') && expr.endsWith(')') && balanced(expr.slice(1, -1)) ? expr.slice(1, -1) : expr;
  const newlines = (inner.match(/\n/g) ?? []).length;
  return `${open}${translated}${'\n'.repeat(newlines)}${close}`;
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== '\\') quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

interface Token {
  kind: 'name' | 'string' | 'number' | 'punct';
  text: string;
  /** Offset in the mustache body. */
  offset: number;
}

function tokenize(body: string, text: string, at: number, options: JinjaOptions): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      for (; j < body.length && body[j] !== c; j++) {
        if (body[j] === '\\' && j + 1 < body.length) {
          j++;
          value += body[j] === 'n' ? '\n' : body[j] === 't' ? '\t' : body[j];
        } else value += body[j];
      }
      if (j >= body.length) throw refusal(text, at, 'a string in this {{ … }} is not closed', 'close the quote', options);
      tokens.push({ kind: 'string', text: value, offset: i, ...(c === "'" ? { single: true } : {}) } as Token);
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(body.slice(i));
    if (num && (c !== '-' || tokens.length === 0 || tokens[tokens.length - 1]!.kind === 'punct')) {
      tokens.push({ kind: 'number', text: num[0], offset: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_@][A-Za-z0-9_-]*/.exec(body.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], offset: i });
      i += name[0].length;
      continue;
    }
    const punct = /^(==|!=|<=|>=|\*\*|\/\/|[|()[\]{},:.~+\-*/%<>=!])/.exec(body.slice(i));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct[0], offset: i });
      i += punct[0].length;
      continue;
    }
    throw refusal(text, at, `unexpected '${c}' in {{${body}}}`, 'placeholders look like {{name}} or {{helper arg}}', options);
  }
  return tokens;
}

/** A Jinja expression, as opposed to a Handlebars path or helper call. */
function isJinja(tokens: readonly Token[]): boolean {
  return tokens.some(
    (t, i) =>
      (t.kind === 'punct' && t.text !== '.' && t.text !== '=' && t.text !== '(' && t.text !== ')') ||
      (t.kind === 'string' && (t as Token & { single?: boolean }).single === true) ||
      // `name(`: a Jinja call; Handlebars writes `(name …)`.
      (t.kind === 'punct' && t.text === '(' && i > 0 && tokens[i - 1]!.kind === 'name' && tokens[i - 1]!.offset + tokens[i - 1]!.text.length === t.offset),
  );
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly body: string,
    private readonly text: string,
    private readonly at: number,
    private readonly options: JinjaOptions,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw this.refuse('the expression ends too early');
    return t;
  }

  private accept(text: string): boolean {
    const t = this.peek();
    if (t && t.kind === 'punct' && t.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw this.refuse(`expected '${text}'${this.peek() ? ` before '${this.peek()!.text}'` : ''}`);
  }

  expectEnd(): void {
    const t = this.peek();
    if (!t) return;
    const op = t.text;
    const hint =
      op === '~' || op === '+'
        ? "write the pieces side by side: '{{a}}-{{b}}'"
        : ['==', '!=', '<', '>', '<=', '>='].includes(op)
          ? 'compare with {{#if (eq a b)}}…{{/if}}, or in the manifest `if:` condition'
          : op === 'and' || op === 'or' || op === 'not' || op === 'if'
            ? 'branch with {{#if (and a b)}}…{{/if}}'
            : 'ccql templates are Handlebars: see docs/deploy.md for the translated Jinja forms';
    throw this.refuse(`'${op}' has no Handlebars form`, hint);
  }

  refuse(what: string, hint?: string): CcqlError {
    return refusal(this.text, this.at, `Jinja expression {{${this.body}}}: ${what}`, hint ?? 'ccql templates are Handlebars: see docs/deploy.md for the translated Jinja forms', this.options);
  }

  parseFilters(): string {
    let value = this.parsePrimary();
    while (this.accept('|')) {
      const name = this.next();
      if (name.kind !== 'name') throw this.refuse(`expected a filter name after '|'`);
      const helper = FILTERS[name.text];
      if (!helper) {
        throw this.refuse(`the filter '${name.text}' has no Handlebars equivalent`, FILTER_HINTS[name.text] ?? `filters that translate: ${Object.keys(FILTERS).join(', ')}`);
      }
      const args = this.peek()?.text === '(' && this.peek()?.kind === 'punct' ? this.parseArgs() : [];
      value = `(${[helper, value, ...args].join(' ')})`;
    }
    return value;
  }

  private parseArgs(): string[] {
    this.expect('(');
    const args: string[] = [];
    if (this.accept(')')) return args;
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'name' && this.tokens[this.i + 1]?.text === '=') throw this.refuse(`keyword arguments (${t.text}=…) have no Handlebars form`);
      args.push(this.parseFilters());
      if (this.accept(')')) return args;
      this.expect(',');
    }
  }

  private parsePrimary(): string {
    const t = this.next();
    if (t.kind === 'string') return hbString(t.text);
    if (t.kind === 'number') return t.text;
    if (t.kind === 'punct') {
      if (t.text === '(') {
        const inner = this.parseFilters();
        this.expect(')');
        return inner;
      }
      if (t.text === '{') return this.parseObject();
      if (t.text === '[') return this.parseList();
      throw this.refuse(`unexpected '${t.text}'`);
    }
    switch (t.text) {
      case 'true':
      case 'True':
        return 'true';
      case 'false':
      case 'False':
        return 'false';
      case 'none':
      case 'None':
        return 'null';
    }
    if (this.peek()?.text === '(' && this.peek()?.offset === t.offset + t.text.length) {
      const fn = FUNCTIONS[t.text];
      if (!fn) throw this.refuse(`the function ${t.text}() has no Handlebars equivalent`, `functions that translate: ${Object.keys(FUNCTIONS).map((f) => `${f}()`).join(', ')}`);
      const args = this.parseArgs();
      return `(${[fn, ...args].join(' ')})`;
    }
    let path = t.text;
    for (;;) {
      if (this.accept('.')) {
        const seg = this.next();
        if (seg.kind !== 'name' && seg.kind !== 'number') throw this.refuse(`expected a name after '.'`);
        path += seg.kind === 'number' ? `.[${seg.text}]` : `.${seg.text}`;
      } else if (this.peek()?.text === '[' && this.peek()?.kind === 'punct') {
        this.next();
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'number') throw this.refuse('only constant keys (x["key"], x[0]) have a Handlebars form');
        this.expect(']');
        path += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key.text) ? `.${key.text}` : `.[${key.text}]`;
      } else break;
    }
    return path;
  }

  private parseObject(): string {
    const pairs: string[] = [];
    if (!this.accept('}')) {
      for (;;) {
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'name') throw this.refuse('object keys must be names or strings');
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key.text)) throw this.refuse(`the key "${key.text}" cannot be a Handlebars hash key`, 'keys must be letters, digits and _');
        this.expect(':');
        pairs.push(`${key.text}=${this.parseFilters()}`);
        if (this.accept('}')) break;
        this.expect(',');
        if (this.accept('}')) break;
      }
    }
    return `(${['object', ...pairs].join(' ')})`;
  }

  private parseList(): string {
    const items: string[] = [];
    if (!this.accept(']')) {
      for (;;) {
        items.push(this.parseFilters());
        if (this.accept(']')) break;
        this.expect(',');
        if (this.accept(']')) break;
      }
    }
    return `(${['array', ...items].join(' ')})`;
  }
}

function hbString(s: string): string {
  return `"${s.replace(/"/g, '\\"')}"`;
}

function refusal(text: string, offset: number, message: string, hint: string, options: JinjaOptions): CcqlError {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g) ?? []).length + (options.line ?? 1);
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const location: ErrorLocation = { line, column };
  if (options.file) location.file = options.file;
  if (options.path) location.path = options.path;
  return new CcqlError('template', message, { location, hint });
}
