/**
 * Property paths. The registry schema names properties with JSON pointers into the *schema*
 * (`/properties/Tags/*\/Key`, where `*` is every array element); Cloud Control's patch documents
 * and models use pointers into the *model* (`/Tags/0/Key`). Both become segment lists here.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `/properties/Tags/*\/Key` → `['Tags', '*', 'Key']` (the leading `properties` dropped). */
export function schemaPointerToPath(pointer: string): string[] {
  const segs = parsePointer(pointer);
  return segs[0] === 'properties' ? segs.slice(1) : segs;
}

/** RFC 6901: `/a~1b/c` → `['a/b', 'c']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(path: readonly string[]): string {
  return path.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every value the path reaches (a `*` segment fans out over array elements or object values). */
export function valuesAt(root: Json, path: readonly string[]): Json[] {
  let current: Json[] = [root];
  for (const seg of path) {
    const next: Json[] = [];
    for (const v of current) {
      if (seg === '*') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        const i = Number(seg);
        if (Number.isInteger(i) && i >= 0 && i < v.length) next.push(v[i]!);
      } else if (isObject(v) && Object.hasOwn(v, seg)) {
        next.push(v[seg]!);
      }
    }
    current = next;
  }
  return current;
}

/** Removes what the path reaches, in place. */
export function deleteAt(root: Json, path: readonly string[]): void {
  if (path.length === 0) return;
  const parents = valuesAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  for (const p of parents) {
    if (isObject(p)) {
      if (last === '*') for (const k of Object.keys(p)) delete p[k];
      else delete p[last];
    } else if (Array.isArray(p) && last === '*') {
      p.length = 0;
    }
  }
}

/**
 * Calls `fn(container, key)` for each place the path can be set: every existing parent container
 * (arrays fan out through `*`). Parents are never created, so a nested generated value appears
 * only where the caller gave its enclosing object.
 */
export function forEachSlot(root: Json, path: readonly string[], fn: (container: JsonObject, key: string) => void): void {
  if (path.length === 0) return;
  const last = path[path.length - 1]!;
  if (last === '*') return;
  for (const p of valuesAt(root, path.slice(0, -1))) if (isObject(p)) fn(p, last);
}

/** Whether two model paths overlap: one is a prefix of the other (`*` matches any segment). */
export function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && x !== '*' && y !== '*' && !(x === '-' || y === '-')) return false;
  }
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

export function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** JSON with object keys sorted, for comparing requests regardless of key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
