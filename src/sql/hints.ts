/**
 * Statement hints in comments, as StackQL writes them: `/*+ NOWAIT *\/ INSERT …`, `EXEC
 * /*+ SHOWRESULTS *\/ …`. Words are case-insensitive; unknown words (StackQL's `/*+ create *\/`,
 * `/*+ delete *\/` markers) are ignored.
 */
import type { Token } from './parser.js';

export const KNOWN_HINTS = ['NOWAIT', 'SHOWRESULTS'] as const;
export type Hint = (typeof KNOWN_HINTS)[number];

export function readHints(tokens: readonly Pick<Token, 'tokenName' | 'text'>[]): Set<Hint> {
  const out = new Set<Hint>();
  for (const t of tokens) {
    if (t.tokenName !== 'C_COMMENT' || !t.text.startsWith('/*+')) continue;
    const words = t.text.slice(3, -2).split(/[\s,]+/).filter(Boolean);
    for (const w of words) {
      const upper = w.toUpperCase();
      if ((KNOWN_HINTS as readonly string[]).includes(upper)) out.add(upper as Hint);
    }
  }
  return out;
}
