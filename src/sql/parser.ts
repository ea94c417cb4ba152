/**
 * The PostgreSQL parser (libpg-query: Postgres' own grammar compiled to WASM). It gives every
 * table reference with its position and Postgres' own syntax errors with a cursor position, and
 * parses everything psql and BI tools send. Positions from the parser are UTF-8 byte offsets;
 * everything here hands out JavaScript string (UTF-16) offsets instead.
 */
import { createRequire } from 'node:module';
import type { ParseResult, ScanToken } from 'libpg-query';
import { CcqlError } from '../errors.js';
import { lineColumn } from './split.js';

type LibPgQuery = typeof import('libpg-query');

const require = createRequire(import.meta.url);
let loaded: Promise<LibPgQuery> | undefined;
let lib: LibPgQuery | undefined;

/** Loads the WASM parser once (about 50 ms); later calls return the same promise. */
export function loadParser(): Promise<LibPgQuery> {
  loaded ??= (async () => {
    // The CommonJS build: its WASM loader works the same under vitest, tsx and plain node.
    const mod = require('libpg-query') as LibPgQuery;
    await mod.loadModule();
    lib = mod;
    return mod;
  })();
  return loaded;
}

function parserSync(): LibPgQuery {
  if (!lib) throw new CcqlError('internal', 'the SQL parser is used before loadParser() finished');
  return lib;
}

/** Maps UTF-8 byte offsets of `text` to string offsets (identity for ASCII text). */
export class OffsetMap {
  private readonly byteToChar: Int32Array | undefined;

  constructor(readonly text: string) {
    // eslint-disable-next-line no-control-regex
    if (/^[\x00-\x7f]*$/.test(text)) return;
    const bytes = Buffer.byteLength(text, 'utf8');
    const map = new Int32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      const len = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < len; k++) map[b + k] = i;
      b += len;
      if (code >= 0x10000) i++; // a surrogate pair is one code point
    }
    map[bytes] = text.length;
    this.byteToChar = map;
  }

  char(byteOffset: number): number {
    if (!this.byteToChar) return byteOffset;
    return this.byteToChar[Math.max(0, Math.min(byteOffset, this.byteToChar.length - 1))] ?? this.text.length;
  }
}

export interface Token {
  /** String offsets in the statement text. */
  start: number;
  end: number;
  text: string;
  /** IDENT, SCONST, ICONST, C_COMMENT, SQL_COMMENT, ASCII_40 ('('), … or UNKNOWN for keywords. */
  tokenName: string;
  /** RESERVED_KEYWORD, UNRESERVED_KEYWORD, … or NO_KEYWORD. */
  keywordName: string;
}

export interface ParsedStatement {
  text: string;
  /** The parse tree (one statement). */
  stmt: Record<string, unknown>;
  /** The statement's node type, e.g. `SelectStmt`, `InsertStmt`. */
  kind: string;
  tokens: Token[];
  offsets: OffsetMap;
}

/** Parses one statement. Syntax errors become CcqlError('syntax') at their offset in `text`. */
export function parseStatement(text: string): ParsedStatement {
  const pg = parserSync();
  const offsets = new OffsetMap(text);
  let result: ParseResult;
  try {
    result = pg.parseSync(text);
  } catch (e) {
    throw syntaxError(e, text);
  }
  const stmts = result.stmts ?? [];
  if (stmts.length !== 1) {
    throw new CcqlError('syntax', stmts.length === 0 ? 'empty statement' : 'expected one statement, found several', {
      location: { offset: 0 },
    });
  }
  const stmt = stmts[0]!.stmt as unknown as Record<string, unknown>;
  const kind = Object.keys(stmt)[0] ?? 'Unknown';
  return { text, stmt, kind, tokens: scanTokens(text, offsets), offsets };
}

/** Lexical tokens of `text` (comments included), with string offsets. */
export function scanTokens(text: string, offsets = new OffsetMap(text)): Token[] {
  let raw: ScanToken[];
  try {
    raw = parserSync().scanSync(text).tokens;
  } catch {
    return [];
  }
  return raw.map((t) => ({
    start: offsets.char(t.start),
    end: offsets.char(t.end),
    text: text.slice(offsets.char(t.start), offsets.char(t.end)),
    tokenName: t.tokenName,
    keywordName: t.keywordName,
  }));
}

/** 1-based line/column in the script of a string offset inside a statement starting at `base`. */
export function locate(text: string, offset: number, base: { line: number; column: number }): { line: number; column: number } {
  const lc = lineColumn(text, offset);
  return lc.line === 1 ? { line: base.line, column: base.column + lc.column - 1 } : { line: base.line + lc.line - 1, column: lc.column };
}

/** The string index of the `count`th code point of `text` (its length past the end). */
function codePointIndex(text: string, count: number): number {
  let i = 0;
  for (let n = 0; n < count && i < text.length; n++) i += text.codePointAt(i)! >= 0x10000 ? 2 : 1;
  return Math.min(i, text.length);
}

function syntaxError(e: unknown, text: string): CcqlError {
  const details = (e as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  // A string literal near the error may hold a secret (a password being set): name it, never quote it.
  const message = (details?.message ?? (e instanceof Error ? e.message : String(e))).replace(/at or near "(?:[EeBbXxUu]&?)?'[\s\S]*"$/, 'at or near a string literal');
  // libpg-query reports the cursor as a 0-based count of characters (code points), not bytes.
  const pos = details?.cursorPosition;
  const offset = pos === undefined ? undefined : codePointIndex(text, pos);
  return new CcqlError('syntax', message, {
    ...(offset !== undefined ? { location: { offset } } : {}),
    cause: e,
  });
}
