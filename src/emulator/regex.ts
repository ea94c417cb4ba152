/**
 * Registry schemas carry Java regular expressions (`(?s)`, `\A`, `\z`, `\x{60}`, escapes JS's
 * unicode mode rejects). compileRegExp() turns one into the closest JS RegExp, or reports that it
 * cannot; samplePattern() produces a string that matches one, for generated property values.
 */
import { patternMatcher, type PatternMatcher } from '../schema/pattern.js';

export interface CompiledPattern {
  /** Linear-time where backtracking would not be (schema/pattern.ts). */
  re: PatternMatcher;
  /** The JS source actually used (after the Java constructs were translated). */
  source: string;
}

const cache = new Map<string, CompiledPattern | null>();

/** Java-only syntax → JS; flags that Java writes inline become RegExp flags. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let source = pattern.replace(/\(\?([imsx]+)\)/g, (_m, f: string) => {
    for (const c of f) if ('ims'.includes(c) && !flags.includes(c)) flags += c;
    return '';
  });
  source = source
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$')
    .replace(/\\x\{([0-9a-fA-F]{1,6})\}/g, (_m, h: string) => `\\u{${h}}`)
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');
  return { source, flags };
}

/** The JS RegExp for a registry pattern, or undefined when no translation is valid JS. */
export function compileRegExp(pattern: string): CompiledPattern | undefined {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit ?? undefined;
  const { source, flags } = translate(pattern);
  let result: CompiledPattern | null = null;
  for (const f of [`${flags}u`, flags]) {
    try {
      result = { re: patternMatcher(source, f), source };
      break;
    } catch {
      // try the next flag set: non-unicode mode accepts Java's identity escapes such as `\_`
    }
  }
  cache.set(pattern, result);
  return result ?? undefined;
}

// ---- sampling -------------------------------------------------------------------------------

type Range = readonly [number, number];
type Node =
  | { k: 'empty' }
  | { k: 'set'; ranges: Range[]; negate: boolean }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; options: Node[] }
  | { k: 'rep'; node: Node; min: number; max: number };

const DIGIT: Range[] = [[48, 57]];
const WORD: Range[] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const SPACE: Range[] = [[9, 13], [32, 32]];
const LETTER: Range[] = [[65, 90], [97, 122]];
/** Characters a sample prefers, most pleasant first. */
const PREFERRED = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_./: @+=,'.split('').map((c) => c.charCodeAt(0));

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const options: Node[] = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.seq());
    }
    return options.length === 1 ? options[0]! : { k: 'alt', options };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return { k: 'seq', items };
  }

  private quantified(atom: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m) return atom;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
        this.i += m[0].length - 1;
      } else return atom;
      this.i++;
      if (this.peek() === '?' || this.peek() === '+') this.i++; // lazy / possessive: same strings
      atom = { k: 'rep', node: atom, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { k: 'empty' };
      case '.':
        return { k: 'set', ranges: [[10, 10], [13, 13]], negate: true };
      case '[':
        return this.charClass();
      case '(': {
        let lookaround = false;
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
          lookaround = true;
          this.i += this.src[this.i + 1] === '<' ? 3 : 2;
        } else if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
        const inner = this.alt();
        if (this.peek() === ')') this.i++;
        return lookaround ? { k: 'empty' } : inner;
      }
      case '\\':
        return this.escape(false) as Node;
      default:
        return lit(c.codePointAt(0)!);
    }
  }

  private charClass(): Node {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const ranges: Range[] = [];
    let first = true;
    while (this.i < this.src.length && (this.peek() !== ']' || first)) {
      first = false;
      let lo: Range[] | number;
      const c = this.src[this.i++]!;
      if (c === '\\') lo = this.escape(true) as Range[] | number;
      else lo = c.codePointAt(0)!;
      if (typeof lo === 'number' && this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const d = this.src[this.i++]!;
        const hi = d === '\\' ? this.escape(true) : d.codePointAt(0)!;
        if (typeof hi === 'number' && hi >= lo) ranges.push([lo, hi]);
        else {
          ranges.push([lo, lo], [45, 45]);
          if (Array.isArray(hi)) ranges.push(...hi);
        }
      } else if (typeof lo === 'number') ranges.push([lo, lo]);
      else ranges.push(...lo);
    }
    this.i++; // ]
    return { k: 'set', ranges, negate };
  }

  /** After a backslash: a class (ranges), a single code point, or (outside classes) a node. */
  private escape(inClass: boolean): Node | Range[] | number {
    const c = this.src[this.i++] ?? '\\';
    const set = (ranges: Range[], negate = false): Node | Range[] =>
      inClass ? (negate ? [] : ranges) : { k: 'set', ranges, negate };
    switch (c) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(DIGIT, true);
      case 'w':
        return set(WORD);
      case 'W':
        return set(WORD, true);
      case 's':
        return set(SPACE);
      case 'S':
        return set(SPACE, true);
      case 'p':
      case 'P': {
        const m = /^\{([^}]*)\}/.exec(this.src.slice(this.i));
        if (m) this.i += m[0].length;
        const name = m?.[1] ?? '';
        const ranges: Range[] = /^(N|Nd|Digit)$/.test(name) ? DIGIT : /^(Z|Zs|Space)$/.test(name) ? [[32, 32]] : LETTER;
        return set(ranges, c === 'P');
      }
      case 'b':
        return inClass ? 8 : { k: 'empty' };
      case 'B':
        return { k: 'empty' };
      case 't':
        return maybeLit(9, inClass);
      case 'n':
        return maybeLit(10, inClass);
      case 'r':
        return maybeLit(13, inClass);
      case 'f':
        return maybeLit(12, inClass);
      case 'v':
        return maybeLit(11, inClass);
      case '0':
        return maybeLit(0, inClass);
      case 'x': {
        const h = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return maybeLit(parseInt(h, 16) || 120, inClass);
      }
      case 'u': {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(this.src.slice(this.i));
        if (!m) return maybeLit(117, inClass);
        this.i += m[0].length;
        return maybeLit(parseInt(m[1] ?? m[2] ?? '75', 16), inClass);
      }
      case 'k': {
        const end = this.src.indexOf('>', this.i);
        if (end > 0) this.i = end + 1;
        return { k: 'empty' };
      }
      default:
        if (/[1-9]/.test(c) && !inClass) return { k: 'empty' }; // backreference: sampled as nothing
        return maybeLit(c.codePointAt(0)!, inClass);
    }
  }
}

function lit(cp: number): Node {
  return { k: 'set', ranges: [[cp, cp]], negate: false };
}

function maybeLit(cp: number, inClass: boolean): Node | number {
  return inClass ? cp : lit(cp);
}

function inRanges(cp: number, ranges: Range[]): boolean {
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

export type Rng = () => number;

/** A small deterministic PRNG (mulberry32), so generated values are reproducible per seed. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)]!;
}

function sampleSet(node: { ranges: Range[]; negate: boolean }, rng: Rng): string {
  const ok = PREFERRED.filter((cp) => inRanges(cp, node.ranges) !== node.negate);
  if (ok.length > 0) {
    // Prefer lower-case letters and digits when the set offers them, for readable values.
    const nice = ok.filter((cp) => (cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57));
    return String.fromCodePoint(pick(nice.length > 0 ? nice : ok, rng));
  }
  if (!node.negate && node.ranges.length > 0) return String.fromCodePoint(pick(node.ranges, rng)[0]);
  return 'x';
}

function generate(node: Node, rng: Rng, extra: number): string {
  switch (node.k) {
    case 'empty':
      return '';
    case 'set':
      return sampleSet(node, rng);
    case 'seq':
      return node.items.map((n) => generate(n, rng, extra)).join('');
    case 'alt':
      return generate(pick(node.options, rng), rng, extra);
    case 'rep': {
      const spread = Math.min(node.max - node.min, extra);
      const count = node.min + (spread > 0 ? Math.floor(rng() * (spread + 1)) : 0);
      let s = '';
      for (let i = 0; i < count; i++) s += generate(node.node, rng, extra);
      return s;
    }
  }
}

const parsed = new Map<string, Node>();

/**
 * A string matching `pattern` with a length in [minLength, maxLength], or undefined when none
 * was found in a few dozen tries. `prefer` is tried first (the caller's idea of a good value).
 */
export function samplePattern(
  pattern: string,
  opts: { minLength?: number; maxLength?: number; rng: Rng; prefer?: readonly string[] },
): string | undefined {
  const compiled = compileRegExp(pattern);
  const min = opts.minLength ?? 0;
  const max = opts.maxLength ?? Infinity;
  const fits = (s: string): boolean => s.length >= min && s.length <= max && (!compiled || compiled.re.test(s));
  for (const p of opts.prefer ?? []) if (fits(p)) return p;
  if (!compiled) return undefined;
  let ast = parsed.get(compiled.source);
  if (!ast) {
    ast = new Parser(compiled.source).parse();
    parsed.set(compiled.source, ast);
  }
  const extras = [8, 4, 2, 1, 0, 12, 20, 40, 64];
  for (let attempt = 0; attempt < 60; attempt++) {
    const s = generate(ast, opts.rng, extras[attempt % extras.length]!);
    if (fits(s)) return s;
    // Near misses on length: trim, or repeat the last character (`^[A-Z0-9]+$` of exactly 26).
    if (s.length > max && fits(s.slice(0, max))) return s.slice(0, max);
    if (s.length < min && s.length > 0) {
      const padded = s + s.charAt(s.length - 1).repeat(min - s.length);
      if (fits(padded)) return padded;
      const unanchored = s + 'a'.repeat(min - s.length);
      if (fits(unanchored)) return unanchored;
    }
  }
  return undefined;
}
