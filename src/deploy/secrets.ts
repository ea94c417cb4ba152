/**
 * Values no output may show: write-only properties of the statements a deploy renders (API
 * keys, passwords, as the resource schemas mark them) and the values of `protected` exports and
 * props. Every line, query, plan and error a deploy prints goes through `scrub`.
 */
import type { ResourceDef } from '../catalog/types.js';
import type { CcqlError } from '../errors.js';
import { scrubError } from '../plan/secrets.js';
import { MASK, scrub, writeOnlyValues } from '../schema/write-only.js';

export { MASK };

export class Secrets {
  private values: string[] = [];

  /** Adds the strings in `v` (any JSON value) of at least 3 characters. */
  add(v: unknown): void {
    const out: string[] = [];
    collect(v, out);
    let changed = false;
    for (const s of out) {
      if (s.length >= 3 && !this.values.includes(s)) {
        this.values.push(s);
        changed = true;
      }
    }
    // Longest first, so that a secret is masked whole before any part of it.
    if (changed) this.values.sort((a, b) => b.length - a.length);
  }

  /** The write-only values of a desired state. */
  addWriteOnly(resource: ResourceDef, state: Readonly<Record<string, unknown>>): void {
    this.add(writeOnlyValues(resource, { ...state }));
  }

  has(s: string): boolean {
    return this.values.includes(s);
  }

  scrub(text: string): string {
    return scrub(text, this.values);
  }

  /** A copy of a JSON value with secret strings masked. */
  mask<T>(v: T): T {
    if (typeof v === 'string') return this.scrub(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.mask(x)) as T;
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.mask(x)])) as T;
    return v;
  }

  scrubError(e: CcqlError): CcqlError {
    return scrubError(e, this.values) as CcqlError;
  }

}

function collect(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collect(x, out);
}
