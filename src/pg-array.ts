/**
 * PostgreSQL's text form of an array (`{1,2}`, `{{a,"b c"},{NULL,"\"q\""}}`, `[0:1]={a,b}`), read
 * the same where the engine answers with one (engine/values.ts), where a statement or a driver's
 * parameter writes one (`region = ANY('{us-east-1,us-west-2}')`, sql/analyze.ts), and where the
 * wire server sends one in binary (server/binary-format.ts).
 */

export type ArrayValue<T> = Array<T | null | ArrayValue<T>>;

/** An array as array_send lays it out: its dimensions, their lower bounds, the elements in row-major order. */
export interface ArrayShape {
  /** The length of each dimension ([] for an empty array). */
  dims: number[];
  lbounds: number[];
  /** The elements' text (NULL → null). */
  items: Array<string | null>;
}

/**
 * An array literal with optional bounds → its shape, or undefined for text that is not one
 * (or whose sub-arrays differ in length). `delimiter` is the element type's: `;` for box.
 */
export function parseArrayText(text: string, delimiter = ','): ArrayShape | undefined {
  let t = text.trim();
  let lbounds: number[] | undefined;
  const bounds = /^((?:\[-?\d+:-?\d+\])+)=/.exec(t);
  if (bounds) {
    lbounds = [...bounds[1]!.matchAll(/\[(-?\d+):/g)].map((b) => Number(b[1]));
    t = t.slice(bounds[0].length);
  }
  if (!t.startsWith('{')) return undefined;
  let i = 0;
  const dims: number[] = [];
  const items: Array<string | null> = [];
  const level = (depth: number): boolean => {
    i++; // '{'
    let count = 0;
    if (t[i] === '}') {
      i++;
      return depth === 0;
    }
    for (;;) {
      while (t[i] === ' ') i++;
      if (t[i] === '{') {
        if (!level(depth + 1)) return false;
      } else if (t[i] === '"') {
        let s = '';
        i++;
        while (i < t.length && t[i] !== '"') {
          if (t[i] === '\\') i++;
          s += t[i] ?? '';
          i++;
        }
        i++; // closing quote
        items.push(s);
      } else {
        let j = i;
        while (j < t.length && t[j] !== delimiter && t[j] !== '}') j++;
        const raw = t.slice(i, j).trim();
        items.push(raw.toUpperCase() === 'NULL' ? null : raw);
        i = j;
      }
      count++;
      while (t[i] === ' ') i++;
      if (t[i] === delimiter) {
        i++;
        continue;
      }
      if (t[i] !== '}') return false;
      i++;
      if (dims[depth] === undefined) dims[depth] = count;
      else if (dims[depth] !== count) return false;
      return true;
    }
  };
  if (!level(0) || t.slice(i).trim() !== '') return undefined;
  if (items.length === 0) return { dims: [], lbounds: [], items: [] };
  return { dims, lbounds: lbounds ?? dims.map(() => 1), items };
}

/**
 * An array literal → nested arrays of `element(text)` (NULL → null), or undefined for text that
 * is not one. One whose bounds do not start at 1 (`[0:1]={…}`) is undefined too: JS arrays
 * cannot say where they start.
 */
export function parseArrayLiteral<T>(t: string, element: (text: string) => T): ArrayValue<T> | undefined {
  const shape = parseArrayText(t);
  if (!shape || shape.lbounds.some((b) => b !== 1)) return undefined;
  let k = 0;
  const nest = (depth: number): ArrayValue<T> => {
    const out: ArrayValue<T> = [];
    for (let n = 0; n < shape.dims[depth]!; n++) {
      if (depth + 1 < shape.dims.length) out.push(nest(depth + 1));
      else {
        const item = shape.items[k++] ?? null;
        out.push(item === null ? null : element(item));
      }
    }
    return out;
  };
  return shape.dims.length === 0 ? [] : nest(0);
}
