/**
 * A Session runs scripts: it splits them into statements and sends each to the right executor
 * (catalog statements such as SHOW/DESCRIBE, SQL over provider tables, or engine-only SQL).
 * cli/ (exec, shell) and server/ drive everything through this one seam.
 *
 * A session owns one engine session on the process's shared engine (started on the first
 * statement that needs it, so SHOW never pays for it) and one Cloud Control client; close()
 * releases both.
 */
import { Catalog } from '../catalog/loader.js';
import type { ClientOptions } from '../aws/client-config.js';
import type { CloudControl } from '../aws/cloudcontrol.js';
import type { NativeApi } from '../aws/native.js';
import type { Engine } from '../engine/engine.js';
import { CcqlError, toCcqlError } from '../errors.js';
import { tableShape } from '../plan/columns.js';
import type { PassthroughPlan, StatementPlan } from '../plan/plan.js';
import type { CatalogNode, StatementNode } from '../sql/ir.js';
import { lowerStatement, originalOffset } from '../sql/lower.js';
import { scrubError, scrubNotice, statementSecrets } from '../plan/secrets.js';
import { lineColumn, splitScript } from '../sql/split.js';
import { StatementCache } from '../sql/statement-cache.js';
import type { ExecContext } from './context.js';
import type { Notice, RunHooks, StatementResult } from '../result.js';

type Pipeline = typeof import('./pipeline.js');

export interface SessionOptions {
  catalog?: Catalog;
  /** Cloud Control endpoint (--endpoint-url, CCQL_ENDPOINT_URL, or the in-process emulator). */
  endpointUrl?: string;
  /** Default region when a statement names none (--region or the SDK's resolution). */
  region?: string;
  /** Where `region` came from, for messages: "--region", "AWS_REGION", "profile default"… */
  regionSource?: string;
  /**
   * Finds `region` and `regionSource` when a statement first needs a default region (reading
   * the AWS profile costs start-up time that SHOW and DESCRIBE need not pay).
   */
  resolveRegion?: () => Promise<{ region: string | undefined; source: string | undefined }>;
  /** Print the calls that would be made, make none. */
  dryRun?: boolean;
  /** Fail the statement when any region or row fails, instead of returning the other rows. */
  strict?: boolean;
  /** Most API calls in flight at once in each region (default 16). */
  concurrency?: number;
  /** Most API calls per second per region (default: no client-side limit; the SDK backs off on throttling). */
  rateLimit?: number;
  /** Attempts per API call, the first included (default 10). */
  maxAttempts?: number;
  /** Most API calls one statement may make (default 10,000): a bound on fan-out. */
  maxCalls?: number;
  /** Seconds to wait for one API answer before that attempt fails and is retried (default 30). */
  timeout?: number;
  /** Credentials instead of the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where the engine's initialized data directory is cached (default $CCQL_HOME/cache). */
  engineCacheDir?: string;
  /** The engine: a postgres:// URL (--engine, CCQL_ENGINE), or undefined for the embedded PGlite. */
  engine?: string;
}

/** Lowered statements, per catalog: every session over one catalog (a server's connections) shares them. */
const lowered = new WeakMap<Catalog, StatementCache<StatementNode>>();

export class Session {
  readonly catalog: Catalog;
  readonly options: SessionOptions;
  private enginePromise: Promise<Engine> | undefined;
  private providers: string[] | undefined;
  private statements = 0;
  /** Inside BEGIN … COMMIT/ROLLBACK (as far as the statements show). */
  private inTransaction = false;
  private cc: CloudControl | undefined;
  /** The AWS SDK costs ~80 ms to load: only statements over provider tables pay for it. */
  private ccModule: typeof import('../aws/cloudcontrol.js') | undefined;
  private nativeApi: NativeApi | undefined;
  /** Native SDK clients: loaded by the first statement over a native table, each client package by its first call. */
  private nativeModule: typeof import('../aws/native.js') | undefined;

  constructor(options: SessionOptions = {}) {
    this.options = { ...options };
    this.catalog = options.catalog ?? new Catalog();
  }

  /** Runs every statement of `script` in order, yielding each result; stops at the first error. */
  async *run(script: string, hooks: RunHooks = {}): AsyncGenerator<StatementResult> {
    for (const stmt of splitScript(script)) {
      hooks.signal?.throwIfAborted();
      yield await this.runStatement(stmt.text, hooks, { line: stmt.line, column: stmt.column, offset: stmt.offset });
    }
  }

  /**
   * Runs one statement. `at` is where it starts in the user's script (1-based line and column,
   * 0-based offset), so that errors point at the right place.
   */
  async runStatement(text: string, hooks: RunHooks = {}, at: StatementStart = { line: 1, column: 1, offset: 0 }): Promise<StatementResult> {
    if (hooks.signal?.aborted) throw new CcqlError('cancelled', 'statement cancelled');
    let node: StatementNode | undefined;
    // Grows while the statement runs: a native call may answer with a secret (a token).
    const secrets: string[] = [];
    try {
      node = await this.lower(text);
      // A catalog statement needs neither a plan nor the modules that make and run one.
      if (node.kind === 'catalog') return await this.runCatalog(node);
      if (node.kind !== 'passthrough') await this.defaultRegion();
      const pipeline = await this.pipeline();
      const plan = this.plan(node, pipeline);
      // No provider table: no API call and no secret to mask (a server runs thousands of
      // these a second: they skip what the others need).
      if (plan.kind === 'passthrough') return await this.runPassthrough(plan, hooks, pipeline);
      secrets.push(...statementSecrets(node, this.catalog));
      const guarded = { ...hooks, onNotice: (n: Notice) => hooks.onNotice?.(secrets.length === 0 ? n : scrubNotice(n, secrets)) };
      const learn = (v: string): void => {
        if (v.length < 3 || secrets.includes(v)) return;
        secrets.push(v);
        // Longest first, so that a secret is masked whole before any part of it.
        secrets.sort((a, b) => b.length - a.length);
      };
      return await this.execute(node, plan, guarded, learn, pipeline);
    } catch (e) {
      throw placed(scrubError(inUserText(e, node), secrets), text, at);
    }
  }


  /** The plan of one statement, making no call (EXPLAIN, Describe, tests). */
  async planOf(text: string): Promise<StatementPlan> {
    const node = await this.lower(text);
    if (node.kind !== 'catalog' && node.kind !== 'passthrough') await this.defaultRegion();
    return this.plan(node, await this.pipeline());
  }

  private pipelineModule: Pipeline | undefined;

  private async pipeline(): Promise<Pipeline> {
    return (this.pipelineModule ??= await import('./pipeline.js'));
  }

  private async runCatalog(node: { statement: CatalogNode['statement'] }): Promise<StatementResult> {
    const { runCatalogStatement } = await import('./catalog-statements.js');
    return runCatalogStatement(node.statement, this.catalog);
  }

  /** The default region (undefined: none), found now if it was left to be found on first use. */
  async defaultRegion(): Promise<string | undefined> {
    const resolve = this.options.resolveRegion;
    if (resolve) {
      this.options.resolveRegion = undefined;
      const found = await resolve();
      if (found.region !== undefined) {
        this.options.region = found.region;
        this.options.regionSource = found.source ?? 'unknown';
      }
    }
    return this.options.region;
  }

  private async lower(text: string): Promise<StatementNode> {
    let cache = lowered.get(this.catalog);
    if (!cache) lowered.set(this.catalog, (cache = new StatementCache<StatementNode>()));
    const cached = cache.get(text);
    if (cached) return cached;
    const node = await lowerStatement(text, (parts) => {
      this.providers ??= this.catalog.knownProviderNames();
      if (!this.providers.includes(parts[0].toLowerCase())) return undefined;
      return tableShape(this.catalog.resource(parts[0], parts[1], parts[2]));
    });
    cache.set(text, node);
    return node;
  }

  private plan(node: StatementNode, { planStatement, DEFAULT_MAX_CALLS }: Pipeline): StatementPlan {
    return planStatement(node, {
      catalog: this.catalog,
      options: { defaultRegion: this.options.region, regionSource: this.options.regionSource, statementId: ++this.statements, maxCalls: this.options.maxCalls ?? DEFAULT_MAX_CALLS },
    });
  }

  private async execute(node: StatementNode, plan: StatementPlan, hooks: RunHooks, learn: (secret: string) => void, pipeline: Pipeline): Promise<StatementResult> {
    const { explainResult, dryRunResult, planApis, runQueryPlan, runMutationPlan, DEFAULT_MAX_CALLS } = pipeline;
    const notice = (n: Notice): void => hooks.onNotice?.(n);
    switch (plan.kind) {
      case 'catalog':
        return this.runCatalog(plan);
      case 'explain':
        return explainResult(plan, { rateLimit: this.options.rateLimit, maxCalls: this.options.maxCalls ?? DEFAULT_MAX_CALLS });
      case 'passthrough':
        return this.runPassthrough(plan, hooks, pipeline);
      case 'query':
      case 'mutation':
      case 'exec': {
        if (this.options.dryRun) return dryRunResult(plan);
        if (plan.kind !== 'query' && this.inTransaction) {
          const what = plan.kind === 'exec' ? `EXEC ${plan.name}` : `${plan.operation} on ${plan.target.name}`;
          notice({ severity: 'WARNING', message: `${what} is not part of the transaction: AWS changes are made now, and ROLLBACK will not undo them` });
        }
        const apis = planApis(plan);
        if (apis.cloudcontrol) this.ccModule ??= await import('../aws/cloudcontrol.js');
        if (apis.native) this.nativeModule ??= await import('../aws/native.js');
        const ctx = this.execContext(node, hooks, notice, learn, pipeline);
        if (plan.kind === 'exec') {
          const { runExecPlan } = await import('./exec-method.js');
          return runExecPlan(plan, ctx);
        }
        return plan.kind === 'query' ? runQueryPlan(plan, ctx) : runMutationPlan(plan, ctx);
      }
    }
  }

  /** A statement without provider tables: it goes to the engine exactly as written. */
  private async runPassthrough(plan: PassthroughPlan, hooks: RunHooks, { toResult, engineError }: Pipeline): Promise<StatementResult> {
    if (plan.transaction) this.inTransaction = plan.transaction === 'begin';
    const engine = await this.engine();
    try {
      const result = toResult(await engine.query(plan.sql, { onNotice: hooks.onNotice, signal: hooks.signal }));
      return result.kind === 'command' && plan.commandTag && !result.command.includes(' ') ? { ...result, command: plan.commandTag } : result;
    } catch (e) {
      throw engineError(e, { tableNames: new Map(), columnNames: [] });
    }
  }

  private execContext(node: StatementNode, hooks: RunHooks, notice: (n: Notice) => void, learn: (secret: string) => void, pipeline: Pipeline): ExecContext {
    const { resourcesOf, engineTableName, tableColumns, DEFAULT_CONCURRENCY, DEFAULT_MAX_CALLS } = pipeline;
    const tableNames = new Map<string, string>();
    const columns = new Set<string>();
    if (node.kind === 'query' || node.kind === 'insert' || node.kind === 'update' || node.kind === 'delete') {
      const resources = resourcesOf(node, { catalog: this.catalog, options: { defaultRegion: undefined, regionSource: undefined, statementId: this.statements, maxCalls: Infinity } });
      for (const r of node.refs) {
        tableNames.set(engineTableName({ statementId: this.statements }, r), r.name);
        for (const c of tableColumns(resources.get(r.id)!)) columns.add(c.name);
      }
    }
    return {
      options: {
        region: this.options.region,
        strict: this.options.strict ?? false,
        concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
        maxCalls: this.options.maxCalls ?? DEFAULT_MAX_CALLS,
      },
      hooks,
      api: () => this.cloudControl(),
      native: () => this.native(),
      secret: learn,
      engine: () => this.engine(),
      notice,
      tableNames,
      columnNames: [...columns],
    };
  }

  /** Dry-run on or off for the statements that follow (the shell's `\dryrun`). */
  setDryRun(on: boolean): void {
    this.options.dryRun = on;
  }

  async close(): Promise<void> {
    this.cc?.destroy();
    this.cc = undefined;
    this.nativeApi?.destroy();
    this.nativeApi = undefined;
    const engine = this.enginePromise;
    this.enginePromise = undefined;
    if (engine) await (await engine.catch(() => undefined))?.close();
  }

  private engine(): Promise<Engine> {
    if (!this.enginePromise) {
      const opened = this.pipeline().then(({ openEngine }) => openEngine({ url: this.options.engine, cacheDir: this.options.engineCacheDir }));
      // A failed open (a server that is down) is tried again by the next statement.
      opened.catch(() => this.enginePromise === opened && (this.enginePromise = undefined));
      this.enginePromise = opened;
    }
    return this.enginePromise;
  }

  private cloudControl(): CloudControl {
    if (!this.ccModule) throw new CcqlError('internal', 'the Cloud Control client was used before it was loaded');
    this.cc ??= new this.ccModule.CloudControl(this.clientOptions());
    return this.cc;
  }

  private native(): NativeApi {
    if (!this.nativeModule) throw new CcqlError('internal', 'the native API clients were used before they were loaded');
    this.nativeApi ??= new this.nativeModule.NativeApi(this.clientOptions());
    return this.nativeApi;
  }

  /** One configuration for every AWS client of the session: the same endpoint and credentials for all. */
  private clientOptions(): ClientOptions {
    return {
      ...(this.options.endpointUrl ? { endpointUrl: this.options.endpointUrl } : {}),
      ...(this.options.concurrency ? { concurrency: this.options.concurrency } : {}),
      ...(this.options.rateLimit ? { rateLimit: this.options.rateLimit } : {}),
      ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
      ...(this.options.timeout ? { requestTimeoutMs: this.options.timeout * 1000 } : {}),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
    };
  }
}

/**
 * A statement's error placed in the script: its offset in the statement (or, for catalog
 * statements, its line and column there) becomes the script's line and column.
 */
/** An error's offset in the user's own text, where the statement's reserved-word columns were quoted. */
function inUserText(e: unknown, node: StatementNode | undefined): unknown {
  const inserted = node && 'inserted' in node ? node.inserted : undefined;
  if (!inserted || !(e instanceof CcqlError) || e.location?.offset === undefined) return e;
  return e.relocated({ ...e.location, offset: originalOffset(e.location.offset, inserted) });
}

export interface StatementStart {
  line: number;
  column: number;
  offset?: number;
}

function placed(e: unknown, text: string, at: StatementStart): CcqlError {
  const err = toCcqlError(e);
  const loc = err.location;
  if (!loc || loc.file !== undefined) return err;
  let inStatement: { line: number; column: number };
  let offset: number | undefined;
  if (loc.offset !== undefined) {
    inStatement = lineColumn(text, loc.offset);
    offset = (at.offset ?? 0) + loc.offset;
  } else if (loc.line !== undefined) inStatement = { line: loc.line, column: loc.column ?? 1 };
  else return err;
  const line = at.line + inStatement.line - 1;
  const column = inStatement.line === 1 ? at.column + inStatement.column - 1 : inStatement.column;
  return err.relocated({ ...loc, line, column, ...(offset !== undefined ? { offset } : {}) });
}
