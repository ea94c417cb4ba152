/**
 * RFC 6902 JSON Patch, applied to a copy. Own implementation (rather than fast-json-patch) for
 * exact RFC semantics and for error messages that name the failing operation without echoing
 * values, which may be secrets.
 */
import { deepEqual, isObject, parsePointer, type Json } from './pointer.js';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

export class PatchError extends Error {}

/** Parses and checks the shape of a patch document (a JSON array of operations). */
export function parsePatch(text: string): PatchOperation[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PatchError('the patch document is not valid JSON');
  }
  if (!Array.isArray(doc)) throw new PatchError('the patch document must be a JSON array of operations');
  return doc.map((raw, i) => {
    if (!isObject(raw as Json)) throw new PatchError(`operation ${i} is not an object`);
    const o = raw as Record<string, unknown>;
    const op = o.op;
    if (typeof op !== 'string' || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)) {
      throw new PatchError(`operation ${i}: 'op' must be one of add, remove, replace, move, copy, test`);
    }
    if (typeof o.path !== 'string' || (o.path !== '' && !o.path.startsWith('/'))) throw new PatchError(`operation ${i}: 'path' must be a JSON pointer`);
    if ((op === 'move' || op === 'copy') && (typeof o.from !== 'string' || (o.from !== '' && !o.from.startsWith('/')))) {
      throw new PatchError(`operation ${i}: '${op}' needs a 'from' JSON pointer`);
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in o)) throw new PatchError(`operation ${i}: '${op}' needs a 'value'`);
    const out: PatchOperation = { op: op as PatchOperation['op'], path: o.path };
    if (typeof o.from === 'string') out.from = o.from;
    if ('value' in o) out.value = o.value as Json;
    return out;
  });
}

/** The document after every operation, or a PatchError naming the first that cannot apply. */
export function applyPatch(doc: Json, ops: readonly PatchOperation[]): Json {
  let root = structuredClone(doc);
  ops.forEach((op, i) => {
    const where = `operation ${i} (${op.op} ${op.path})`;
    switch (op.op) {
      case 'add':
        root = add(root, parsePointer(op.path), structuredClone(op.value as Json), where);
        break;
      case 'remove':
        root = remove(root, parsePointer(op.path), where).root;
        break;
      case 'replace':
        root = remove(root, parsePointer(op.path), where).root;
        root = add(root, parsePointer(op.path), structuredClone(op.value as Json), where);
        break;
      case 'move': {
        const from = parsePointer(op.from!);
        const to = parsePointer(op.path);
        if (from.length < to.length && from.every((s, j) => s === to[j])) throw new PatchError(`${where}: cannot move a value into itself`);
        const r = remove(root, from, where);
        root = add(r.root, to, r.value, where);
        break;
      }
      case 'copy':
        root = add(root, parsePointer(op.path), structuredClone(get(root, parsePointer(op.from!), where)), where);
        break;
      case 'test':
        if (!deepEqual(get(root, parsePointer(op.path), where), op.value)) throw new PatchError(`${where}: test failed`);
        break;
    }
  });
  return root;
}

function get(root: Json, path: string[], where: string): Json {
  let cur: Json = root;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(seg, cur.length - 1, where);
      cur = cur[i]!;
    } else if (isObject(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg]!;
    } else {
      throw new PatchError(`${where}: path does not exist`);
    }
  }
  return cur;
}

function arrayIndex(seg: string, max: number, where: string): number {
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new PatchError(`${where}: '${seg}' is not an array index`);
  const i = Number(seg);
  if (i > max) throw new PatchError(`${where}: array index ${i} is out of bounds`);
  return i;
}

function add(root: Json, path: string[], value: Json, where: string): Json {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1), where);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last, parent.length, where);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (last === '__proto__') throw new PatchError(`${where}: invalid member name`);
    parent[last] = value;
  } else {
    throw new PatchError(`${where}: parent is not an object or array`);
  }
  return root;
}

function remove(root: Json, path: string[], where: string): { root: Json; value: Json } {
  if (path.length === 0) throw new PatchError(`${where}: cannot remove the whole document`);
  const parent = get(root, path.slice(0, -1), where);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length - 1, where);
    const [value] = parent.splice(i, 1);
    return { root, value: value as Json };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last]!;
    delete parent[last];
    return { root, value };
  }
  throw new PatchError(`${where}: path does not exist`);
}
