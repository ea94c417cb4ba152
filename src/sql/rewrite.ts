/**
 * Builds the SQL the engine runs out of the user's own text: slices of the statement, with only
 * provider table references replaced (by position), and where needed a fixed frame of ours
 * around them (`SELECT … FROM <table> AS t WHERE <the user's WHERE>`). Keeps a map from
 * positions in the built text back to the user's statement, so the engine's error positions
 * point at what the user wrote.
 */
import type { Replacement } from './ir.js';
import type { Token } from './parser.js';

/** Built engine SQL: the text, and where each piece of it came from in the user's statement. */
export interface EngineSql {
  readonly text: string;
  readonly segments: readonly Segment[];
}

interface Segment {
  /** Offset in the built text. */
  at: number;
  length: number;
  /** Offset in the user's statement, or undefined for text of ours. */
  source: number | undefined;
}

export class SqlBuilder {
  private text = '';
  private readonly segments: Segment[] = [];

  /** Appends text of ours (positions in it map to `anchor`, if given). */
  raw(text: string, anchor?: number): this {
    this.segments.push({ at: this.text.length, length: text.length, source: anchor === undefined ? undefined : -1 - anchor });
    this.text += text;
    return this;
  }

  /** Appends `source[start, end)` with the replacements that fall inside it applied. */
  slice(source: string, start: number, end: number, replacements: readonly Replacement[] = []): this {
    let pos = start;
    const inside = replacements.filter((r) => r.start >= start && r.end <= end).sort((a, b) => a.start - b.start);
    for (const r of inside) {
      if (r.start > pos) this.copy(source, pos, r.start);
      // The replacement stands for the table name: errors inside it point at the name.
      this.raw(r.text, r.start);
      pos = r.end;
    }
    if (end > pos) this.copy(source, pos, end);
    return this;
  }

  build(): EngineSql {
    return { text: this.text, segments: [...this.segments] };
  }

  private copy(source: string, start: number, end: number): void {
    this.segments.push({ at: this.text.length, length: end - start, source: start });
    this.text += source.slice(start, end);
  }
}

/** The offset in the user's statement for `offset` in the built text, if it came from there. */
export function sourceOffset(sql: EngineSql, offset: number): number | undefined {
  for (const s of sql.segments) {
    if (offset >= s.at && offset < s.at + s.length) {
      if (s.source === undefined) return undefined;
      if (s.source < 0) return -1 - s.source;
      return s.source + (offset - s.at);
    }
  }
  const last = sql.segments[sql.segments.length - 1];
  if (last && offset >= last.at + last.length && last.source !== undefined && last.source >= 0) return last.source + last.length;
  return undefined;
}

/** Index of the first token at parenthesis depth 0 (from `from`) satisfying `test`, or -1. */
export function findTopLevel(tokens: readonly Token[], test: (t: Token) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0 && test(t)) return i;
  }
  return -1;
}

export function isKeyword(t: Token, word: string): boolean {
  return t.keywordName !== 'NO_KEYWORD' && t.text.toUpperCase() === word;
}
