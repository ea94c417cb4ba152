/**
 * What running one plan needs: the session's options, the resource API and engine (both made
 * on first use), the hooks, and where notices go.
 */
import type { NativeApi } from '../aws/native.js';
import type { ResourceApi } from '../aws/resource-api.js';
import type { Engine } from '../engine/engine.js';
import type { Notice, RunHooks } from '../result.js';

export interface ExecOptions {
  region: string | undefined;
  strict: boolean;
  concurrency: number;
  /** Most API calls one statement may make. */
  maxCalls: number;
}

export interface ExecContext {
  options: ExecOptions;
  hooks: RunHooks;
  /** Cloud Control, which serves every generated method (made on first use). */
  api(): ResourceApi;
  /** The native AWS SDK clients, which serve native methods (made on first use). */
  native(): NativeApi;
  /**
   * A secret the statement came to hold (a token a native call returned): no error or notice of
   * the statement may show it from now on.
   */
  secret(value: string): void;
  /** The engine, starting it on first use (call early: it starts while API calls run). */
  engine(): Promise<Engine>;
  notice(n: Notice): void;
  /** Provider table names as the user wrote them, by engine table name, for engine messages. */
  tableNames: ReadonlyMap<string, string>;
  /** Column names of the statement's provider tables, for "did you mean" hints. */
  columnNames: readonly string[];
}
