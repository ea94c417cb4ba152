/**
 * A Session runs scripts: it splits them into statements and sends each to the right executor
 * (catalog statements such as SHOW/DESCRIBE, SQL over provider tables, or engine-only SQL).
 * cli/ (exec, shell) and server/ drive everything through this one seam.
 *
 * A session owns one engine (started on the first statement that needs it, so SHOW never pays
 * for it) and one Cloud Control client; close() releases both.
 */
import type { ResourceDef } from '../catalog/types.js';
import { Catalog } from '../catalog/loader.js';
import type { CloudControl } from '../aws/cloudcontrol.js';
import { DEFAULT_CONCURRENCY } from '../aws/limits.js';
import { openEngine, type Engine } from '../engine/engine.js';
import { CcqlError, toCcqlError } from '../errors.js';
import { columnNames } from '../plan/columns.js';
import { analyze } from '../sql/analyze.js';
import { readHints } from '../sql/hints.js';
import { loadParser, locate, parseStatement } from '../sql/parser.js';
import { PositionedError } from '../sql/positioned-error.js';
import { splitScript } from '../sql/split.js';
import type { ExecOptions, StatementContext } from './context.js';
import { runDelete } from './delete.js';
import { runInsert } from './insert.js';
import { runUpdate } from './update.js';
import { engineError, runQuery, toResult } from './query.js';
import type { Notice, RunHooks, StatementResult } from '../result.js';

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
  /** Most API calls in flight at once (default 16). */
  concurrency?: number;
  /** Most API calls per second per region (default: no client-side limit; the SDK backs off on throttling). */
  rateLimit?: number;
  /** Attempts per API call, the first included (default 10). */
  maxAttempts?: number;
  /** Credentials instead of the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where the engine's initialized data directory is cached (default $CCQL_HOME/cache). */
  engineCacheDir?: string;
}

export class Session {
  readonly catalog: Catalog;
  readonly options: SessionOptions;
  private enginePromise: Promise<Engine> | undefined;
  private providers: string[] | undefined;
  private statements = 0;
  private cc: CloudControl | undefined;
  /** The AWS SDK costs ~80 ms to load: only statements over provider tables pay for it. */
  private ccModule: typeof import('../aws/cloudcontrol.js') | undefined;

  constructor(options: SessionOptions = {}) {
    this.options = { ...options };
    this.catalog = options.catalog ?? new Catalog();
  }

  /** Runs every statement of `script` in order, yielding each result; stops at the first error. */
  async *run(script: string, hooks: RunHooks = {}): AsyncGenerator<StatementResult> {
    for (const stmt of splitScript(script)) {
      hooks.signal?.throwIfAborted();
      yield await this.runStatement(stmt.text, hooks, { line: stmt.line, column: stmt.column });
    }
  }

  /**
   * Runs one statement. `at` is where it starts in the user's script (1-based), so that errors
   * point at the right line and column.
   */
  async runStatement(text: string, hooks: RunHooks = {}, at: { line: number; column: number } = { line: 1, column: 1 }): Promise<StatementResult> {
    const { parseCatalogStatement } = await import('../sql/catalog-statement.js');
    const catalogStmt = parseCatalogStatement(text);
    if (catalogStmt) {
      const { runCatalogStatement } = await import('./catalog-statements.js');
      return runCatalogStatement(catalogStmt, this.catalog);
    }
    if (hooks.signal?.aborted) throw new CcqlError('cancelled', 'statement cancelled');
    try {
      return await this.runSql(text, hooks, at);
    } catch (e) {
      throw located(e, text, at);
    }
  }

  /** Dry-run on or off for the statements that follow (the shell's `\dryrun`). */
  setDryRun(on: boolean): void {
    this.options.dryRun = on;
  }

  async close(): Promise<void> {
    this.cc?.destroy();
    this.cc = undefined;
    const engine = this.enginePromise;
    this.enginePromise = undefined;
    if (engine) await (await engine.catch(() => undefined))?.close();
  }

  private async runSql(text: string, hooks: RunHooks, at: { line: number; column: number }): Promise<StatementResult> {
    await loadParser();
    const parsed = parseStatement(text, at);
    const resources = new Map<number, ResourceDef>();
    const analysis = analyze(parsed, (parts) => {
      this.providers ??= this.catalog.providerNames();
      if (!this.providers.includes(parts[0].toLowerCase())) return undefined;
      return { columns: columnNames(this.catalog.resource(parts[0], parts[1], parts[2])) };
    });
    for (const ref of analysis.refs) resources.set(ref.id, this.catalog.resource(...ref.parts));
    if (analysis.refs.length > 0) this.ccModule ??= await import('../aws/cloudcontrol.js');

    const notice = (n: Notice): void => hooks.onNotice?.(n);
    const ctx: StatementContext = {
      text,
      parsed,
      analysis,
      hints: readHints(parsed.tokens),
      resources,
      options: this.execOptions(),
      hooks,
      cloudControl: () => this.cloudControl(),
      engine: () => this.engine(),
      notice,
      statementId: ++this.statements,
    };

    if (analysis.refs.length === 0) {
      // No provider table: the statement goes to the engine exactly as written.
      const engine = await this.engine();
      try {
        const result = toResult(await engine.query(text, { onNotice: notice }));
        return { ...result, command: commandTag(parsed.kind, parsed.stmt[parsed.kind], result.command) };
      } catch (e) {
        throw engineError(e, ctx);
      }
    }
    if (analysis.target) {
      if (parsed.kind === 'InsertStmt') return runInsert(ctx);
      if (parsed.kind === 'UpdateStmt') return runUpdate(ctx);
      if (parsed.kind === 'DeleteStmt') return runDelete(ctx);
    }
    return runQuery(ctx);
  }

  private execOptions(): ExecOptions {
    return {
      region: this.options.region,
      regionSource: this.options.regionSource,
      dryRun: this.options.dryRun ?? false,
      strict: this.options.strict ?? false,
      concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
    };
  }

  private engine(): Promise<Engine> {
    this.enginePromise ??= openEngine(this.options.engineCacheDir ? { cacheDir: this.options.engineCacheDir } : {});
    return this.enginePromise;
  }

  private cloudControl(): CloudControl {
    if (!this.ccModule) throw new CcqlError('internal', 'the Cloud Control client was used before it was loaded');
    this.cc ??= new this.ccModule.CloudControl({
      ...(this.options.endpointUrl ? { endpointUrl: this.options.endpointUrl } : {}),
      ...(this.options.concurrency ? { concurrency: this.options.concurrency } : {}),
      ...(this.options.rateLimit ? { rateLimit: this.options.rateLimit } : {}),
      ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
    });
    return this.cc;
  }
}

/** Postgres' full command tag where the engine reports only the verb (`CREATE` → `CREATE TABLE`). */
function commandTag(kind: string, body: unknown, tag: string): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const objectWord: Record<string, string> = {
    OBJECT_TABLE: 'TABLE',
    OBJECT_VIEW: 'VIEW',
    OBJECT_INDEX: 'INDEX',
    OBJECT_SEQUENCE: 'SEQUENCE',
    OBJECT_SCHEMA: 'SCHEMA',
    OBJECT_FUNCTION: 'FUNCTION',
    OBJECT_TYPE: 'TYPE',
    OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  };
  switch (kind) {
    case 'CreateStmt':
      return 'CREATE TABLE';
    case 'ViewStmt':
      return 'CREATE VIEW';
    case 'IndexStmt':
      return 'CREATE INDEX';
    case 'CreateSchemaStmt':
      return 'CREATE SCHEMA';
    case 'CreateFunctionStmt':
      return 'CREATE FUNCTION';
    case 'DropStmt': {
      const word = objectWord[String(b.removeType)];
      return word ? `DROP ${word}` : tag;
    }
    case 'AlterTableStmt': {
      const word = objectWord[String(b.objtype)];
      return word ? `ALTER ${word}` : tag;
    }
    default:
      return tag;
  }
}

/** A statement's error with its position turned into the script's line and column. */
function located(e: unknown, text: string, at: { line: number; column: number }): CcqlError {
  const err = toCcqlError(e);
  if (!(err instanceof PositionedError)) return err;
  return new CcqlError(err.code, err.message, {
    ...(err.hint ? { hint: err.hint } : {}),
    sqlstate: err.sqlstate,
    details: [...err.details],
    location: locate(text, err.offset, at),
    cause: err.cause,
  });
}
