/**
 * The property-level difference between what a resource's create statement asks for and what
 * the resource has now: the properties the statement sets whose values differ. Write-only
 * properties cannot be read back and are left out; lists of `{Key, Value}` tags compare without
 * regard to order, as AWS returns tags in any order; objects compare key by key, so a property
 * AWS fills in with a default the statement does not set is not a difference.
 */
import type { ResourceDef } from '../catalog/types.js';
import { stripWriteOnly } from '../schema/write-only.js';

export interface PropertyChange {
  property: string;
  before: unknown;
  after: unknown;
}

export function propertyDiff(resource: ResourceDef, desired: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): PropertyChange[] {
  const wanted = stripWriteOnly(resource, { ...desired });
  const changes: PropertyChange[] = [];
  for (const [property, after] of Object.entries(wanted)) {
    if (after === undefined) continue;
    const before = current[property];
    if (!sameValue(after, before)) changes.push({ property, before: before ?? null, after });
  }
  return changes;
}

/** `after` (what is asked for) holds for `before` (what is there). */
export function sameValue(after: unknown, before: unknown): boolean {
  if (after === null || after === undefined) return before === null || before === undefined;
  if (Array.isArray(after)) {
    if (!Array.isArray(before) || before.length !== after.length) return false;
    if (after.every(isTag) && before.every(isTag)) {
      const key = (t: Record<string, unknown>): string => `${String(t.Key)}\u0000${String(t.Value)}`;
      const a = after.map((t) => key(t as Record<string, unknown>)).sort();
      const b = before.map((t) => key(t as Record<string, unknown>)).sort();
      return a.every((x, i) => x === b[i]);
    }
    return after.every((x, i) => sameValue(x, before[i]));
  }
  if (typeof after === 'object') {
    if (before === null || typeof before !== 'object' || Array.isArray(before)) return false;
    const b = before as Record<string, unknown>;
    return Object.entries(after as Record<string, unknown>).every(([k, v]) => sameValue(v, b[k]));
  }
  // Values from templates are text: 5 and '5', true and 'true' are the same value.
  return String(after) === String(before);
}

function isTag(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'Key' in v && Object.keys(v).every((k) => k === 'Key' || k === 'Value');
}
