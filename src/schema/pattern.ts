/**
 * The `pattern` keyword of the registry schemas, matched in time linear in the input. JavaScript's
 * backtracking engine takes exponential time on a repeated group that itself repeats:
 * `AWS::DataZone::DataSource` has `cron\(… (.*){1,5} (.*){1,5} (.*){1,5} (.*){1,5}\)`, and a
 * 35-character string that almost matches takes it 90 s. Such patterns go to RE2 (re2js, a
 * linear-time engine in plain JavaScript); the rest, nearly all, stay on the native engine, which
 * compiles a hundred times faster.
 */
import { RE2JS } from 're2js';

export interface PatternMatcher {
  /** Whether the pattern matches somewhere in `s` (JSON Schema patterns are not anchored). */
  test(s: string): boolean;
  /** `/pattern/flags`, as a RegExp prints itself. */
  toString(): string;
}

const cache = new Map<string, PatternMatcher>();

/** A matcher for `pattern` (ECMA-262 syntax, as JSON Schema has it); throws on a pattern neither engine takes. */
export function patternMatcher(pattern: string, flags = 'u'): PatternMatcher {
  const key = `${flags}/${pattern}`;
  let m = cache.get(key);
  if (!m) {
    m = compile(pattern, flags);
    cache.set(key, m);
  }
  return m;
}

function compile(pattern: string, flags: string): PatternMatcher {
  if (repeatsRepetition(pattern)) {
    try {
      const re2Flags = (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0);
      const re = RE2JS.compile(pattern, re2Flags);
      return { test: (s) => re.matcher(s).find(), toString: () => `/${pattern}/${flags}` };
    } catch {
      // RE2 has no lookaround or backreferences: such a pattern stays on the native engine
    }
  }
  const re = new RegExp(pattern, flags);
  return { test: (s) => re.test(s), toString: () => re.toString() };
}

/**
 * Whether a group that contains a repetition (`*`, `+`, `{n,}`, `{m,n}`) is itself repeated:
 * the shape that makes backtracking exponential (`(a+)+`, `(.*){1,5}`, `(\w+\s?)*`).
 */
export function repeatsRepetition(pattern: string): boolean {
  /** For each open group: whether something inside it repeats. */
  const open: boolean[] = [];
  let lastClosedRepeats = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      lastClosedRepeats = false;
      continue;
    }
    if (c === '[') {
      // a character class: skip to its end (a `]` first in it is a literal)
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      lastClosedRepeats = false;
      continue;
    }
    if (c === '(') {
      open.push(false);
      lastClosedRepeats = false;
      continue;
    }
    if (c === ')') {
      lastClosedRepeats = open.pop() ?? false;
      if (lastClosedRepeats && open.length > 0) open[open.length - 1] = true;
      continue;
    }
    const repeat = c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}|^\{\d*[2-9]\d*\}|^\{\d{2,}\}/.test(pattern.slice(i)));
    if (repeat) {
      if (lastClosedRepeats) return true;
      if (open.length > 0) open[open.length - 1] = true;
    }
    if (c !== '?') lastClosedRepeats = false;
  }
  return false;
}
