/**
 * Splits a script into statements at top-level semicolons, the way psql does: semicolons inside
 * quotes, dollar quotes, quoted identifiers and comments do not end a statement.
 */

export interface StatementText {
  /** The statement without its terminating semicolon, trimmed. */
  text: string;
  /** Offset of `text` in the script, for mapping positions back to the user's input. */
  offset: number;
  /** 1-based line and column where `text` starts in the script. */
  line: number;
  column: number;
}

export interface SplitResult {
  statements: StatementText[];
  /** Text after the last semicolon that is not only whitespace/comments (the REPL waits for more). */
  incomplete: string | undefined;
}

/** Splits a script. An unterminated quote or comment is left in `incomplete`. */
export function splitStatements(script: string): SplitResult {
  const statements: StatementText[] = [];
  const lines = new LineCounter(script);
  let start = 0;
  let i = 0;
  const n = script.length;
  let unterminated = false;
  while (i < n) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      i = lineCommentEnd(script, i);
    } else if (c === '/' && next === '*') {
      // Postgres block comments nest
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === '/' && script[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) unterminated = true;
    } else if (c === "'" || c === '"') {
      const backslashEscapes = c === "'" && (script[i - 1] === 'E' || script[i - 1] === 'e') && !/[A-Za-z0-9_]/.test(script[i - 2] ?? ' ');
      i++;
      let closed = false;
      while (i < n) {
        const d = script[i]!;
        if (backslashEscapes && d === '\\') {
          i += 2;
          continue;
        }
        if (d === c) {
          if (script[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        i++;
      }
      if (!closed) unterminated = true;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64));
      const prev = script[i - 1];
      if (m && !(prev !== undefined && /[A-Za-z0-9_]/.test(prev))) {
        const tag = m[0];
        const end = script.indexOf(tag, i + tag.length);
        if (end === -1) {
          unterminated = true;
          i = n;
        } else i = end + tag.length;
      } else i++;
    } else if (c === ';') {
      push(script, start, i, statements, lines);
      i++;
      start = i;
    } else i++;
  }
  const rest = script.slice(start);
  const incomplete = unterminated || stripComments(rest).trim() !== '' ? rest : undefined;
  return { statements, incomplete };
}

/** Splits a whole script, treating a final statement without `;` as complete. */
export function splitScript(script: string): StatementText[] {
  const { statements, incomplete } = splitStatements(script);
  if (incomplete !== undefined) {
    const last = statements[statements.length - 1];
    const lines = new LineCounter(script);
    if (last) lines.at(last.offset);
    push(script, script.length - incomplete.length, script.length, statements, lines);
  }
  return statements;
}

/**
 * Line and column of offsets visited in increasing order, counting each newline once: a script of
 * 100,000 statements splits in linear time.
 */
class LineCounter {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  at(offset: number): { line: number; column: number } {
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = i + 1;
    }
    this.offset = Math.max(this.offset, offset);
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

function push(script: string, from: number, to: number, out: StatementText[], lines: LineCounter): void {
  const raw = script.slice(from, to);
  if (stripComments(raw).trim() === '') return;
  const lead = raw.length - raw.trimStart().length;
  const offset = from + lead;
  const { line, column } = lines.at(offset);
  out.push({ text: raw.trim(), offset, line, column });
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** 1-based line/column of `offset` within `text`. */
/**
 * Where the `--` comment at `i` ends: after the next line break, which for PostgreSQL's scanner
 * is `\n` or `\r` alike. (A lexer that ended it at `\n` only would read `-- x\rselect …` as all
 * comment, where PostgreSQL runs the `select`.)
 */
export function lineCommentEnd(text: string, i: number): number {
  for (let j = i + 2; j < text.length; j++) {
    const c = text[j];
    if (c === '\n' || c === '\r') return j + 1;
  }
  return text.length;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  // Columns count characters, as psql's caret does: a code point, not a UTF-16 unit (an emoji is one).
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { line, column };
}
