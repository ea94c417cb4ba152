/**
 * What every connection of one server shares: the options, the session factory, the provider
 * schemas, the connection count and the cancel keys. connection.ts sees only this interface.
 */
import type { SecureContext } from 'node:tls';
import type { Session } from '../exec/session.js';
import type { ProviderSchemaIndex } from './catalog-schemas.js';
import type { ScramSecret } from './scram.js';

export interface ConnectionLimits {
  /** SCRAM credentials; undefined: no authentication (loopback only). */
  auth: { user: string; secret: ScramSecret } | undefined;
  tlsRequired: boolean;
  allowMutations: boolean;
  maxMessageBytes: number;
  statementTimeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  startupTimeoutMs: number;
}

export interface Cancellable {
  cancel(): void;
}

export interface ServerContext {
  readonly options: ConnectionLimits;
  readonly secureContext: SecureContext | undefined;
  readonly index: ProviderSchemaIndex;
  readonly serverVersion: string;
  /** Seeds the salts answered for unknown users (so they look like known ones). */
  readonly mockKey: Buffer;
  /** A Session for one connection: the one place to switch to a shared engine. */
  createSession(): Session;
  /** Counts a connection in; false past --max-connections. */
  admit(): boolean;
  release(): void;
  /** BackendKeyData for a connection. */
  register(connection: Cancellable): { pid: number; secret: number };
  unregister(pid: number): void;
  /** A CancelRequest: cancels the statement of the connection with that key, if the key matches. */
  cancel(pid: number, secret: number): void;
  log(message: string): void;
}
