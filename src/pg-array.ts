/**
 * PostgreSQL's text form of an array (`{1,2}`, `{{a,"b c"},{NULL,"\"q\""}}`), read the same
 * where the engine answers with one (engine/values.ts) and where a statement or a driver's
 * parameter writes one (`region = ANY('{us-east-1,us-west-2}')`, sql/analyze.ts).
 */

export type ArrayValue<T> = Array<T | null | ArrayValue<T>>;

/**
 * An array literal → nested arrays of `element(text)` (NULL → null), or undefined for text that
 * is not one. One with explicit bounds (`[0:1]={…}`) is undefined too: JS arrays start at 0.
 */
export function parseArrayLiteral<T>(t: string, element: (text: string) => T): ArrayValue<T> | undefined {
  const delimiter = ',';
  if (!t.startsWith('{')) return undefined;
  let i = 0;
  const parseLevel = (): ArrayValue<T> => {
    const out: ArrayValue<T> = [];
    i++; // '{'
    if (t[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (t[i] === '{') out.push(parseLevel());
      else if (t[i] === '"') {
        let s = '';
        i++;
        while (i < t.length && t[i] !== '"') {
          if (t[i] === '\\') i++;
          s += t[i] ?? '';
          i++;
        }
        i++; // closing quote
        out.push(element(s));
      } else {
        let j = i;
        while (j < t.length && t[j] !== delimiter && t[j] !== '}') j++;
        const raw = t.slice(i, j).trim();
        out.push(raw.toUpperCase() === 'NULL' ? null : element(raw));
        i = j;
      }
      if (t[i] === delimiter) {
        i++;
        while (t[i] === ' ') i++;
        continue;
      }
      i++; // '}'
      return out;
    }
  };
  return parseLevel();
}
