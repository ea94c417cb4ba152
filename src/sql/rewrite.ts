/**
 * Builds the SQL the engine runs out of the user's own text: slices of the statement, with only
 * provider table references replaced (by position), and where needed a fixed frame of ours
 * around them (`SELECT … FROM <table> AS t WHERE <the user's WHERE>`). Keeps a map from
 * positions in the built text back to the user's statement, so the engine's error positions
 * point at what the user wrote.
 */
import type { Token } from './parser.js';

export interface Replacement {
  start: number;
  end: number;
  text: string;
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

  build(): string {
    return this.text;
  }

  /** The offset in the user's statement for `offset` in the built text, if it came from there. */
  sourceOffset(offset: number): number | undefined {
    for (const s of this.segments) {
      if (offset >= s.at && offset < s.at + s.length) {
        if (s.source === undefined) return undefined;
        if (s.source < 0) return -1 - s.source;
        return s.source + (offset - s.at);
      }
    }
    const last = this.segments[this.segments.length - 1];
    if (last && offset >= last.at + last.length && last.source !== undefined && last.source >= 0) return last.source + last.length;
    return undefined;
  }

  private copy(source: string, start: number, end: number): void {
    this.segments.push({ at: this.text.length, length: end - start, source: start });
    this.text += source.slice(start, end);
  }
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

/** String offsets of the text after a top-level keyword up to the next of `stops` (or the end). */
export function clauseSpan(text: string, tokens: readonly Token[], keyword: string, stops: readonly string[], from = 0): { start: number; end: number } | undefined {
  const i = findTopLevel(tokens, (t) => isKeyword(t, keyword), from);
  if (i < 0) return undefined;
  const start = tokens[i]!.end;
  const j = findTopLevel(tokens, (t) => stops.some((s) => isKeyword(t, s)), i + 1);
  const end = j < 0 ? text.length : tokens[j]!.start;
  return { start, end };
}
