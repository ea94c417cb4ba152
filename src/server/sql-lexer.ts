/**
 * A small PostgreSQL lexer for what the server itself must read in a statement's text: where
 * `$1` parameters are (to substitute bound values), where `aws_ivs.stages` two-level names are,
 * and which statement and functions it names (the policy). The SQL layer's parser is not used
 * here on purpose (DESIGN.md: nothing after sql/ reads parse trees or tokens): the server only
 * needs token boundaries, and a lexer that knows quotes, dollar quotes, comments and escapes
 * cannot be fooled into reading a string as code.
 */
import { lineCommentEnd } from '../sql/split.js';

export type TokenKind =
  /** An unquoted word: keyword or identifier; `value` is lower-cased. */
  | 'word'
  /** A "quoted identifier"; `value` is the name with quotes removed. */
  | 'qident'
  /** A string literal of any form ('…', E'…', U&'…', $tag$…$tag$, B'…', X'…'). */
  | 'string'
  /** `$1`: `value` is the number as written. */
  | 'param'
  | 'number'
  /** An operator or punctuation: `(`, `)`, `,`, `;`, `.`, `::`, `=`, `<>`, … */
  | 'op';

export interface SqlToken {
  kind: TokenKind;
  /** As the parser reads it: lower-cased word, unquoted identifier or string contents. */
  value: string;
  /** 0-based string offsets in the text. */
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

/**
 * The tokens of `text`, comments and whitespace left out. An unterminated quote or comment
 * ends the text (the engine reports it as the syntax error it is).
 */
export function lex(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && next === '-') {
      i = lineCommentEnd(text, i);
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(text, i);
    } else if (c === "'") {
      const end = quotedEnd(text, i, "'", false);
      tokens.push({ kind: 'string', value: unquote(text.slice(i + 1, end - 1), "'"), start: i, end });
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(text, i, '"', false);
      tokens.push({ kind: 'qident', value: unquote(text.slice(i + 1, end - 1), '"'), start: i, end });
      i = end;
    } else if ((c === 'E' || c === 'e') && next === "'") {
      const end = quotedEnd(text, i + 1, "'", true);
      tokens.push({ kind: 'string', value: text.slice(i + 2, end - 1), start: i, end });
      i = end;
    } else if ((c === 'U' || c === 'u') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      const q = text[i + 2]!;
      const end = quotedEnd(text, i + 2, q, false);
      // Decoded as the parser does: U&"pg\005fls_dir" is pg_ls_dir to the policy, and
      // U&"aws\005fivs" the schema aws_ivs to the name rewrite.
      // A UESCAPE clause is part of the token, as in the parser: the name is what comes before `(` or `.`.
      const uescape = /^\s+uescape\s*'([^'])'/i.exec(text.slice(end, end + 64));
      const body = unquote(text.slice(i + 3, end - 1), q);
      const stop = end + (uescape?.[0].length ?? 0);
      tokens.push({ kind: q === "'" ? 'string' : 'qident', value: unicodeEscapes(body, uescape?.[1] ?? '\\'), start: i, end: stop });
      i = stop;
    } else if ((c === 'B' || c === 'b' || c === 'X' || c === 'x' || c === 'N' || c === 'n') && next === "'") {
      const end = quotedEnd(text, i + 1, "'", false);
      tokens.push({ kind: 'string', value: unquote(text.slice(i + 2, end - 1), "'"), start: i, end });
      i = end;
    } else if (c === '$') {
      const param = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (param) {
        tokens.push({ kind: 'param', value: param[1]!, start: i, end: i + param[0].length });
        i += param[0].length;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 66));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const end = close === -1 ? n : close + tag[0].length;
        tokens.push({ kind: 'string', value: text.slice(i + tag[0].length, close === -1 ? n : close), start: i, end });
        i = end;
      } else {
        tokens.push({ kind: 'op', value: '$', start: i, end: i + 1 });
        i++;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      const m = /^(?:0[xXoObB][0-9A-Fa-f_]+|(?:\d[\d_]*)?\.?\d*(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
      const len = Math.max(1, m?.[0].length ?? 1);
      tokens.push({ kind: 'number', value: text.slice(i, i + len), start: i, end: i + len });
      i += len;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(text[j]!)) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j).toLowerCase(), start: i, end: j });
      i = j;
    } else if (c === ':' && next === ':') {
      tokens.push({ kind: 'op', value: '::', start: i, end: i + 2 });
      i += 2;
    } else if (OPERATOR_CHARS.includes(c)) {
      let j = i + 1;
      while (j < n && OPERATOR_CHARS.includes(text[j]!) && !(text[j] === '-' && text[j + 1] === '-') && !(text[j] === '/' && text[j + 1] === '*')) j++;
      tokens.push({ kind: 'op', value: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'op', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** The offset after a block comment starting at `i` (they nest in PostgreSQL). */
function blockCommentEnd(text: string, i: number): number {
  let depth = 1;
  let j = i + 2;
  while (j < text.length && depth > 0) {
    if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j += 2;
    } else j++;
  }
  return j;
}

/** The offset after the quoted text opening at `i` with `q` (a doubled `q` stays inside). */
function quotedEnd(text: string, i: number, q: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const d = text[j]!;
    if (backslashEscapes && d === '\\') {
      j += 2;
      continue;
    }
    if (d === q) {
      if (text[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

/** The body of a U&'…' or U&"…" with its escapes (`\0061`, `\+000061`, `\\`) decoded. */
function unicodeEscapes(body: string, escape: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== escape) {
      out += c;
      continue;
    }
    if (body[i + 1] === escape) {
      out += escape;
      i++;
      continue;
    }
    const long = body[i + 1] === '+';
    const hex = body.slice(i + (long ? 2 : 1), i + (long ? 8 : 5));
    if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== (long ? 6 : 4)) {
      out += c;
      continue;
    }
    const code = Number.parseInt(hex, 16);
    // An invalid code point is the parser's error to report; kept as written here.
    out += code <= 0x10ffff ? String.fromCodePoint(code) : body.slice(i, i + hex.length + (long ? 2 : 1));
    i += hex.length + (long ? 1 : 0);
  }
  return out;
}

function unquote(body: string, q: string): string {
  return body.split(q + q).join(q);
}

/** True when `t` is the unquoted keyword `word` (lower-case). */
export function isWord(t: SqlToken | undefined, word: string): boolean {
  return t !== undefined && t.kind === 'word' && t.value === word;
}

/** A name token (a word or a quoted identifier). */
export function isName(t: SqlToken | undefined): t is SqlToken {
  return t !== undefined && (t.kind === 'word' || t.kind === 'qident');
}
