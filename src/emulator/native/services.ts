/**
 * The native services the emulator serves beside Cloud Control, each loaded the first time a
 * request names it: its model (what the operations look like on the wire) and its handlers
 * (what they do to the account).
 */
import type { ServiceModel } from './model.js';
import type { NativeContext } from './state.js';

/**
 * Runs one operation on a checked input (its members have the model's types and meet its
 * constraints); returns the output before shaping, or throws NativeError. Synchronous: it runs
 * inside the state's transaction.
 */
export type Handler = (ctx: NativeContext, input: Record<string, unknown>) => unknown;

export interface NativeService {
  model: ServiceModel;
  handlers: Record<string, Handler>;
}

export type NativeServiceName = 'ivs' | 'ivs-realtime' | 'events' | 'appstream';

const loaders: Record<NativeServiceName, () => Promise<NativeService>> = {
  ivs: async () => (await import('./ivs.js')).ivs,
  'ivs-realtime': async () => (await import('./ivs-realtime.js')).ivsRealtime,
  events: async () => (await import('./events.js')).events,
  appstream: async () => (await import('./appstream.js')).appstream,
};

const loaded = new Map<NativeServiceName, Promise<NativeService>>();

export function loadService(name: NativeServiceName): Promise<NativeService> {
  let p = loaded.get(name);
  if (!p) {
    p = loaders[name]();
    loaded.set(name, p);
  }
  return p;
}

/** awsJson1.1 services by the prefix of their `X-Amz-Target` header. */
export const JSON_TARGETS: Readonly<Record<string, NativeServiceName>> = {
  AWSEvents: 'events',
  PhotonAdminProxyService: 'appstream',
};

/** restJson1 services, told apart by their operations' paths (both sign as `ivs`). */
export const REST_SERVICES: readonly NativeServiceName[] = ['ivs', 'ivs-realtime'];
export const REST_SIGNING_NAMES: ReadonlySet<string> = new Set(['ivs']);
