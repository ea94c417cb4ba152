/**
 * What a native operation sees of the account: the emulator's one ResourceStore, where a
 * resource Cloud Control also serves is kept under its CloudFormation type and Cloud Control
 * identifier with the CloudFormation property names (so either API sees what the other made),
 * and what only the native API knows (a fleet, a session, the state of a connection) under a
 * type name of the form `native/<service>/<kind>` that no CloudFormation type can have. Both
 * are saved with the rest of the state (`--data`, `--local`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../schema/pointer.js';
import type { ResourceStore } from '../store.js';
import { ACCOUNT_ID } from '../values.js';
import { NativeError } from './errors.js';

/** The one account every API of the emulator serves. */
export const ACCOUNT = ACCOUNT_ID;

/** Store type names of what only the native APIs know. */
export const NATIVE = {
  /** Extras of an AWS::IVS::Channel: its SRT passphrase and the ARNs CloudFormation has no property for. */
  ivsChannel: 'native/ivs/channel',
  /** Extras of an AWS::IVS::Stage CloudFormation has no property for. */
  ivsStage: 'native/ivs-realtime/stage',
  /** State and times of an AWS::Events::Connection. */
  eventsConnection: 'native/events/connection',
  /** An AppStream fleet (CloudFormation's AWS::AppStream::Fleet has no Cloud Control handlers). */
  appstreamFleet: 'native/appstream/fleet',
  /** Creation time of an AWS::AppStream::Stack. */
  appstreamStack: 'native/appstream/stack',
  /** A stack–fleet association, keyed `stack|fleet`. */
  appstreamAssociation: 'native/appstream/stack-fleet',
  /** A streaming session. */
  appstreamSession: 'native/appstream/session',
} as const;

export interface Item {
  seq: number;
  id: string;
  model: JsonObject;
}

export interface ContextOptions {
  region: string;
  now: number;
  store: ResourceStore;
  changed: () => void;
  /** How long STARTING, STOPPING, AUTHORIZING and the like last before the next state. */
  transitionMs: number;
  /** Most items a list operation answers with at once. */
  pageSize: number;
}

/** One call's view of the account, in its region, at one instant. */
export class NativeContext {
  readonly region: string;
  readonly now: number;
  readonly transitionMs: number;
  readonly pageSize: number;
  private readonly store: ResourceStore;
  private readonly changed: () => void;

  constructor(o: ContextOptions) {
    this.region = o.region;
    this.now = o.now;
    this.transitionMs = o.transitionMs;
    this.pageSize = o.pageSize;
    this.store = o.store;
    this.changed = o.changed;
  }

  /** A copy of the stored model (change it, then `put` it back). */
  get(typeName: string, id: string): JsonObject | undefined {
    const r = this.store.get(this.region, typeName, id);
    return r ? structuredClone(r.model) : undefined;
  }

  put(typeName: string, id: string, model: JsonObject, previousId?: string): void {
    this.store.put(this.region, typeName, id, model, [], previousId);
    this.changed();
  }

  delete(typeName: string, id: string): boolean {
    const gone = this.store.delete(this.region, typeName, id);
    if (gone) this.changed();
    return gone;
  }

  /** Copies of the stored models of a type, oldest first. */
  list(typeName: string): Item[] {
    return this.store.list(this.region, typeName).map((r) => ({ seq: r.seq, id: r.identifier, model: structuredClone(r.model) }));
  }

  /**
   * One page of `items` (oldest first) after the position `nextToken` names, and the token of the
   * next page when there is one. A token from another list, region or account is refused with
   * `invalid()`.
   */
  page<T extends { seq: number }>(items: readonly T[], nextToken: string | undefined, limit: number | undefined, scope: string, invalid: () => NativeError): { page: T[]; nextToken?: string } {
    const after = nextToken === undefined ? 0 : decodeToken(nextToken, `${scope}\n${this.region}`, invalid);
    const size = Math.max(1, Math.min(limit ?? this.pageSize, this.pageSize));
    const rest = items.filter((i) => i.seq > after);
    const page = rest.slice(0, size);
    if (rest.length <= size) return { page };
    return { page, nextToken: encodeToken(page[page.length - 1]!.seq, `${scope}\n${this.region}`) };
  }

  arn(service: string, resource: string, account = ACCOUNT): string {
    return `arn:aws:${service}:${this.region}:${account}:${resource}`;
  }
}

function encodeToken(after: number, scope: string): string {
  return Buffer.from(JSON.stringify({ a: after, s: scope })).toString('base64url');
}

function decodeToken(token: string, scope: string, invalid: () => NativeError): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown; s?: unknown };
    if (typeof v.a === 'number' && v.s === scope) return v.a;
  } catch {
    // the error below
  }
  throw invalid();
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random text from an alphabet (mixed-case letters and digits by default). */
export function randomText(n: number, alphabet: string = ALNUM): string {
  const bytes = randomBytes(n * 2);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes.readUInt16LE(i * 2) % alphabet.length];
  return s;
}

export function randomLower(n: number): string {
  return randomText(n, LOWER_ALNUM);
}

export function uuid(): string {
  return randomUUID();
}

/** Native tags (`{"k": "v"}`) as CloudFormation's `[{Key, Value}]`, and back. */
export function tagsToCfn(tags: Record<string, string> | undefined): JsonObject[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

export function tagsFromCfn(tags: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const t of tags) {
    if (t && typeof t === 'object' && !Array.isArray(t) && typeof t.Key === 'string') out[t.Key] = typeof t.Value === 'string' ? t.Value : '';
  }
  return out;
}

/** A state that changes by itself after a while (STARTING → RUNNING): what it is at `now`. */
export interface Transition {
  state: string;
  /** The state reached at `at` (epoch milliseconds). */
  next?: string;
  at?: number;
}

export function currentState(t: Transition, now: number): string {
  return t.next !== undefined && t.at !== undefined && now >= t.at ? t.next : t.state;
}
