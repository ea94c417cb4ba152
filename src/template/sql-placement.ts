/**
 * Puts the values of `{{…}}` placeholders into rendered SQL, each escaped for the lexical context
 * it lands in (found by sql-lexer.ts), so that no value can change the statement:
 *
 *   '…', N'…'      quotes doubled. A backslash is plain text there while standard_conforming_strings
 *                  is on (PostgreSQL's default, and always so in the embedded engine and under
 *                  `ccql serve`): a value with a backslash is refused in a script that mentions
 *                  the setting, where it may be off.
 *   E'…'           quotes and backslashes doubled
 *   U&'…', U&"…"   quotes and the escape character (a backslash, or UESCAPE's) doubled
 *   $tag$…$tag$    as it is; a value that would hold or form the closing $tag$ is refused (a new
 *                  tag would be a silent rewrite of the author's SQL, and of a function body
 *                  whose inner quoting may use tags of its own)
 *   "…"            double quotes doubled
 *   B'…', X'…'     binary or hex digits only (a quote cannot be doubled there)
 *   comments       as it is, but never a line break in `--`, `*\/` or `/*` in `/* *\/`, nor
 *                  anything in a `/*+ … *\/` hint (ccql acts on hints)
 *   elsewhere      only a number, true, false or null, or a plain name right next to a dot
 *                  (`aws.{{service}}`): one token, which cannot add an operator, a clause or a
 *                  statement. SQL text goes in {{{x}}}.
 *
 * A value with a NUL character is refused everywhere: PostgreSQL's C code would end the statement
 * there. After placing, the SQL is lexed again and must have the template's own token boundaries,
 * a check that catches what the rules above did not foresee (a value ending in `$` before the
 * author's `tag$`, a number glued to the word before it).
 */
import { CcqlError, type ErrorLocation } from '../errors.js';
import { MARK, lexSql, type LexedSql, type MarkSite, type SqlToken } from './sql-lexer.js';

/** What a placeholder prints: a value, or SQL a helper built from values (sql_string, sql_list). */
export type SqlPiece = { kind: 'value'; text: string } | { kind: 'literal'; text: string } | { kind: 'list'; items: readonly string[] };

export interface Placeholder {
  piece: SqlPiece;
  /** The placeholder as written (`{{name}}`), for messages. */
  label: string;
  location: ErrorLocation;
}

// One token that cannot reach beyond itself.
const NUMBER_VALUE = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const CONSTANT_VALUE = /^(?:true|false|null)$/i;
const NAME_VALUE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCS = /standard_conforming_strings/i;

/**
 * Collects the placeholders of one render: each `{{…}}` prints a mark, which finish() replaces.
 * A mark is NUL, a random number and the placeholder's index: neither template text nor a raw
 * value can hold it by chance, and NUL is refused in SQL anyway.
 */
export class SqlMarks {
  private readonly nonce = String(Math.floor(Math.random() * 1e15));
  private readonly placeholders: Placeholder[] = [];

  mark(p: Placeholder): string {
    this.placeholders.push(p);
    return `${MARK}${this.nonce}:${this.placeholders.length - 1}${MARK}`;
  }

  /** The rendered text with every mark replaced by its value, escaped for where it stands. Throws CcqlError('template'). */
  finish(rendered: string): string {
    if (this.placeholders.length === 0) return rendered;
    const order: Placeholder[] = [];
    const pattern = new RegExp(`${MARK}${this.nonce}:(\\d+)${MARK}`, 'g');
    const text = rendered.replace(pattern, (_m, i: string) => {
      order.push(this.placeholders[Number(i)]!);
      return MARK;
    });
    if (order.length === 0) return rendered;
    const stray = text.split(MARK).length - 1 - order.length;
    if (stray > 0) {
      throw new CcqlError('template', 'the SQL holds a NUL character (U+0000), which PostgreSQL cannot take', {
        hint: 'remove it from the template or from the {{{…}}} value that brings it',
      });
    }
    return placeAll(text, order);
  }
}

/** `text` with each MARK replaced by the value of the placeholder in `order` at that position. */
export function placeAll(text: string, order: readonly Placeholder[]): string {
  const lexed = lexSql(text);
  if (lexed.marks.length !== order.length) throw new CcqlError('internal', `${lexed.marks.length} placeholders found in the SQL, ${order.length} rendered`);
  const parts = text.split(MARK);
  // The setting may be named by the template or by the values in it (set_config('standard_…{{x}}')).
  const scsUncertain = SCS.test(text) || SCS.test(parts.map((part, i) => part + (order[i] ? pieceTexts(order[i].piece).join(' ') : '')).join(''));
  const sql = lexed.marks.map((site, i) => place(site, order[i]!, text, lexed, scsUncertain));
  let out = parts[0]!;
  const spans: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < sql.length; i++) {
    spans.push({ start: out.length, end: out.length + sql[i]!.length });
    out += sql[i]! + parts[i + 1]!;
  }
  verify(lexed, out, spans, order);
  return out;
}

function refuse(p: Placeholder, message: string, hint: string): CcqlError {
  return new CcqlError('template', message, { location: p.location, hint });
}

function place(site: MarkSite, p: Placeholder, text: string, lexed: LexedSql, scsUncertain: boolean): string {
  for (const t of pieceTexts(p.piece)) {
    if (t.includes('\u0000')) throw refuse(p, `the value of ${p.label} holds a NUL character (U+0000), which PostgreSQL cannot take in SQL`, 'remove it from the value');
  }
  const kind = site.token.kind;
  if (kind === 'mark') return outside(site, p, text, lexed, scsUncertain);
  if (kind === 'line-comment' || kind === 'block-comment' || kind === 'hint-comment') return inComment(site, p, text);
  if (p.piece.kind !== 'value') {
    throw refuse(p, `${p.label} writes SQL of its own (${p.piece.kind === 'list' ? 'a list of literals' : 'a whole string literal'}), but it stands inside a quoted literal`, `write ${p.label} without the quotes around it`);
  }
  return inLiteral(site, p, p.piece.text, text, scsUncertain);
}

function pieceTexts(piece: SqlPiece): readonly string[] {
  return piece.kind === 'list' ? piece.items : [piece.text];
}

/** The SQL of a piece, as it would print outside a literal. */
function pieceSql(piece: SqlPiece): string {
  const literal = (v: string): string => `'${double(v, "'")}'`;
  if (piece.kind === 'literal') return literal(piece.text);
  if (piece.kind === 'list') return piece.items.length === 0 ? '(NULL)' : `(${piece.items.map(literal).join(',')})`;
  return piece.text;
}

function inLiteral(site: MarkSite, p: Placeholder, value: string, text: string, scsUncertain: boolean): string {
  const token = site.token;
  switch (token.kind) {
    case 'string':
      if (site.inUescape) {
        throw refuse(p, `${p.label} stands in the literal of a UESCAPE clause, which decides how the U&'…' before it reads`, "write the escape character itself: UESCAPE '!'");
      }
      if (token.glued) {
        throw refuse(p, `the string ${p.label} stands in is written right after a word or number ending in E (as in 1E'…'), which some readers of SQL take for an E'…' string`, "put a space before the quote, or write the string as E'…'");
      }
      if (scsUncertain && (value.includes('\\') || backslashesBefore(text, site) % 2 === 1)) {
        throw refuse(p, `${p.label} or its value has a backslash next to it, and the script mentions standard_conforming_strings: if that is off, a backslash in '…' escapes the quote after it`, `write E'${p.label}' (a backslash is escaped there whatever the setting), or leave standard_conforming_strings on`);
      }
      return double(value, "'");
    case 'escape-string':
      if (site.inEscape) throw escapeRefusal(p, "E'…'");
      return double(double(value, '\\'), "'");
    case 'unicode-string':
    case 'unicode-ident': {
      const esc = token.escapeChar;
      const what = token.kind === 'unicode-string' ? "U&'…'" : 'U&"…"';
      if (esc === undefined) {
        throw refuse(p, `${p.label} stands in a ${what} literal whose UESCAPE clause does not name one plain character`, "name the escape character in the SQL: UESCAPE '!' (or leave UESCAPE out for a backslash)");
      }
      if (site.inEscape) throw escapeRefusal(p, what);
      return double(double(value, esc), token.kind === 'unicode-string' ? "'" : '"');
    }
    case 'ident':
      return double(value, '"');
    case 'bit-string':
    case 'hex-string': {
      const bits = token.kind === 'bit-string';
      if (!(bits ? /^[01]*$/ : /^[0-9A-Fa-f]*$/).test(value)) {
        throw refuse(p, `the value of ${p.label} stands in a ${bits ? "B'…' bit string" : "X'…' hex string"} but holds characters other than ${bits ? '0 and 1' : 'hex digits'}`, `give ${bits ? 'binary' : 'hex'} digits only, or write a '…' string`);
      }
      return value;
    }
    case 'dollar-string': {
      const tag = token.tag!;
      if (window(text, site, value, tag.length - 1, token.start + tag.length).includes(tag)) {
        const other = freeTag(value);
        throw refuse(p, `the value of ${p.label} would end the ${tag}…${tag} string it stands in: it holds ${tag}, or forms it with the SQL next to it`, `write '${p.label}' instead (quotes are doubled there), or a tag the value does not hold: ${other}…${other}`);
      }
      return value;
    }
    default:
      throw new CcqlError('internal', `a placeholder in a ${token.kind} token`);
  }
}

/** How many backslashes the literal has right before the mark. */
function backslashesBefore(text: string, site: MarkSite): number {
  let k = site.offset;
  while (k > site.token.start && text[k - 1] === '\\') k--;
  return site.offset - k;
}

/** A dollar-quote tag that `value` does not hold. */
function freeTag(value: string): string {
  for (let i = 0; ; i++) {
    const tag = `$v${i === 0 ? '' : i}$`;
    if (!value.includes(tag)) return tag;
  }
}

/** `value` with each `c` written twice. */
function double(value: string, c: string): string {
  // split/join: several times faster than replaceAll on long values with many quotes.
  return value.includes(c) ? value.split(c).join(c + c) : value;
}

function escapeRefusal(p: Placeholder, what: string): CcqlError {
  return refuse(p, `${p.label} follows an unfinished escape sequence in its ${what} string, which would swallow the start of its value`, 'finish the escape before the placeholder (\\\\ for a backslash), or put the backslash in the value');
}

/**
 * The value with up to `reach` characters of the text on each side, from `floor` on (after the
 * token's opening delimiter, which its content cannot extend); other marks cut it short.
 */
function window(text: string, site: MarkSite, value: string, reach: number, floor: number): string {
  const offset = site.offset;
  let before = text.slice(Math.max(floor, offset - reach), offset);
  let after = text.slice(offset + 1, offset + 1 + reach);
  before = before.slice(before.lastIndexOf(MARK) + 1);
  if (after.includes(MARK)) after = after.slice(0, after.indexOf(MARK));
  return before + value + after;
}

function inComment(site: MarkSite, p: Placeholder, text: string): string {
  const value = pieceSql(p.piece);
  const kind = site.token.kind;
  if (kind === 'hint-comment') {
    throw refuse(p, `${p.label} stands in a /*+ … */ hint comment, where its value could add hints (NOWAIT, SHOWRESULTS)`, 'write the hints themselves, or move the placeholder to a comment of its own: /* {{…}} */');
  }
  if (kind === 'line-comment') {
    if (/[\r\n]/.test(value)) {
      throw refuse(p, `the value of ${p.label} holds a line break, which would end the -- comment it stands in`, 'put it in a /* … */ comment, or remove the line break from the value');
    }
    return value;
  }
  if (site.afterNesting) {
    throw refuse(p, `${p.label} stands in a /* … */ comment after a comment nested in it, where readers of SQL disagree on whether the comment has ended`, 'move the placeholder before the nested comment, or out of the comment');
  }
  const w = window(text, site, value, 1, site.token.start + 2);
  if (w.includes('*/') || w.includes('/*')) {
    throw refuse(p, `the value of ${p.label} would end the /* … */ comment it stands in, or open one inside it (it holds or forms */ or /*)`, 'put it in a -- comment, or remove */ and /* from the value');
  }
  if (text.startsWith('/*', site.offset - 2) && site.offset - 2 === site.token.start && value.startsWith('+')) {
    throw refuse(p, `the value of ${p.label} starts with +, which would make the comment it opens a /*+ … */ hint`, 'put a space between /* and the placeholder');
  }
  return value;
}

function outside(site: MarkSite, p: Placeholder, text: string, lexed: LexedSql, scsUncertain: boolean): string {
  const piece = p.piece;
  if (piece.kind !== 'value') {
    if (scsUncertain && pieceTexts(piece).some((t) => t.includes('\\'))) {
      throw refuse(p, `the value of ${p.label} holds a backslash, and the script mentions standard_conforming_strings: if that is off, a backslash in '…' escapes the quote after it`, "write the value in an E'…' string (a backslash is escaped there whatever the setting), or leave standard_conforming_strings on");
    }
    return pieceSql(piece);
  }
  const value = piece.text;
  if (NUMBER_VALUE.test(value) || CONSTANT_VALUE.test(value)) return value;
  if (NAME_VALUE.test(value) && nextToDot(site, text, lexed)) return value;
  const name = /^\{\{\s*([^\s}]+)/.exec(p.label)?.[1] ?? 'x';
  throw refuse(
    p,
    `${p.label} stands outside any quoted literal, where a value could change the statement: there it may only be a number, true, false or null (or a plain name after or before a dot, as in aws.{{service}})${value === '' ? '; its value is empty' : ''}`,
    `quote it for a string ('{{${name}}}'), or write {{{${name}}}} to insert SQL text as it is`,
  );
}

/** The mark is written right after a `.` or right before one (a part of a qualified name). */
function nextToDot(site: MarkSite, text: string, lexed: LexedSql): boolean {
  const isDot = (t: SqlToken | undefined): boolean => t?.kind === 'punct' && t.end - t.start === 1 && text[t.start] === '.';
  const before = lexed.tokens[site.tokenIndex - 1];
  const after = lexed.tokens[site.tokenIndex + 1];
  return (isDot(before) && before!.end === site.offset) || (isDot(after) && after!.start === site.offset + 1);
}

/**
 * The SQL with the values in must lex into the template's tokens, each where the template put
 * it, with a placeholder outside literals as exactly its own tokens.
 */
function verify(lexed: LexedSql, sql: string, spans: ReadonlyArray<{ start: number; end: number }>, order: readonly Placeholder[]): void {
  const after = lexSql(sql).tokens;
  const marks = lexed.marks;
  // An offset of the template text moves by the length of each value before it, less its mark.
  const moved = [0];
  for (let i = 0; i < spans.length; i++) moved.push(moved[i]! + spans[i]!.end - spans[i]!.start - 1);
  const shift = (offset: number): number => {
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset + moved[lo]!;
  };
  const fail = (at: SqlToken | undefined): never => {
    const p = blame(at, sql.length, spans, order);
    throw refuse(p, `the value of ${p.label} would change the SQL around it: with it in, the text next to it reads as other tokens`, 'put a space between the placeholder and the SQL next to it, or quote it as a string literal');
  };
  const markIndex = new Map(marks.map((m, i) => [m.offset, i]));
  let j = 0;
  for (const t of lexed.tokens) {
    if (t.kind === 'mark') {
      const span = spans[markIndex.get(t.start)!]!;
      const first = j;
      while (j < after.length && after[j]!.start < span.end) {
        const a = after[j]!;
        if (a.start < span.start || a.end > span.end || a.glued) fail(a);
        j++;
      }
      if (j === first || after[first]!.start !== span.start || after[j - 1]!.end !== span.end) fail(after[first]);
      continue;
    }
    const a = after[j];
    if (!a || a.kind !== t.kind || a.start !== shift(t.start) || a.end !== shift(t.end) || a.escapeChar !== t.escapeChar || a.glued !== t.glued) fail(a ?? t);
    j++;
  }
  if (j !== after.length) fail(after[j]);
}

/** The placeholder whose value overlaps `at`, else the last one before it. */
function blame(at: SqlToken | undefined, end: number, spans: ReadonlyArray<{ start: number; end: number }>, order: readonly Placeholder[]): Placeholder {
  const from = at?.start ?? end;
  const to = at?.end ?? end;
  let best = 0;
  for (let i = 0; i < spans.length; i++) {
    if (spans[i]!.start <= to && spans[i]!.end >= from) return order[i]!;
    if (spans[i]!.start <= from) best = i;
  }
  return order[best]!;
}
