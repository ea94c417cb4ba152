/**
 * `if:` conditions of manifest resources, evaluated by a small expression language, never by
 * `eval`. The condition is a template first (`"'{{stack_env}}' == 'prod'"`, as stackql-deploy
 * stacks write it, with quotes in values doubled so they stay inside their literal), then an
 * expression over literals and the template's variables (`stack_env == 'prod'`):
 *
 *   or / ||, and / &&, not / !, == != < <= > >=, in / not in,
 *   'strings' "strings", numbers, true false (True False), null (None), [lists], (groups),
 *   names and dotted paths (exports, props, globals, vars)
 *
 * Truth is Python's: empty strings, lists, objects, 0, false and null are false.
 */
import { CcqlError } from '../errors.js';

type Value = unknown;

interface Token {
  kind: 'string' | 'number' | 'name' | 'op';
  text: string;
  value?: Value;
  at: number;
}

export function evaluateCondition(text: string, context: Readonly<Record<string, unknown>>): boolean {
  const tokens = tokenize(text);
  const p = new ConditionParser(tokens, text, context);
  const v = p.parseOr();
  p.end();
  return truthy(v);
}

export function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function problem(text: string, at: number, message: string, hint?: string): CcqlError {
  return new CcqlError('manifest', `the condition ${JSON.stringify(text)} ${message}${at >= 0 ? ` (at character ${at + 1})` : ''}`, {
    hint: hint ?? "conditions compare values: stack_env == 'prod', 'x' in ['a', 'x'], not enabled, a and (b or c)",
  });
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw problem(text, i, 'has a string that is not closed');
        if (text[j] === c) {
          // '' inside '…' is one quote (SQL's escape, what {{x}} writes for a quote in a value).
          // It is the only escape: a backslash is a character, as in SQL, so that a value ending
          // in one cannot take the closing quote {{x}} wrote.
          if (text[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        s += text[j];
        j++;
      }
      out.push({ kind: 'string', text: text.slice(i, j + 1), value: s, at: i });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'number', text: num[0], value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[<>!()[\],])/.exec(text.slice(i));
    if (op) {
      out.push({ kind: 'op', text: op[0], at: i });
      i += op[0].length;
      continue;
    }
    throw problem(text, i, `has '${c}', which conditions do not use`);
  }
  return out;
}

class ConditionParser {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
    private readonly context: Readonly<Record<string, unknown>>,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isWord(...words: string[]): boolean {
    const t = this.peek();
    return t !== undefined && ((t.kind === 'name' && words.includes(t.text)) || (t.kind === 'op' && words.includes(t.text)));
  }

  end(): void {
    const t = this.peek();
    if (t) throw problem(this.text, t.at, `has '${t.text}' where it should end`);
  }

  parseOr(): Value {
    let v = this.parseAnd();
    while (this.isWord('or', '||')) {
      this.i++;
      const r = this.parseAnd();
      v = truthy(v) ? v : r;
    }
    return v;
  }

  private parseAnd(): Value {
    let v = this.parseNot();
    while (this.isWord('and', '&&')) {
      this.i++;
      const r = this.parseNot();
      v = truthy(v) ? r : v;
    }
    return v;
  }

  private parseNot(): Value {
    if (this.isWord('not', '!') && !(this.peek()?.text === 'not' && this.tokens[this.i + 1]?.text === 'in')) {
      this.i++;
      return !truthy(this.parseNot());
    }
    return this.parseComparison();
  }

  private parseComparison(): Value {
    const left = this.parsePrimary();
    const t = this.peek();
    if (!t) return left;
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.i++;
      return compare(t.text, left, this.parsePrimary(), this.text, t.at);
    }
    if (t.kind === 'name' && t.text === 'in') {
      this.i++;
      return contains(this.parsePrimary(), left);
    }
    if (t.kind === 'name' && t.text === 'not' && this.tokens[this.i + 1]?.text === 'in') {
      this.i += 2;
      return !contains(this.parsePrimary(), left);
    }
    return left;
  }

  private parsePrimary(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw problem(this.text, -1, 'ends too early');
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'op') {
      if (t.text === '(') {
        const v = this.parseOr();
        this.expect(')');
        return v;
      }
      if (t.text === '[') {
        const items: Value[] = [];
        if (this.peek()?.text === ']') {
          this.i++;
          return items;
        }
        for (;;) {
          items.push(this.parseOr());
          if (this.peek()?.text === ']') {
            this.i++;
            return items;
          }
          this.expect(',');
        }
      }
      throw problem(this.text, t.at, `has '${t.text}' where a value should be`);
    }
    switch (t.text) {
      case 'true':
      case 'True':
        return true;
      case 'false':
      case 'False':
        return false;
      case 'null':
      case 'None':
        return null;
    }
    let cur: unknown = this.context;
    for (const part of t.text.split('.')) {
      if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) {
        throw problem(this.text, t.at, `names '${t.text}', which is not defined`, "quote text ('prod'), or name a global, prop, export or -e variable");
      }
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  }

  private expect(op: string): void {
    const t = this.tokens[this.i++];
    if (!t || t.text !== op) throw problem(this.text, t?.at ?? -1, `is missing '${op}'`);
  }
}

function comparable(v: Value): string | number | boolean | null {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  if (v === undefined) return null;
  return JSON.stringify(v);
}

function compare(op: string, a: Value, b: Value, text: string, at: number): boolean {
  let x = comparable(a);
  let y = comparable(b);
  // '3' == 3, as values from templates are text.
  if (typeof x === 'number' && typeof y === 'string' && y.trim() !== '' && !Number.isNaN(Number(y))) y = Number(y);
  if (typeof y === 'number' && typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) x = Number(x);
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
  }
  if (x === null || y === null || typeof x !== typeof y) throw problem(text, at, `orders values of different kinds (${typeof x} and ${typeof y}) with ${op}`);
  const [l, r] = [x as string | number, y as string | number];
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

function contains(container: Value, item: Value): boolean {
  if (Array.isArray(container)) return container.some((x) => comparable(x) === comparable(item));
  if (typeof container === 'string') return typeof item === 'string' && container.includes(item);
  if (container !== null && typeof container === 'object') return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  return false;
}
