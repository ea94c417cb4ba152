/**
 * A Session runs scripts: it splits them into statements and sends each to the right executor
 * (catalog statements such as SHOW/DESCRIBE, SQL over provider tables, or engine-only SQL).
 * cli/ (exec, shell) and server/ drive everything through this one seam.
 */
import { Catalog } from '../catalog/loader.js';
import { CcqlError } from '../errors.js';
import { splitScript } from '../sql/split.js';
import type { RunHooks, StatementResult } from './result.js';

export interface SessionOptions {
  catalog?: Catalog;
  /** Cloud Control endpoint (--endpoint-url, CCQL_ENDPOINT_URL, or the in-process emulator). */
  endpointUrl?: string;
  /** Default region when a statement names none (--region or the SDK's resolution). */
  region?: string;
  /** Where `region` came from, for messages: "--region", "AWS_REGION", "profile default"… */
  regionSource?: string;
  /** Print the calls that would be made, make none. */
  dryRun?: boolean;
  /** Fail the statement when any region or row fails, instead of returning the other rows. */
  strict?: boolean;
  /** Most API calls in flight at once. */
  concurrency?: number;
}

export class Session {
  readonly catalog: Catalog;
  readonly options: SessionOptions;

  constructor(options: SessionOptions = {}) {
    this.options = options;
    this.catalog = options.catalog ?? new Catalog();
  }

  /** Runs every statement of `script` in order, yielding each result; stops at the first error. */
  async *run(script: string, hooks: RunHooks = {}): AsyncGenerator<StatementResult> {
    for (const stmt of splitScript(script)) {
      hooks.signal?.throwIfAborted();
      yield await this.runStatement(stmt.text, hooks);
    }
  }

  async runStatement(text: string, _hooks: RunHooks = {}): Promise<StatementResult> {
    const { parseCatalogStatement } = await import('../sql/catalog-statement.js');
    const catalogStmt = parseCatalogStatement(text);
    if (catalogStmt) {
      const { runCatalogStatement } = await import('./catalog-statements.js');
      return runCatalogStatement(catalogStmt, this.catalog);
    }
    throw new CcqlError('not_supported', 'only catalog statements (SHOW, DESCRIBE) are supported so far');
  }

  async close(): Promise<void> {}
}
