/**
 * Write-only properties (passwords, API keys, client secrets) are sent to AWS and never shown:
 * not in results, notices, errors or dry runs. Their locations are JSON pointers from the
 * registry schema, e.g. `/properties/AuthParameters/BasicAuthParameters/Password`; `*` in a
 * pointer stands for every array element or map key.
 */
import type { ResourceDef } from '../catalog/types.js';
import { parsePointer, schemaPointerToPath } from './pointer.js';

/** A JSON Patch operation as far as masking cares. */
type PatchOp = { op: string; path: string; value?: unknown; from?: string };

export const MASK = '********';

type Json = unknown;

/** A copy of `model` (properties by CloudFormation name) with write-only values replaced by MASK. */
export function maskWriteOnly(resource: ResourceDef, model: Record<string, Json>): Record<string, Json> {
  return transform(resource, model, (parent, key) => {
    if (isRecord(parent) || Array.isArray(parent)) (parent as Record<string, Json>)[key] = MASK;
  });
}

/** A copy of `model` without write-only values (Cloud Control never returns them; be sure). */
export function stripWriteOnly(resource: ResourceDef, model: Record<string, Json>): Record<string, Json> {
  if (resource.writeOnlyProperties.length === 0) return model;
  return transform(resource, model, (parent, key) => {
    if (Array.isArray(parent)) parent[Number(key)] = null;
    else if (isRecord(parent)) delete parent[key];
  });
}

/** Every string value at a write-only location, so messages quoting them can be scrubbed. */
export function writeOnlyValues(resource: ResourceDef, model: Record<string, Json>): string[] {
  const out: string[] = [];
  for (const pointer of resource.writeOnlyProperties) {
    visit(model, schemaPointerToPath(pointer), (parent, key) => {
      const v = (parent as Record<string, Json>)[key];
      collectStrings(v, out);
    });
  }
  return out.filter((s) => s.length >= 3);
}

/** Replaces each secret in `text` with MASK: as it is, and as it stands inside a JSON string or an SQL literal (longest secrets first, from the caller). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || !out.includes(s)) continue;
    out = out.split(s).join(MASK);
  }
  // The same values as they stand inside a JSON string or an SQL literal.
  for (const s of secrets) {
    if (!s) continue;
    for (const form of [JSON.stringify(s).slice(1, -1), s.replace(/'/g, "''")]) if (form !== s) out = out.split(form).join(MASK);
  }
  return out;
}

function transform(resource: ResourceDef, model: Record<string, Json>, edit: (parent: Json, key: string) => void): Record<string, Json> {
  if (resource.writeOnlyProperties.length === 0) return model;
  const copy = structuredClone(model);
  for (const pointer of resource.writeOnlyProperties) visit(copy, schemaPointerToPath(pointer), edit);
  return copy;
}

function visit(node: Json, path: string[], at: (parent: Json, key: string) => void): void {
  if (path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  // `basicAuthParameters.password` is the service's Password too: match keys without case.
  const keys = head === '*' ? childKeys(node) : isRecord(node) ? Object.keys(node).filter((k) => k.toLowerCase() === head.toLowerCase()) : [head];
  for (const k of keys) {
    if (!hasChild(node, k)) continue;
    if (rest.length === 0) at(node, k);
    else visit((node as Record<string, Json>)[k], rest, at);
  }
}

function childKeys(node: Json): string[] {
  if (Array.isArray(node)) return node.map((_, i) => String(i));
  if (isRecord(node)) return Object.keys(node);
  return [];
}

function hasChild(node: Json, key: string): boolean {
  if (Array.isArray(node)) return /^\d+$/.test(key) && Number(key) < node.length;
  return isRecord(node) && Object.prototype.hasOwnProperty.call(node, key);
}

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function collectStrings(v: Json, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (isRecord(v)) for (const x of Object.values(v)) collectStrings(x, out);
}

/** Patch values at write-only locations, masked, for dry runs. */
export function maskPatch(resource: ResourceDef, ops: readonly PatchOp[]): PatchOp[] {
  return ops.map((op) => {
    if (!('value' in op)) return op;
    const path = parsePointer(op.path);
    const root: Record<string, unknown> = {};
    let cursor: Record<string, unknown> = root;
    path.forEach((seg, i) => {
      if (i === path.length - 1) cursor[seg] = op.value;
      else cursor = (cursor[seg] = {}) as Record<string, unknown>;
    });
    let masked: unknown = maskWriteOnly(resource, root);
    for (const seg of path) masked = isRecord(masked) || Array.isArray(masked) ? (masked as Record<string, unknown>)[seg] : MASK;
    return { ...op, value: masked === undefined ? MASK : masked };
  });
}

export function patchSecrets(resource: ResourceDef, ops: readonly PatchOp[]): string[] {
  const masked = maskPatch(resource, ops);
  const out: string[] = [];
  ops.forEach((op, i) => {
    if ('value' in op && JSON.stringify(op.value) !== JSON.stringify(masked[i]!.value)) {
      const prop = op.path.split('/')[1] ?? '';
      out.push(...writeOnlyValues(resource, { [prop]: op.value }));
      if (typeof op.value === 'string') out.push(op.value);
    }
  });
  return out;
}

/**
 * True when the model pointer `pointer` (`/AuthParameters/BasicAuthParameters`) is, holds or
 * lies inside a write-only location. Keys compare without case, as services often read them.
 */
export function touchesWriteOnly(resource: ResourceDef, pointer: string): boolean {
  const path = parsePointer(pointer).map((s) => s.toLowerCase());
  return resource.writeOnlyProperties.some((wo) => {
    const secret = schemaPointerToPath(wo).map((s) => s.toLowerCase());
    const n = Math.min(path.length, secret.length);
    for (let i = 0; i < n; i++) {
      if (secret[i] !== '*' && secret[i] !== path[i] && !(/^\d+$/.test(path[i]!) && secret[i] === '*')) return false;
    }
    return true;
  });
}
