/**
 * JSON Patch (RFC 6902) as Cloud Control applies it to an UpdateResource: to the model the type's
 * read handler returns (no write-only values), with the service's error wording, which is that of
 * the Java JSON Patch library behind it: `[REPLACE Operation] noSuchPath in source, path provided
 * : //Code` (the path shown with an extra leading slash, as the service shows it),
 * `[TEST Operation] value mismatch`. No message quotes a value.
 *
 * The document's shape (an array of operations with op/path/from/value) is checked by the shared
 * parser in schema/json-patch.ts.
 */
import { deepEqual, isObject, parsePointer, type Json } from '../schema/pointer.js';
import type { PatchOperation } from '../schema/json-patch.js';

/** An operation that cannot apply; the message is the service's. */
export class PatchApplicationError extends Error {}

export function applyServicePatch(doc: Json, ops: readonly PatchOperation[]): Json {
  let root = structuredClone(doc);
  for (const op of ops) {
    const name = op.op.toUpperCase();
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        root = add(root, path, structuredClone(op.value as Json), name, op.path);
        break;
      case 'remove':
        root = remove(root, path, name, op.path).root;
        break;
      case 'replace':
        if (path.length === 0) {
          root = structuredClone(op.value as Json);
          break;
        }
        root = remove(root, path, name, op.path).root;
        root = add(root, path, structuredClone(op.value as Json), name, op.path);
        break;
      case 'move': {
        const from = parsePointer(op.from!);
        if (from.length < path.length && from.every((s, i) => s === path[i])) throw new PatchApplicationError(`[${name} Operation] cannot move a value into its own child, path provided : /${op.path}`);
        const taken = remove(root, from, name, op.from!);
        root = add(taken.root, path, taken.value, name, op.path);
        break;
      }
      case 'copy':
        root = add(root, path, structuredClone(get(root, parsePointer(op.from!), name, op.from!)), name, op.path);
        break;
      case 'test':
        if (!deepEqual(get(root, path, name, op.path), op.value)) throw new PatchApplicationError(`[${name} Operation] value mismatch`);
        break;
    }
  }
  return root;
}

function noSuchPath(op: string, pointer: string, parent: boolean): PatchApplicationError {
  // The library words a missing parent with "provided:" and a missing target with "provided :".
  return new PatchApplicationError(`[${op} Operation] noSuchPath in source, path provided${parent ? '' : ' '}: /${pointer}`);
}

function get(root: Json, path: readonly string[], op: string, pointer: string, parent = false): Json {
  let cur: Json = root;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      cur = cur[index(seg, cur.length - 1)] as Json;
    } else if (isObject(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg]!;
    } else {
      throw noSuchPath(op, pointer, parent);
    }
  }
  return cur;
}

function index(seg: string, max: number): number {
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new PatchApplicationError('Object operation on array target');
  const i = Number(seg);
  if (i > max) throw new PatchApplicationError(`index Out of bound, index is greater than ${max}`);
  return i;
}

function add(root: Json, path: readonly string[], value: Json, op: string, pointer: string): Json {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1), op, pointer, true);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    parent.splice(last === '-' ? parent.length : index(last, parent.length), 0, value);
  } else if (isObject(parent)) {
    if (last === '__proto__') throw new PatchApplicationError(`[${op} Operation] invalid member name, path provided : /${pointer}`);
    parent[last] = value;
  } else {
    throw new PatchApplicationError(`[${op} Operation] parent is not a container in source, path provided : /${pointer}`);
  }
  return root;
}

function remove(root: Json, path: readonly string[], op: string, pointer: string): { root: Json; value: Json } {
  if (path.length === 0) throw new PatchApplicationError(`[${op} Operation] path is empty`);
  const parent = get(root, path.slice(0, -1), op, pointer, true);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const [value] = parent.splice(index(last, parent.length - 1), 1);
    return { root, value: value as Json };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last]!;
    delete parent[last];
    return { root, value };
  }
  throw noSuchPath(op, pointer, false);
}
