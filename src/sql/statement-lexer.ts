/**
 * Tokens of the statements ccql parses itself, which PostgreSQL's grammar does not have: catalog
 * statements (SHOW, DESCRIBE, …: catalog-statement.ts) and StackQL's EXEC (exec-statement.ts).
 * Words, "quoted identifiers", 'strings' (`''` for a quote), punctuation; with `exec`, also
 * numbers, `::`, `@name` and `@@json`. Comments are skipped and kept, for hints (`/*+ … *\/`).
 */
import { lineCommentEnd } from './split.js';

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'json' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** Words and identifiers as written (quotes removed), strings unquoted, `@name` without `@`. */
  value: string;
  offset: number;
}

/** Makes the error for a lexing problem at `offset` (each parser places its errors its own way). */
export type LexError = (offset: number, message: string, hint: string) => Error;

export class StatementLexer {
  private pos = 0;
  /** Block comments met so far, hint comments among them (`/*+ SHOWRESULTS *\/`). */
  readonly comments: string[] = [];

  constructor(
    private readonly text: string,
    private readonly error: LexError,
    private readonly exec = false,
  ) {}

  next(): Token {
    this.skip();
    const s = this.text;
    const start = this.pos;
    if (start >= s.length) return { kind: 'end', value: '', offset: start };
    const c = s[start]!;
    const rest = s.slice(start);
    if (this.exec && c === '@') {
      const m = /^@(@?)([A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*")/.exec(rest);
      if (!m) throw this.error(start, "expected a parameter name after '@'", "write @name = 'value'");
      this.pos += m[0].length;
      const name = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
      if (m[1] === '@') {
        if (name.toLowerCase() !== 'json') throw this.error(start, `unknown @@${name}`, "the only @@ parameter is @@json = '{…}'");
        return { kind: 'json', value: name, offset: start };
      }
      return { kind: 'param', value: name, offset: start };
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest)!;
      this.pos += m[0].length;
      return { kind: 'word', value: m[0], offset: start };
    }
    if (this.exec && (/[0-9]/.test(c) || ((c === '-' || c === '+' || c === '.') && /^[-+]?\.?[0-9]/.test(rest)))) {
      const m = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(rest)!;
      this.pos += m[0].length;
      return { kind: 'number', value: m[0], offset: start };
    }
    if (c === '"' || c === "'") {
      let i = start + 1;
      let value = '';
      for (;;) {
        if (i >= s.length) throw this.error(start, c === '"' ? 'unterminated quoted identifier' : 'unterminated string literal', `close it with ${c}`);
        const d = s[i]!;
        if (d === c) {
          if (s[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          break;
        }
        value += d;
        i++;
      }
      this.pos = i + 1;
      return { kind: c === '"' ? 'ident' : 'string', value, offset: start };
    }
    if (this.exec && rest.startsWith('::')) {
      this.pos += 2;
      return { kind: 'punct', value: '::', offset: start };
    }
    this.pos++;
    return { kind: 'punct', value: c, offset: start };
  }

  private skip(): void {
    const s = this.text;
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
      if (s.startsWith('--', this.pos)) {
        this.pos = lineCommentEnd(s, this.pos);
      } else if (s.startsWith('/*', this.pos)) {
        const end = s.indexOf('*/', this.pos + 2);
        const stop = end === -1 ? s.length : end + 2;
        this.comments.push(s.slice(this.pos, stop));
        this.pos = stop;
      } else return;
    }
  }
}
