/**
 * StackQL's EXEC statement, which PostgreSQL's grammar does not have:
 *
 *   [EXPLAIN [(FORMAT TEXT|JSON)]] EXEC [/*+ SHOWRESULTS *\/] provider.service.resource.method
 *       [@name = value [, @name = value]…] [@@json = '{"name": value, …}'] [;]
 *
 * Values are constants: 'strings' (a JSON value for a jsonb parameter, `''` for a quote, optionally
 * cast `::jsonb`), numbers, true, false, NULL. Keywords are case-insensitive; names may be
 * "quoted". Errors point at the offending place (an offset in the statement).
 */
import { CcqlError } from '../errors.js';
import { readHints } from './hints.js';
import type { ExecNode, ExplainNode, Literal, WrittenName } from './ir.js';
import { StatementLexer, type Token } from './statement-lexer.js';

/** True when `text` is an EXEC statement, or EXPLAIN of one (then it is parsed here, not by PostgreSQL). */
export function isExecStatement(text: string): boolean {
  const lexer = new StatementLexer(text, (offset, message, hint) => syntax(text, offset, message, hint), true);
  try {
    const first = lexer.next();
    if (first.kind !== 'word') return false;
    const w = first.value.toUpperCase();
    if (w === 'EXEC') return true;
    if (w !== 'EXPLAIN') return false;
    let t = lexer.next();
    if (t.kind === 'punct' && t.value === '(') {
      while (t.kind !== 'end' && !(t.kind === 'punct' && t.value === ')')) t = lexer.next();
      t = lexer.next();
    }
    while (t.kind === 'word' && /^(ANALYZE|ANALYSE|VERBOSE)$/i.test(t.value)) t = lexer.next();
    return t.kind === 'word' && t.value.toUpperCase() === 'EXEC';
  } catch {
    return false;
  }
}

export function parseExecStatement(text: string): ExecNode | ExplainNode {
  const p = new Parser(text);
  return p.statement();
}

class Parser {
  private readonly lexer: StatementLexer;
  private tok: Token;

  constructor(private readonly text: string) {
    this.lexer = new StatementLexer(text, (offset, message, hint) => syntax(text, offset, message, hint), true);
    this.tok = this.lexer.next();
  }

  statement(): ExecNode | ExplainNode {
    if (this.isWord('EXPLAIN')) {
      this.advance();
      let format: 'text' | 'json' = 'text';
      if (this.isPunct('(')) {
        this.advance();
        while (!this.isPunct(')')) {
          if (this.current().kind === 'end') this.fail("expected ')' to close EXPLAIN's options");
          const option = this.current();
          this.advance();
          if (option.kind === 'word' && option.value.toUpperCase() === 'FORMAT') {
            const value = this.current().kind === 'word' ? this.current().value.toUpperCase() : '';
            if (value !== 'TEXT' && value !== 'JSON') this.fail(`EXPLAIN (FORMAT ${value || '…'}) is not supported`, 'use FORMAT TEXT or FORMAT JSON');
            format = value === 'JSON' ? 'json' : 'text';
            this.advance();
          } else if (option.kind === 'word' && option.value.toUpperCase() === 'ANALYZE') {
            throw syntax(this.text, option.offset, 'EXPLAIN ANALYZE is not supported for EXEC: EXPLAIN shows the call without making it', 'drop ANALYZE; run the EXEC itself to make the call');
          } else if (!(option.kind === 'punct' && option.value === ',')) {
            throw syntax(this.text, option.offset, `unknown EXPLAIN option ${describe(option)}`, 'the option EXPLAIN takes for EXEC is FORMAT TEXT or FORMAT JSON');
          }
        }
        this.advance();
      }
      while (this.current().kind === 'word' && /^(ANALYZE|ANALYSE|VERBOSE)$/i.test(this.current().value)) {
        if (!/^VERBOSE$/i.test(this.current().value)) {
          this.fail('EXPLAIN ANALYZE is not supported for EXEC: EXPLAIN shows the call without making it', 'drop ANALYZE; run the EXEC itself to make the call');
        }
        this.advance();
      }
      const exec = this.exec();
      return { kind: 'explain', text: this.text, format, statement: exec };
    }
    return this.exec();
  }

  private exec(): ExecNode {
    if (!this.isWord('EXEC')) this.fail(`expected EXEC but found ${describe(this.current())}`);
    this.advance();
    const start = this.current().offset;
    const parts: Token[] = [];
    for (;;) {
      if (this.current().kind !== 'word' && this.current().kind !== 'ident') this.fail(`expected ${parts.length === 0 ? 'a method name such as aws.appstream.fleets.start_fleet' : 'a name after the dot'} but found ${describe(this.current())}`);
      parts.push(this.tok);
      this.advance();
      if (!this.isPunct('.')) break;
      this.advance();
    }
    const last = parts[parts.length - 1]!;
    const end = last.offset + (last.kind === 'ident' ? last.value.length + 2 : last.value.length);
    if (parts.length !== 4) {
      throw syntax(this.text, start, `'${parts.map((p) => p.value).join('.')}' is not a method name: expected provider.service.resource.method`, 'e.g. EXEC aws.appstream.fleets.start_fleet @Name = \'f1\', @region = \'us-east-1\'; SHOW METHODS IN aws.appstream.fleets lists the methods');
    }
    const params: Array<{ name: WrittenName; value: ExecNode['params'][number]['value'] }> = [];
    let json: ExecNode['json'];
    while (this.current().kind !== 'end' && !this.isPunct(';')) {
      if (params.length > 0 || json) {
        if (this.isPunct(',')) this.advance();
      }
      const t = this.current();
      if (t.kind === 'json') {
        this.advance();
        this.expectPunct('=');
        if (this.current().kind !== 'string') this.fail(`@@json takes a quoted JSON object, not ${describe(this.current())}`, `write @@json = '{"Name": "f1"}'`);
        json = { text: this.current().value, offset: this.current().offset };
        this.advance();
        continue;
      }
      if (t.kind !== 'param') this.fail(`expected a parameter (@name = value) but found ${describe(t)}`, "write @name = 'value', separated by commas");
      this.advance();
      this.expectPunct('=');
      params.push({ name: { name: t.value, offset: t.offset }, value: this.value() });
    }
    if (this.isPunct(';')) this.advance();
    if (this.current().kind !== 'end') this.fail(`unexpected ${describe(this.current())} after the statement`);
    const hints = readHints(this.lexer.comments.map((text) => ({ tokenName: 'C_COMMENT', text })));
    const [provider, service, resource, method] = parts as [Token, Token, Token, Token];
    return {
      kind: 'exec',
      text: this.text,
      parts: [provider.value, service.value, resource.value],
      method: { name: method.value, offset: method.offset },
      span: { start, end },
      params,
      json,
      hints,
    };
  }

  private value(): ExecNode['params'][number]['value'] {
    const t = this.tok;
    let literal: Literal;
    if (t.kind === 'string') literal = { kind: 'string', value: t.value };
    else if (t.kind === 'number') literal = { kind: 'number', value: t.value };
    else if (t.kind === 'word' && /^(true|false)$/i.test(t.value)) literal = { kind: 'boolean', value: t.value.toLowerCase() === 'true' };
    else if (t.kind === 'word' && /^null$/i.test(t.value)) literal = { kind: 'null' };
    else this.fail(`expected a value (a 'string', a number, true, false or NULL) but found ${describe(t)}`);
    this.advance();
    let cast: string | undefined;
    if (this.isPunct('::')) {
      this.advance();
      if (this.tok.kind !== 'word') this.fail(`expected a type after :: but found ${describe(this.tok)}`);
      cast = this.tok.value.toLowerCase();
      this.advance();
    }
    return { kind: 'literal', literal, cast, offset: t.offset };
  }

  private advance(): void {
    this.tok = this.lexer.next();
  }

  /** The current token (a call, so that checks before an advance() do not narrow it after). */
  private current(): Token {
    return this.tok;
  }

  private isWord(word: string): boolean {
    return this.tok.kind === 'word' && this.tok.value.toUpperCase() === word;
  }

  private isPunct(c: string): boolean {
    return this.tok.kind === 'punct' && this.tok.value === c;
  }

  private expectPunct(c: string): void {
    if (!this.isPunct(c)) this.fail(`expected '${c}' but found ${describe(this.tok)}`, "write @name = 'value'");
    this.advance();
  }

  private fail(message: string, hint = "write EXEC provider.service.resource.method @name = 'value', …"): never {
    throw syntax(this.text, this.tok.offset, message, hint);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the statement';
    case 'string':
      return 'a string literal';
    case 'ident':
      return `"${t.value}"`;
    case 'param':
      return `@${t.value}`;
    case 'json':
      return '@@json';
    default:
      return `'${t.value}'`;
  }
}

function syntax(text: string, offset: number, message: string, hint: string): CcqlError {
  return new CcqlError('syntax', `syntax error: ${message}`, { location: { offset: Math.min(offset, text.length) }, hint });
}
