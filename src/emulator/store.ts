/**
 * The emulator's state: resources per region and type, and the log of resource requests.
 * Everything lives in memory; `snapshot()`/`restore()` give the JSON form a data file holds.
 *
 * Types of a global namespace (IAM, Organizations, Route 53, CloudFront, S3 bucket names: see
 * formats.ts) have one table for every region: a role created through us-west-2 is found through
 * us-east-1, and a bucket name is taken everywhere at once. Callers pass the region of the
 * request as for any type; the store maps it.
 */
import type { JsonObject } from '../schema/pointer.js';
import { isGlobalType } from './formats.js';

/** The region key global types are kept under (also what a snapshot records for them). */
export const GLOBAL_SCOPE = 'global';

export interface StoredResource {
  /** Creation order across the whole store; list pagination walks it. */
  seq: number;
  identifier: string;
  /** The full model, write-only properties included (they are stripped on the way out). */
  model: JsonObject;
  /** Top-level properties the emulator made up that are not read-only (an identifier left out). */
  generated?: string[];
}

export type OperationName = 'CREATE' | 'UPDATE' | 'DELETE';
export type OperationStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'CANCEL_IN_PROGRESS' | 'CANCEL_COMPLETE';

export interface RequestRecord {
  token: string;
  region: string;
  typeName: string;
  operation: OperationName;
  status: OperationStatus;
  /** Known from the start for updates, deletes and creates whose identifier the caller chose. */
  identifier?: string;
  /** Shown only once the request has succeeded (a create whose identifier was generated). */
  identifierHidden?: boolean;
  /** Epoch milliseconds of the last status change. */
  eventTime: number;
  /** When an in-flight request completes (epoch milliseconds). */
  dueAt: number;
  clientToken?: string;
  /** Canonical form of the request, to tell a retry from a different request with the same token. */
  fingerprint: string;
  errorCode?: string;
  statusMessage?: string;
  /** The model the request will write (create/update), write-only properties included. */
  pendingModel?: JsonObject;
  pendingGenerated?: string[];
  /** The resource model shown in the progress event once it succeeded (write-only stripped). */
  resourceModel?: string;
}

export interface StoreSnapshot {
  format: 'ccql-emulator';
  version: 1;
  seq: number;
  resources: Array<{ region: string; typeName: string; identifier: string; seq: number; model: JsonObject; generated?: string[] }>;
  requests: RequestRecord[];
}

export class ResourceStore {
  private seq = 0;
  /** `region\ntypeName` → identifier → resource. */
  private readonly tables = new Map<string, Map<string, StoredResource>>();
  readonly requests = new Map<string, RequestRecord>();
  /** `region\nclientToken` → request token. */
  readonly clientTokens = new Map<string, string>();

  /** The region a type's resources are kept under: the request's, or GLOBAL_SCOPE. */
  scopeOf(region: string, typeName: string): string {
    return isGlobalType(typeName) ? GLOBAL_SCOPE : region;
  }

  private table(region: string, typeName: string, create: true): Map<string, StoredResource>;
  private table(region: string, typeName: string, create: false): Map<string, StoredResource> | undefined;
  private table(region: string, typeName: string, create: boolean): Map<string, StoredResource> | undefined {
    const key = `${this.scopeOf(region, typeName)}\n${typeName}`;
    let t = this.tables.get(key);
    if (!t && create) {
      t = new Map();
      this.tables.set(key, t);
    }
    return t;
  }

  get(region: string, typeName: string, identifier: string): StoredResource | undefined {
    return this.table(region, typeName, false)?.get(identifier);
  }

  /** Inserts a resource, or replaces one keeping its place in listing order. */
  put(region: string, typeName: string, identifier: string, model: JsonObject, generated: string[] = [], previousIdentifier?: string): StoredResource {
    const t = this.table(region, typeName, true);
    const prev = t.get(previousIdentifier ?? identifier);
    if (prev && previousIdentifier !== undefined && previousIdentifier !== identifier) t.delete(previousIdentifier);
    const r: StoredResource = { seq: prev?.seq ?? ++this.seq, identifier, model };
    if (generated.length > 0) r.generated = generated;
    t.set(identifier, r);
    return r;
  }

  delete(region: string, typeName: string, identifier: string): boolean {
    return this.table(region, typeName, false)?.delete(identifier) ?? false;
  }

  /** Resources of a type in a region, oldest first. */
  list(region: string, typeName: string): StoredResource[] {
    const t = this.table(region, typeName, false);
    if (!t) return [];
    return [...t.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Linear scan for lookups by additional identifiers. */
  find(region: string, typeName: string, match: (r: StoredResource) => boolean): StoredResource | undefined {
    const t = this.table(region, typeName, false);
    if (!t) return undefined;
    for (const r of t.values()) if (match(r)) return r;
    return undefined;
  }

  resourceCount(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  addRequest(r: RequestRecord): void {
    this.requests.set(r.token, r);
    if (r.clientToken) this.clientTokens.set(`${r.region}\n${r.clientToken}`, r.token);
  }

  /** Forgets the oldest finished requests beyond `keep`, as the real service forgets old ones. */
  pruneRequests(keep: number): void {
    if (this.requests.size <= keep) return;
    for (const [token, r] of this.requests) {
      if (this.requests.size <= keep) break;
      if (r.status === 'IN_PROGRESS' || r.status === 'PENDING') continue;
      this.requests.delete(token);
      if (r.clientToken) this.clientTokens.delete(`${r.region}\n${r.clientToken}`);
    }
  }

  clear(): void {
    this.tables.clear();
    this.requests.clear();
    this.clientTokens.clear();
    this.seq = 0;
  }

  snapshot(): StoreSnapshot {
    const resources: StoreSnapshot['resources'] = [];
    for (const [key, t] of this.tables) {
      const [region = '', typeName = ''] = key.split('\n');
      for (const r of t.values()) {
        resources.push({ region, typeName, identifier: r.identifier, seq: r.seq, model: r.model, ...(r.generated ? { generated: r.generated } : {}) });
      }
    }
    resources.sort((a, b) => a.seq - b.seq);
    return { format: 'ccql-emulator', version: 1, seq: this.seq, resources, requests: [...this.requests.values()] };
  }

  restore(s: StoreSnapshot): void {
    this.clear();
    this.seq = s.seq;
    for (const r of s.resources) {
      const stored: StoredResource = { seq: r.seq, identifier: r.identifier, model: r.model };
      if (r.generated) stored.generated = r.generated;
      this.table(r.region, r.typeName, true).set(r.identifier, stored);
      if (r.seq > this.seq) this.seq = r.seq;
    }
    for (const req of s.requests) this.addRequest(req);
  }
}
