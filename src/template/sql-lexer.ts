/**
 * Where literals, quoted identifiers and comments begin and end in SQL text, as PostgreSQL's own
 * lexer (src/backend/parser/scan.l, PostgreSQL 16 and later) reads them: the one place that
 * decides the lexical context a template placeholder stands in, so that its value can be escaped
 * for exactly that context (sql-placement.ts).
 *
 * A placeholder is a MARK character (U+0000, which SQL text cannot hold) in the text. Inside a
 * literal or comment it is part of that token's content; anywhere else it is a token of its own.
 *
 * ccql's other lexers cannot decide this: split.ts only finds statement ends, statement-lexer.ts
 * knows neither E'…' nor $$…$$, and libpg-query's scanner loads asynchronously and has no notion of
 * a placeholder. The same lexer reads the final SQL again, to check that no value changed a token
 * boundary.
 */

/** Stands for a placeholder in the text given to lexSql. */
export const MARK = '\u0000';
const MARK_CODE = 0;

export type SqlTokenKind =
  | 'string' // '…'
  | 'escape-string' // E'…'
  | 'unicode-string' // U&'…'
  | 'bit-string' // B'…'
  | 'hex-string' // X'…'
  | 'dollar-string' // $tag$…$tag$
  | 'ident' // "…"
  | 'unicode-ident' // U&"…"
  | 'line-comment' // -- …
  | 'block-comment' // /* … */
  | 'hint-comment' // /*+ … */ (ccql reads hints from these: NOWAIT, SHOWRESULTS)
  | 'word'
  | 'number'
  | 'junk' // a number with letters glued to it (`1abc`): an error in PostgreSQL 16 and later
  | 'param' // $1
  | 'op'
  | 'punct'
  | 'mark'; // a placeholder outside any literal or comment

export interface SqlToken {
  kind: SqlTokenKind;
  start: number;
  /** Exclusive; the text's length when the literal or comment is not closed. */
  end: number;
  /** dollar-string: its delimiter, `$tag$` (`$$` for an empty tag). */
  tag?: string;
  /**
   * unicode-string and unicode-ident: the escape character (UESCAPE's, else a backslash), or
   * undefined when a UESCAPE clause follows that does not name one plain character.
   */
  escapeChar?: string | undefined;
  /**
   * A '…' string written right after a number or word that ends in E, which some readers of SQL
   * take for an E'…' string (`1E'…'`: PostgreSQL before 16; `x$E'…'`: ccql's statement splitter).
   */
  glued?: boolean;
}

export interface MarkSite {
  /** The mark's offset in the text. */
  offset: number;
  /** The token it stands in: a literal, identifier or comment, or its own `mark` token. */
  token: SqlToken;
  /** Index of `token` in `tokens` (-1 for the comment inside a string's continuation, which is no token). */
  tokenIndex: number;
  /** The mark follows an escape sequence its value could extend (`E'\{{x}}'`, `U&'\00{{x}}'`). */
  inEscape: boolean;
  /** block-comment: a comment was nested in it before the mark, so other readers may have ended it. */
  afterNesting: boolean;
  /** The mark is in the literal of a UESCAPE clause, which decides how a U&'…' before it reads. */
  inUescape: boolean;
}

export interface LexedSql {
  /** Every token but whitespace, in order. */
  tokens: SqlToken[];
  /** Every mark, in order. */
  marks: MarkSite[];
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
// PostgreSQL's identifier characters are bytes; every byte of a non-ASCII UTF-8 character counts.
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
const isIdentCont = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isOctal = (c: number): boolean => c >= 48 && c <= 55;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const OP_CHARS = '~!@#^&|`?+-*/%<>=';
const isOpChar = (c: number): boolean => c < 128 && OP_CHARS.includes(String.fromCharCode(c));

/** E'…' escapes with digits after their letter, and how many digits at most: \x41, \u0041, \U00000041. */
const ESCAPE_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const NUMBER = /0[xX](?:_?[0-9A-Fa-f])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?!\.)(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[Ee][-+]?\d(?:_?\d)*)?/y;
const DOLLAR_DELIMITER = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
const PARAM = /\$\d(?:_?\d)*/y;
const UESCAPE = /uescape/iy;

/** Lexes `text` (marks included). Never throws: what PostgreSQL would reject is still given a token. */
export function lexSql(text: string): LexedSql {
  return new Lexer(text).run();
}

class Lexer {
  private readonly tokens: SqlToken[] = [];
  private readonly marks: MarkSite[] = [];
  /** Offsets of marks that follow an unfinished escape (set while an E'…' string is read). */
  private readonly inEscape = new Set<number>();
  /** Where the literal of a UESCAPE clause starts, found while the U&'…' before it is read. */
  private readonly uescapeLiterals = new Set<number>();
  private readonly n: number;

  constructor(private readonly s: string) {
    this.n = s.length;
  }

  run(): LexedSql {
    const s = this.s;
    let i = 0;
    while (i < this.n) {
      const c = s.charCodeAt(i);
      const next = s.charCodeAt(i + 1);
      if (isSpace(c)) i++;
      else if (c === MARK_CODE) i = this.push({ kind: 'mark', start: i, end: i + 1 });
      else if (c === 45 /* - */ && next === 45) i = this.lineComment(i);
      else if (c === 47 /* / */ && next === 42 /* * */) i = this.blockComment(i);
      else if (c === 39 /* ' */) i = this.quoted(i, i, 'string');
      else if (c === 34 /* " */) i = this.quotedIdent(i, i, 'ident');
      else if (isIdentStart(c)) i = this.wordOrPrefixed(i);
      else if (isDigit(c) || (c === 46 /* . */ && isDigit(next))) i = this.number(i);
      else if (c === 36 /* $ */) i = this.dollar(i);
      else if (isOpChar(c)) i = this.operator(i);
      else if (c === 58 /* : */ && (next === 58 || next === 61)) i = this.push({ kind: 'punct', start: i, end: i + 2 });
      else if (c === 46 && next === 46) i = this.push({ kind: 'punct', start: i, end: i + 2 });
      else i = this.push({ kind: 'punct', start: i, end: i + 1 });
    }
    return { tokens: this.tokens, marks: this.marks };
  }

  private push(t: SqlToken): number {
    this.tokens.push(t);
    if (t.kind === 'mark') this.marks.push(this.site(t.start, t, this.tokens.length - 1));
    return t.end;
  }

  private site(offset: number, token: SqlToken, tokenIndex: number, afterNesting = false): MarkSite {
    return { offset, token, tokenIndex, inEscape: false, afterNesting, inUescape: false };
  }

  /** Records the marks in [from, to) as standing in `token` (pushed next, at index tokens.length). */
  private marksIn(from: number, to: number, token: SqlToken, tokenIndex = this.tokens.length): void {
    for (let j = this.s.indexOf(MARK, from); j !== -1 && j < to; j = this.s.indexOf(MARK, j + 1)) {
      const site = this.site(j, token, tokenIndex);
      site.inEscape = this.inEscape.has(j);
      site.inUescape = token.kind === 'string' && this.uescapeLiterals.has(token.start);
      this.marks.push(site);
    }
  }

  /** Where a `--` comment starting at `i` ends: before the next line break, \r included. */
  private lineCommentEnd(i: number): number {
    let j = i + 2;
    while (j < this.n && this.s[j] !== '\n' && this.s[j] !== '\r') j++;
    return j;
  }

  private lineComment(i: number): number {
    const token: SqlToken = { kind: 'line-comment', start: i, end: this.lineCommentEnd(i) };
    this.marksIn(i, token.end, token);
    return this.push(token);
  }

  /** Block comments nest, as in PostgreSQL (not in ccql's statement lexer: see MarkSite.afterNesting). */
  private blockComment(i: number): number {
    const s = this.s;
    const token: SqlToken = { kind: s[i + 2] === '+' ? 'hint-comment' : 'block-comment', start: i, end: this.n };
    const index = this.tokens.length;
    let depth = 1;
    let nested = false;
    let j = i + 2;
    while (j < this.n) {
      const c = s.charCodeAt(j);
      if (c === 47 && s.charCodeAt(j + 1) === 42) {
        depth++;
        nested = true;
        j += 2;
      } else if (c === 42 && s.charCodeAt(j + 1) === 47) {
        j += 2;
        if (--depth === 0) break;
      } else {
        if (c === MARK_CODE) this.marks.push(this.site(j, token, index, nested));
        j++;
      }
    }
    token.end = depth === 0 ? j : this.n;
    return this.push(token);
  }

  private wordOrPrefixed(i: number): number {
    const s = this.s;
    const c = s[i]!;
    const q = s[i + 1];
    if (q === "'") {
      if (c === 'e' || c === 'E') return this.quoted(i, i + 1, 'escape-string');
      if (c === 'b' || c === 'B') return this.quoted(i, i + 1, 'bit-string');
      if (c === 'x' || c === 'X') return this.quoted(i, i + 1, 'hex-string');
      // N'…' is the word N and a '…' string, as PostgreSQL lexes it.
    }
    if ((c === 'u' || c === 'U') && q === '&') {
      if (s[i + 2] === "'") return this.quoted(i, i + 2, 'unicode-string');
      if (s[i + 2] === '"') return this.quotedIdent(i, i + 2, 'unicode-ident');
    }
    let j = i + 1;
    while (j < this.n && isIdentCont(s.charCodeAt(j))) j++;
    return this.push({ kind: 'word', start: i, end: j });
  }

  private number(i: number): number {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(this.s);
    // NUMBER matches at a digit, and at a dot before one.
    const j = i + (m?.[0].length ?? 1);
    return this.push(this.withJunk(i, j, 'number'));
  }

  /** A number or parameter with identifier characters glued to it is one `junk` token, as in PostgreSQL 16. */
  private withJunk(start: number, end: number, kind: 'number' | 'param'): SqlToken {
    if (end >= this.n || !isIdentStart(this.s.charCodeAt(end))) return { kind, start, end };
    let j = end + 1;
    while (j < this.n && isIdentCont(this.s.charCodeAt(j))) j++;
    return { kind: 'junk', start, end: j };
  }

  private dollar(i: number): number {
    const s = this.s;
    PARAM.lastIndex = i;
    const param = PARAM.exec(s);
    if (param) return this.push(this.withJunk(i, i + param[0].length, 'param'));
    DOLLAR_DELIMITER.lastIndex = i;
    const delim = DOLLAR_DELIMITER.exec(s);
    if (!delim) return this.push({ kind: 'punct', start: i, end: i + 1 });
    const tag = delim[0];
    const close = s.indexOf(tag, i + tag.length);
    const token: SqlToken = { kind: 'dollar-string', start: i, end: close === -1 ? this.n : close + tag.length, tag };
    this.marksIn(i + tag.length, close === -1 ? this.n : close, token);
    return this.push(token);
  }

  /**
   * An operator, cut before a `--` or `/*` in it; trailing + and - are left for the next token
   * unless the operator holds one of ~ ! @ # ^ & | ` ? % (scan.l's rule, so that `x*-1` is `*`, `-1`).
   */
  private operator(i: number): number {
    const s = this.s;
    let j = i;
    while (j < this.n && isOpChar(s.charCodeAt(j))) j++;
    let run = s.slice(i, j);
    const cut = [run.indexOf('/*'), run.indexOf('--')].filter((k) => k > 0);
    if (cut.length > 0) run = run.slice(0, Math.min(...cut));
    let len = run.length;
    if (len > 1 && /[+-]$/.test(run) && !/[~!@#^&|`?%]/.test(run.slice(0, -1))) {
      do len--;
      while (len > 1 && (run[len - 1] === '+' || run[len - 1] === '-'));
    }
    return this.push({ kind: 'op', start: i, end: i + len });
  }

  private quotedIdent(start: number, quote: number, kind: 'ident' | 'unicode-ident'): number {
    const s = this.s;
    const token: SqlToken = { kind, start, end: this.n };
    const content = kind === 'unicode-ident' ? new Content('"') : undefined;
    let j = quote + 1;
    for (;;) {
      const close = s.indexOf('"', j);
      const to = close === -1 ? this.n : close;
      this.contentOf(j, to, token, content);
      if (close === -1) break;
      if (s[close + 1] === '"') {
        content?.add(s, close, close + 2);
        j = close + 2;
        continue;
      }
      token.end = close + 1;
      break;
    }
    if (content) this.unicodeEscapes(token, content);
    return this.push(token);
  }

  /** Records the marks in [from, to) of a literal's content; for a U& literal also adds the text to `content`. */
  private contentOf(from: number, to: number, token: SqlToken, content: Content | undefined): void {
    const before = this.marks.length;
    this.marksIn(from, to, token);
    content?.add(this.s, from, to, this.marks.slice(before));
  }

  /**
   * A '…' literal of any kind, from `start` (its prefix) with its quote at `quote`, through the
   * parts that continue it: `'a'` newline `'b'` is the one string 'ab', and keeps its kind (an
   * E'…' continued is still an E'…' string).
   */
  private quoted(start: number, quote: number, kind: SqlTokenKind): number {
    const token: SqlToken = { kind, start, end: this.n };
    const prev = this.tokens[this.tokens.length - 1];
    if (kind === 'string' && start === quote && prev?.end === start && this.readAsEscapeElsewhere(prev)) token.glued = true;
    const content = kind === 'unicode-string' ? new Content("'") : undefined;
    let j = quote + 1;
    for (;;) {
      const close = kind === 'escape-string' ? this.escapeStringEnd(j) : this.plainStringEnd(j, kind === 'bit-string' || kind === 'hex-string');
      const to = close === -1 ? this.n : close;
      this.contentOf(j, to, token, content);
      if (close === -1) break;
      const continued = this.continuation(close + 1);
      if (continued === -1) {
        token.end = close + 1;
        break;
      }
      j = continued + 1;
    }
    if (content) this.unicodeEscapes(token, content);
    return this.push(token);
  }

  /**
   * A '…' right after `prev` that ends in E, which other readers take for E'…': after a number
   * (`1E'…'`: PostgreSQL before 16), or after a word whose E follows `$` or a non-ASCII letter
   * (`x$E'…'`: ccql's statement splitter). `date'…'` is a plain string for every reader.
   */
  private readAsEscapeElsewhere(prev: SqlToken): boolean {
    const e = this.s[prev.end - 1];
    if (e !== 'e' && e !== 'E') return false;
    if (prev.kind === 'junk') return true;
    return prev.kind === 'word' && !/[A-Za-z0-9_]/.test(this.s[prev.end - 2] ?? '');
  }

  /** The closing quote of a '…' part from `j` (`''` is a quote, except in B'…' and X'…'), or -1. */
  private plainStringEnd(j: number, noDoubling: boolean): number {
    for (;;) {
      const q = this.s.indexOf("'", j);
      if (q === -1 || noDoubling || this.s[q + 1] !== "'") return q;
      j = q + 2;
    }
  }

  /** The closing quote of an E'…' part from `j`, or -1; notes the marks that an escape before them could swallow. */
  private escapeStringEnd(j: number): number {
    const s = this.s;
    while (j < this.n) {
      const c = s[j]!;
      if (c === "'") {
        if (s[j + 1] !== "'") return j;
        j += 2;
      } else if (c === '\\') j = this.escapeSequence(j);
      else j++;
    }
    return -1;
  }

  /** Past the escape at `j` (a backslash); a mark where the escape could still grow is noted. */
  private escapeSequence(j: number): number {
    const s = this.s;
    const c = s[j + 1];
    if (c === undefined) return j + 1;
    const octal = c >= '0' && c <= '7';
    const max = octal ? 3 : ESCAPE_DIGITS[c];
    if (max === undefined) {
      if (c === MARK) this.inEscape.add(j + 1);
      return j + 2;
    }
    const digit = octal ? isOctal : isHex;
    const from = octal ? j + 1 : j + 2;
    let k = from;
    while (k < this.n && k - from < max && digit(s.charCodeAt(k))) k++;
    if (k - from < max && s[k] === MARK) this.inEscape.add(k);
    return k;
  }

  /**
   * Where the literal continues after the quote that closed a part (`end`): spaces, tabs and
   * `--` comments, at least one line break, then a quote (whose offset is returned), else -1.
   * The server (PostgreSQL 18, PGlite) continues across a `--` comment; libpg-query's scanner
   * does not, and reads the next part as a '…' string. Escaping for the first part's kind is safe
   * under both readings (in E'…', U&'…' quotes stay paired; B'…' and X'…' hold digits only), and
   * libpg-query rejects two string constants in a row anyway.
   */
  private continuation(end: number): number {
    const s = this.s;
    let j = end;
    let newline = false;
    const comments: Array<[number, number]> = [];
    while (j < this.n) {
      const c = s[j]!;
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v') j++;
      else if (c === '\n' || c === '\r') {
        newline = true;
        j++;
      } else if (c === '-' && s[j + 1] === '-') {
        const stop = this.lineCommentEnd(j);
        if (stop >= this.n) return -1;
        comments.push([j, stop]);
        j = stop;
      } else break;
    }
    if (!newline || s[j] !== "'") return -1;
    // A comment inside the literal's continuation is no token; a mark in it is still in a comment.
    for (const [from, to] of comments) this.marksIn(from, to, { kind: 'line-comment', start: from, end: to }, -1);
    return j;
  }

  /**
   * U&'…' and U&"…": finds the escape character (a UESCAPE clause may follow), and which marks in
   * the content follow an escape their value could complete (`U&'\00{{x}}'`). Escapes are read
   * after the parts are joined, so one may span them.
   */
  private unicodeEscapes(token: SqlToken, content: Content): void {
    token.escapeChar = this.uescape(token.end);
    const esc = token.escapeChar;
    if (esc === undefined || content.marks.size === 0) return;
    const text = content.text;
    let k = 0;
    while (k < text.length) {
      if (text[k] !== esc) {
        k++;
        continue;
      }
      if (text[k + 1] === esc) {
        k += 2;
        continue;
      }
      // \XXXX or \+XXXXXX: a mark before all the digits are there would give them.
      const plus = text[k + 1] === '+';
      const want = plus ? 6 : 4;
      const from = k + (plus ? 2 : 1);
      let d = from;
      while (d < text.length && d - from < want && isHex(text.charCodeAt(d))) d++;
      const pending = d - from < want ? content.marks.get(d) : undefined;
      if (pending) pending.inEscape = true;
      k = d;
    }
  }

  /**
   * The escape character named by a UESCAPE clause after `end`, a backslash without one, and
   * undefined when the clause's literal is not one character PostgreSQL accepts there.
   */
  private uescape(end: number): string | undefined {
    const s = this.s;
    let j = this.skipSpace(end);
    UESCAPE.lastIndex = j;
    if (!UESCAPE.test(s) || isIdentCont(s.charCodeAt(j + 7))) return '\\';
    j = this.skipSpace(j + 7);
    if (s[j] !== "'") return undefined;
    this.uescapeLiterals.add(j);
    const close = this.plainStringEnd(j + 1, false);
    if (close === -1) return undefined;
    const c = s.slice(j + 1, close).replace(/''/g, "'");
    const valid = c.length === 1 && c.charCodeAt(0) < 128 && !isHex(c.charCodeAt(0)) && !isSpace(c.charCodeAt(0)) && !`+'"${MARK}`.includes(c);
    return valid ? c : undefined;
  }

  /** Past whitespace and comments from `j` (to look ahead for UESCAPE; the comments are lexed later). */
  private skipSpace(j: number): number {
    const s = this.s;
    for (;;) {
      while (j < this.n && isSpace(s.charCodeAt(j))) j++;
      if (s.startsWith('--', j)) j = this.lineCommentEnd(j);
      else if (s.startsWith('/*', j)) {
        let depth = 1;
        j += 2;
        while (j < this.n && depth > 0) {
          if (s.startsWith('/*', j)) {
            depth++;
            j += 2;
          } else if (s.startsWith('*/', j)) {
            depth--;
            j += 2;
          } else j++;
        }
      } else return j;
    }
  }
}

/**
 * The content of a U& literal as its escapes are read: the parts joined, a doubled quote as one,
 * and where each mark is in it.
 */
class Content {
  text = '';
  readonly marks = new Map<number, MarkSite>();

  constructor(private readonly quote: string) {}

  add(s: string, from: number, to: number, sites: readonly MarkSite[] = []): void {
    const at = new Map(sites.map((m) => [m.offset, m]));
    for (let j = from; j < to; j++) {
      const site = at.get(j);
      if (site) this.marks.set(this.text.length, site);
      this.text += s[j];
      if (s[j] === this.quote && s[j + 1] === this.quote) j++;
    }
  }
}
