/**
 * Runs a prepared stack: build, test, teardown or plan, every statement through the session
 * (the same plans, limits and secret handling as `ccql exec`).
 *
 *   build     per resource: exists → create, or (not in its desired state) update → statecheck
 *             (with retries) → exports (exactly one row)
 *   test      exists → statecheck → exports: drift is a failure (exit 1)
 *   teardown  exports of every resource first (later ones' delete statements may use them),
 *             then delete in reverse dependency order, each confirmed gone
 *   plan      only the read queries: per resource create / update (the properties that change) /
 *             no change, with the rendered statement; nothing is changed
 *
 * Resources whose templates do not use each other's exports run at the same time (up to
 * `concurrency`); a resource starts once every resource it depends on is done. On a failure,
 * `error` (default) starts nothing more, `rollback` also deletes what this run created (in
 * reverse order), `ignore` goes on with everything that does not depend on the failed resource.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ResourceApi } from '../aws/resource-api.js';
import { CcqlError, toCcqlError } from '../errors.js';
import type { Session } from '../exec/session.js';
import { ccqlHome } from '../home.js';
import type { MutationPlan, StatementPlan } from '../plan/plan.js';
import type { Cell, Notice, RowsResult, RunHooks, StatementResult } from '../result.js';
import { patchSecrets } from '../schema/write-only.js';
import { evaluateCondition } from './condition.js';
import { plannedRequests, runCreate, type CreatedResource } from './create.js';
import { propertyDiff, type PropertyChange } from './diff.js';
import { Journal } from './journal.js';
import type { AnchorName } from './resource-file.js';
import { Secrets } from './secrets.js';
import { dependencyClosure, evaluateGlobals, evaluateProps, idempotencyToken, THIS, type PreparedTemplate, type Stack, type StackResource } from './stack.js';

export type DeployCommand = 'build' | 'test' | 'teardown' | 'plan';
export type OnFailure = 'rollback' | 'ignore' | 'error';

export interface DeployOptions {
  command: DeployCommand;
  stack: Stack;
  session: Session;
  onFailure?: OnFailure;
  /** Render and show every statement, run none. */
  dryRun?: boolean;
  showQueries?: boolean;
  /** Most resources in progress at once (default 8). */
  concurrency?: number;
  report?: (e: DeployEvent) => void;
  signal?: AbortSignal;
  /** Where creation tokens in flight are kept (default $CCQL_HOME/deploy). */
  journalDir?: string;
  /** What the session talks to, so that tokens of one endpoint are never sent to another. */
  target?: string;
  /** The resource API creations go through (default: Cloud Control with the session's connection). */
  api?: ResourceApi;
}

export type Outcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'not found' | 'skipped' | 'ok' | 'drift' | 'failed' | 'ran' | 'not run';

export type DeployEvent =
  | { kind: 'step'; resource: string; step: string; detail: string; ms: number; failed?: boolean }
  | { kind: 'query'; resource: string; step: string; sql: string }
  | { kind: 'created'; resource: string; table: string; region: string; identifier: string }
  | { kind: 'deleted'; resource: string; table: string; region: string; identifier: string; rollback: boolean }
  | { kind: 'resource'; resource: string; outcome: Outcome; ms: number; detail?: string }
  | { kind: 'notice'; resource?: string; message: string };

export interface ResourceResult {
  name: string;
  outcome: Outcome;
  ms: number;
  detail?: string;
}

export type PlanAction = 'create' | 'update' | 'no change' | 'create or update' | 'run' | 'read' | 'skip';

export interface PlanEntry {
  name: string;
  type: string;
  action: PlanAction;
  table?: string;
  region?: string;
  identifier?: string;
  /** For update: the properties that change. */
  changes: PropertyChange[];
  /** The rendered statement that would run (secrets masked). */
  statement?: string;
  note?: string;
}

export interface DryRunEntry {
  resource: string;
  step: string;
  sql: string;
}

export interface DeployResult {
  ok: boolean;
  command: DeployCommand;
  resources: ResourceResult[];
  /** Every export, by name (real values: mask with `secrets` before showing). */
  exports: Record<string, unknown>;
  /** Every resource this run created. */
  created: CreatedResource[];
  /** What rollback deleted, and what it could not. */
  rolledBack: CreatedResource[];
  rollbackFailures: Array<{ created: CreatedResource; error: CcqlError }>;
  plan: PlanEntry[];
  dryRun: DryRunEntry[];
  failure?: CcqlError;
  secrets: Secrets;
  ms: number;
}

interface State {
  r: StackResource;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  exports: Record<string, unknown>;
  this?: Record<string, unknown>;
  /** Plan: it will be created (its exports are not known yet). */
  planned?: boolean;
  /** Teardown: it was not found. */
  missing?: boolean;
  /** Its `if:` condition is false. */
  skipped?: boolean;
  /** Its exports were read after its last change. */
  exportsFresh?: boolean;
}

const DEFAULT_CONCURRENCY = 8;

export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
  const run = new DeployRun(options);
  try {
    return await run.run();
  } finally {
    await run.close();
  }
}

class DeployRun {
  private readonly stack: Stack;
  private readonly session: Session;
  private readonly secrets = new Secrets();
  private readonly states = new Map<string, State>();
  private readonly results: ResourceResult[] = [];
  private readonly created: CreatedResource[] = [];
  private readonly plan: PlanEntry[] = [];
  private readonly dry: DryRunEntry[] = [];
  private globals: Record<string, unknown> = {};
  private failure: CcqlError | undefined;
  private journal: Journal | undefined;
  private apiPromise: Promise<ResourceApi> | undefined;
  private readonly started = Date.now();

  constructor(private readonly options: DeployOptions) {
    this.stack = options.stack;
    this.session = options.session;
    for (const r of this.stack.resources) this.states.set(r.name, { r, status: 'pending', exports: {} });
  }

  async run(): Promise<DeployResult> {
    const rolledBack: CreatedResource[] = [];
    const rollbackFailures: Array<{ created: CreatedResource; error: CcqlError }> = [];
    try {
      this.globals = evaluateGlobals(this.stack);
      // Props and protected values are known before anything runs: mask them from the first line.
      for (const r of this.stack.resources) for (const p of r.props) if (r.protected.has(p.name)) this.learnProtectedProp(r, p.name);
      // The props of resources that use no exports are evaluated now, so that a missing
      // environment variable or a bad merge stops the run before its first change.
      for (const r of this.stack.resources) {
        if (r.dependsOn.size > 0 || r.condition) continue;
        try {
          this.context(this.states.get(r.name)!);
        } catch (e) {
          throw this.placed(r, toCcqlError(e));
        }
      }
      if (this.options.dryRun) {
        // One resource at a time, so that the statements print in the order they would run.
        if (this.options.command === 'teardown') {
          await this.schedule('forward', (st) => this.dryResource(st, ['exists', 'exports']));
          await this.schedule('reverse', (st) => this.dryResource(st, ['delete']));
        } else await this.schedule('forward', (st) => this.dryResource(st));
      } else switch (this.options.command) {
        case 'build':
          await this.schedule('forward', (st) => this.build(st));
          break;
        case 'test':
          await this.schedule('forward', (st) => this.test(st));
          break;
        case 'plan':
          await this.schedule('forward', (st) => this.planResource(st));
          break;
        case 'teardown':
          await this.schedule('forward', (st) => this.collect(st));
          if (!this.failure) await this.schedule('reverse', (st) => this.teardown(st));
          break;
      }
    } catch (e) {
      this.failure ??= this.clean(toCcqlError(e));
    }
    if (this.failure && this.options.onFailure === 'rollback' && this.options.command === 'build' && this.created.length > 0) {
      await this.rollback(rolledBack, rollbackFailures);
    }
    const ok = !this.failure && this.results.every((r) => r.outcome !== 'failed' && r.outcome !== 'drift');
    const exports: Record<string, unknown> = {};
    for (const st of this.states.values()) Object.assign(exports, st.exports);
    // Independent resources run at once and finish in any order: the document lists them in the
    // manifest's (the events, printed as they happen, keep the order of events).
    const place = new Map(this.stack.resources.map((r, i) => [r.name, i]));
    const byManifest = (a: { name: string }, b: { name: string }): number => (place.get(a.name) ?? 0) - (place.get(b.name) ?? 0);
    this.results.sort(byManifest);
    this.plan.sort(byManifest);
    return {
      ok,
      command: this.options.command,
      resources: this.results,
      exports,
      created: this.created,
      rolledBack,
      rollbackFailures,
      plan: this.plan,
      dryRun: this.dry,
      ...(this.failure ? { failure: this.failure } : {}),
      secrets: this.secrets,
      ms: Date.now() - this.started,
    };
  }

  // ---- scheduling ---------------------------------------------------------------------------

  /**
   * Runs `fn` for every resource, each once the resources it depends on are done ('forward'),
   * or once the resources depending on it are done ('reverse'), several at once.
   */
  private async schedule(direction: 'forward' | 'reverse', fn: (st: State) => Promise<void>): Promise<void> {
    const all = this.stack.resources;
    const order = direction === 'forward' ? all : [...all].reverse();
    const settled = new Set<string>();
    const status = new Map<string, 'pending' | 'running' | 'ok' | 'failed' | 'skipped'>(order.map((r) => [r.name, 'pending']));
    const blockers = (r: StackResource): StackResource[] => (direction === 'forward' ? [...r.dependsOn].map((d) => this.stack.byName.get(d)!) : all.filter((x) => x.dependsOn.has(r.name)));
    const limit = this.options.dryRun ? 1 : Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY);
    const running = new Set<Promise<void>>();
    let stop = false;

    const launch = (r: StackResource): void => {
      status.set(r.name, 'running');
      const st = this.states.get(r.name)!;
      st.status = 'running';
      const p = (async () => {
        const t0 = Date.now();
        try {
          await fn(st);
          if (st.status === 'running') st.status = 'done';
          status.set(r.name, st.status === 'skipped' ? 'skipped' : st.status === 'failed' ? 'failed' : 'ok');
          if (st.status === 'failed' && this.options.onFailure !== 'ignore') stop = true;
        } catch (e) {
          const err = this.placed(r, toCcqlError(e));
          st.status = 'failed';
          status.set(r.name, 'failed');
          this.finish(r, 'failed', t0, err.message);
          if (this.options.onFailure === 'ignore') this.notice(r.name, `${r.name} failed; going on (--on-failure ignore)`);
          else stop = true;
          this.failure ??= err;
        }
        settled.add(r.name);
      })();
      running.add(p);
      void p.finally(() => running.delete(p));
    };

    for (;;) {
      if (this.options.signal?.aborted) {
        stop = true;
        this.failure ??= new CcqlError('cancelled', 'deploy cancelled');
      }
      if (!stop) {
        for (const r of order) {
          if (running.size >= limit) break;
          if (status.get(r.name) !== 'pending') continue;
          const bs = blockers(r);
          if (bs.some((b) => !settled.has(b.name))) continue;
          const bad = bs.find((b) => status.get(b.name) === 'failed' || (direction === 'forward' && status.get(b.name) === 'skipped'));
          if (bad) {
            status.set(r.name, direction === 'forward' && status.get(bad.name) === 'skipped' ? 'skipped' : 'failed');
            this.states.get(r.name)!.status = 'skipped';
            settled.add(r.name);
            this.finish(r, direction === 'forward' && status.get(bad.name) === 'skipped' ? 'skipped' : 'not run', Date.now(), `${direction === 'forward' ? 'depends on' : 'is used by'} ${bad.name}, which ${status.get(bad.name) === 'skipped' ? 'was skipped' : 'failed'}`);
            continue;
          }
          launch(r);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
    if (stop) {
      for (const r of order) {
        if (status.get(r.name) === 'pending') this.finish(r, 'not run', Date.now(), this.options.signal?.aborted ? 'cancelled' : 'stopped after a failure');
      }
    }
  }

  // ---- build --------------------------------------------------------------------------------

  private async build(st: State): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    if (!(await this.condition(st, t0))) return;
    switch (r.type) {
      case 'query':
        await this.exportsStep(st, { required: true });
        this.finish(r, 'ok', t0);
        return;
      case 'command':
        await this.mutationStep(st, 'command', r.sql ?? r.anchors.get('command')!);
        this.finish(r, 'ran', t0);
        return;
      case 'script':
        await this.script(st);
        this.finish(r, 'ran', t0);
        return;
    }
    const ignoreErrors = r.type === 'multi';
    await this.learnSecrets(st);
    const createOrUpdate = r.anchors.get('createorupdate');
    if (createOrUpdate) {
      await this.guard(ignoreErrors, st, () => this.mutationStep(st, 'createorupdate', createOrUpdate));
      await this.confirmState(st, 'createorupdate');
      await this.exportsStep(st, { required: true });
      this.finish(r, 'updated', t0, 'create or update');
      return;
    }
    const exists = await this.existsStep(st, { retry: false });
    if (exists) {
      if (r.anchors.has('exports')) await this.exportsStep(st, { required: false });
      const inState = r.spec.skip_validation ? true : await this.inDesiredState(st);
      if (inState) {
        if (!st.exportsFresh) await this.exportsStep(st, { required: true });
        this.finish(r, 'unchanged', t0);
        return;
      }
      const update = r.anchors.get('update');
      if (!update) throw new CcqlError('invalid_input', `${r.name} exists but is not in its desired state, and its file has no /*+ update */ anchor`, { hint: 'add an UPDATE under /*+ update */, or delete the resource and build again' });
      await this.guard(ignoreErrors, st, () => this.mutationStep(st, 'update', update));
      await this.confirmState(st, 'update');
      await this.exportsStep(st, { required: true });
      this.finish(r, 'updated', t0);
      return;
    }
    const created = await this.guard(ignoreErrors, st, () => this.createStep(st));
    if (created === undefined) {
      this.finish(r, 'skipped', t0, 'create failed, ignored (multi)');
      return;
    }
    await this.confirmState(st, 'create');
    await this.exportsStep(st, { required: true });
    this.finish(r, 'created', t0, created.map((c) => c.identifier).join(', '));
  }

  /** multi resources go on after a failed create or update. */
  private async guard<T>(ignore: boolean, st: State, fn: () => Promise<T>): Promise<T | undefined> {
    if (!ignore) return fn();
    try {
      return await fn();
    } catch (e) {
      this.notice(st.r.name, `${st.r.name}: ${this.clean(toCcqlError(e)).message} (ignored: multi resource)`);
      return undefined;
    }
  }

  private async condition(st: State, t0: number): Promise<boolean> {
    const { r } = st;
    if (!r.condition) return true;
    const text = r.condition.compiled.render(this.context(st));
    let ok: boolean;
    try {
      ok = evaluateCondition(text, this.context(st));
    } catch (e) {
      const err = toCcqlError(e);
      throw new CcqlError(err.code, `${r.name}: ${err.message}`, { location: { file: this.stack.manifest.file, path: `resources[${r.index}].if` }, ...(err.hint ? { hint: err.hint } : {}) });
    }
    if (!ok) {
      st.status = 'skipped';
      st.skipped = true;
      this.finish(r, 'skipped', t0, `if: ${this.secrets.scrub(r.spec.if ?? '')}`);
    }
    return ok;
  }

  /**
   * After a create or update: the statecheck (with its retries) must pass; without one, the
   * resource must be found (exists, with its retries).
   */
  private async confirmState(st: State, after: string): Promise<void> {
    const { r } = st;
    if (r.anchors.has('statecheck')) {
      const ok = await this.checkStep(st, 'statecheck', { retry: true });
      if (!ok) throw new CcqlError('invalid_input', `${r.name} is not in its desired state after ${after}: its statecheck query still finds no match`, { hint: `${r.file ?? 'the resource file'}: check the /*+ statecheck */ query (--show-queries prints it), or give it more retries (/*+ statecheck, retries=10, retry_delay=2 */)` });
      return;
    }
    if (r.anchors.has('exists') && after !== 'update') {
      const found = await this.existsStep(st, { retry: true, keepThis: true });
      if (!found) throw new CcqlError('invalid_input', `${r.name} cannot be found after ${after}: its exists query returns nothing`, { hint: 'check the /*+ exists */ query (--show-queries prints it)' });
    }
  }

  /** Exists and not in the desired state? The statecheck query says; without one, the create statement's properties against the resource's. */
  private async inDesiredState(st: State): Promise<boolean> {
    if (st.r.anchors.has('statecheck')) return this.checkStep(st, 'statecheck', { retry: false });
    const diff = await this.currentDiff(st);
    return diff === undefined || diff.changes.length === 0;
  }

  // ---- steps --------------------------------------------------------------------------------

  /** Does it exist? (exists, else statecheck, else exports as the proxy) `this` becomes the row found. */
  private async existsStep(st: State, opts: { retry: boolean; until?: boolean; keepThis?: boolean }): Promise<boolean> {
    const { r } = st;
    const name: AnchorName = r.anchors.has('exists') ? 'exists' : r.anchors.has('statecheck') ? 'statecheck' : 'exports';
    const template = r.anchors.get(name)!;
    const want = opts.until ?? true;
    const t0 = Date.now();
    const { value } = await this.retrying(template, opts.retry, async () => existence(r, name, await this.rows(st, name, template)), (v) => v.exists === want);
    if (value.row && !opts.keepThis) st.this = withIdentifierAliases(value.row);
    else if (value.row && opts.keepThis && !st.this) st.this = withIdentifierAliases(value.row);
    this.step(r, name === 'exists' ? 'exists' : `exists (${name})`, value.exists ? `found${value.row ? identifierText(value.row) : ''}` : 'not found', t0);
    return value.exists;
  }

  /** statecheck: a row (or count = 1) means the desired state. */
  private async checkStep(st: State, name: 'statecheck', opts: { retry: boolean }): Promise<boolean> {
    const { r } = st;
    const template = r.anchors.get(name)!;
    const t0 = Date.now();
    const { value } = await this.retrying(template, opts.retry, async () => existence(r, name, await this.rows(st, name, template), true).exists, (v) => v);
    this.step(r, name, value ? 'in desired state' : 'not in desired state', t0);
    return value;
  }

  /** exports: exactly one row, its columns exported under their names. */
  private async exportsStep(st: State, opts: { required: boolean }): Promise<void> {
    const { r } = st;
    const template = r.type === 'query' && r.sql ? r.sql : r.anchors.get('exports');
    if (!template) {
      if (r.exports.length > 0 && opts.required) throw new CcqlError('manifest', `${r.name} lists exports but its file has no /*+ exports */ anchor`, { hint: 'add a SELECT under /*+ exports */ returning one row with those columns' });
      return;
    }
    const t0 = Date.now();
    let result;
    try {
      result = await this.retrying(template, opts.required, async () => this.rows(st, 'exports', template), (rows) => rows.rows.length === 1);
    } catch (e) {
      if (!opts.required) return;
      throw e;
    }
    const rows = result.value;
    if (rows.rows.length !== 1) {
      if (!opts.required) return;
      throw new CcqlError('invalid_input', `${r.name}: the exports query returned ${rows.rows.length} rows; it must return exactly one`, {
        location: { ...(r.file ? { file: r.file } : {}), ...(template.anchor ? { line: template.anchor.anchorLine } : {}) },
        hint: rows.rows.length === 0 ? 'it finds nothing: does the resource exist, and does the WHERE clause match it? (--show-queries prints the query)' : 'narrow its WHERE clause to the one resource',
      });
    }
    const row = records(rows)[0]!;
    const lower = new Map(Object.keys(row).map((k) => [k.toLowerCase(), k]));
    const values: Record<string, unknown> = {};
    for (const e of r.exports) {
      const key = row[e.column] !== undefined ? e.column : lower.get(e.column.toLowerCase());
      if (key === undefined) {
        throw new CcqlError('invalid_input', `${r.name}: the exports query returns no column '${e.column}'`, {
          location: { ...(r.file ? { file: r.file } : {}), ...(template.anchor ? { line: template.anchor.anchorLine } : {}) },
          hint: `it returns ${Object.keys(row).join(', ')}; name the column with AS ${e.column} (unquoted names are lower-cased)`,
        });
      }
      values[e.alias] = row[key];
    }
    for (const [name, v] of Object.entries(values)) if (r.protected.has(name)) this.secrets.add(v);
    st.exports = values;
    st.exportsFresh = true;
    const shown = r.exports.map((e) => (r.protected.has(e.alias) ? `${e.alias}=****` : e.alias)).join(', ');
    this.step(r, 'exports', shown || '(none)', t0);
  }

  private async createStep(st: State): Promise<CreatedResource[]> {
    const { r } = st;
    const template = r.anchors.get('create')!;
    const sql = this.render(st, 'create', template);
    const plan = await this.planOf(st, 'create', sql);
    if (plan.kind !== 'mutation') {
      throw new CcqlError('invalid_input', `${r.name}: the /*+ create */ statement is not an INSERT into a provider table`, { location: { ...(r.file ? { file: r.file } : {}), ...(template.anchor ? { line: template.anchor.anchorLine } : {}) }, hint: 'write INSERT INTO aws.<service>.<resource> (…) SELECT …' });
    }
    this.showQuery(r, 'create', sql);
    const t0 = Date.now();
    const created = await runCreate(r.name, sql, plan, {
      session: this.session,
      api: () => this.api(),
      journal: this.journalFor(),
      secrets: this.secrets,
      signal: this.options.signal,
      onNotice: (n) => this.sessionNotice(r.name, n),
      onCreated: (c) => {
        this.created.push(c);
        this.emit({ kind: 'created', resource: r.name, table: c.table, region: c.region, identifier: c.identifier });
      },
    });
    this.step(r, 'create', created.length === 0 ? 'nothing created' : `created ${created.map((c) => c.identifier).join(', ')}`, t0);
    const first = created[0];
    if (first) {
      const row = await this.readBack(st, first);
      if (row) st.this = withIdentifierAliases(row);
    }
    return created;
  }

  /** The created resource's columns, as `{{this.…}}` for the anchors after create. */
  private async readBack(st: State, c: CreatedResource): Promise<Record<string, unknown> | undefined> {
    const sql = `SELECT * FROM ${c.table} WHERE data__Identifier = '${c.identifier.replace(/'/g, "''")}' AND region = '${c.region.replace(/'/g, "''")}'`;
    try {
      const result = await this.exec(st.r, 'read', sql);
      return result.kind === 'rows' ? records(result)[0] : undefined;
    } catch {
      return undefined;
    }
  }

  /** update, createorupdate, command: a statement run through the session. */
  private async mutationStep(st: State, step: string, template: PreparedTemplate): Promise<void> {
    const { r } = st;
    const sql = this.render(st, step, template);
    const plan = await this.planOf(st, step, sql).catch(() => undefined);
    if (plan) this.learnPlanSecrets(plan);
    this.showQuery(r, step, sql);
    const t0 = Date.now();
    st.exportsFresh = false;
    await this.retrying(
      template,
      true,
      async () => {
        await this.exec(r, step, sql, template);
        return true;
      },
      () => true,
    );
    this.step(r, step, 'done', t0);
  }

  private async script(st: State): Promise<void> {
    const { r } = st;
    const command = r.run!.compiled.render(this.context(st));
    this.showQuery(r, 'script', command);
    const t0 = Date.now();
    const { code, stdout, stderr } = await runShell(command, this.options.signal);
    if (code !== 0) {
      throw new CcqlError('invalid_input', `${r.name}: the script exited with ${code}${stderr.trim() ? `: ${this.secrets.scrub(stderr.trim().split('\n').slice(-3).join(' / '))}` : ''}`, { location: { file: this.stack.manifest.file, path: `resources[${r.index}].run` } });
    }
    if (r.exports.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout);
      } catch {
        throw new CcqlError('invalid_input', `${r.name}: the script's output is not a JSON object, so its exports cannot be read`, { hint: 'print one JSON object, e.g. {"name": "value"}, on stdout' });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CcqlError('invalid_input', `${r.name}: the script's output is not a JSON object`);
      const out = parsed as Record<string, unknown>;
      for (const e of r.exports) {
        if (!(e.column in out)) throw new CcqlError('invalid_input', `${r.name}: the script's output has no '${e.column}'`, { hint: `it has ${Object.keys(out).join(', ') || 'no keys'}` });
        st.exports[e.alias] = out[e.column];
        if (r.protected.has(e.alias)) this.secrets.add(out[e.column]);
      }
    }
    this.step(r, 'script', 'done', t0);
  }

  // ---- test ---------------------------------------------------------------------------------

  private async test(st: State): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    if (!(await this.condition(st, t0))) return;
    if (r.type === 'command' || r.type === 'script') {
      this.finish(r, 'skipped', t0, `${r.type} resources run only in build`);
      return;
    }
    if (r.type === 'query') {
      await this.exportsStep(st, { required: true });
      this.finish(r, 'ok', t0);
      return;
    }
    const gone = this.missingDependency(r);
    if (gone) {
      st.missing = true;
      this.finish(r, 'drift', t0, `cannot be checked: ${gone.name}, whose exports it uses, does not exist`);
      return;
    }
    await this.learnSecrets(st);
    const hasExists = r.anchors.has('exists');
    if (hasExists) {
      const found = await this.existsStep(st, { retry: false });
      if (!found) {
        st.missing = true;
        this.finish(r, 'drift', t0, 'does not exist');
        return;
      }
    }
    let drift: string | undefined;
    if (r.anchors.has('statecheck')) {
      if (!(await this.checkStep(st, 'statecheck', { retry: true }))) drift = 'not in its desired state';
    } else if (hasExists) {
      const diff = await this.currentDiff(st);
      if (diff && diff.changes.length > 0) drift = `differs in ${diff.changes.map((c) => c.property).join(', ')}`;
    }
    if (drift) {
      // Its exports still serve the resources that use them.
      await this.exportsStep(st, { required: false });
      this.finish(r, 'drift', t0, drift);
      return;
    }
    await this.exportsStep(st, { required: true });
    this.finish(r, 'ok', t0);
  }

  // ---- teardown -----------------------------------------------------------------------------

  /** Teardown's first pass: what exists, and its exports (later resources' deletes may use them). */
  private async collect(st: State): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    if (r.condition && !(await this.condition(st, t0))) return;
    if (r.type === 'command' || r.type === 'script') return;
    if (r.type === 'query') {
      await this.exportsStep(st, { required: false });
      return;
    }
    const gone = this.missingDependency(r);
    if (gone) {
      // Its statements need the exports of a resource that is not there: it cannot be there either (or be found).
      st.missing = true;
      this.step(r, 'exists', `not looked for: ${gone.name}, whose exports it uses, was not found`, t0);
      return;
    }
    await this.learnSecrets(st);
    const found = await this.existsStep(st, { retry: false });
    if (!found) {
      st.missing = true;
      return;
    }
    await this.exportsStep(st, { required: false });
  }

  /** A resource whose exports `r` reads and that does not exist (test, teardown). */
  private missingDependency(r: StackResource): StackResource | undefined {
    return dependencyClosure(this.stack, r).find((d) => {
      const ds = this.states.get(d.name)!;
      return ds.missing === true || (d.exports.length > 0 && Object.keys(ds.exports).length === 0 && !ds.skipped);
    });
  }

  private async teardown(st: State): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    if (st.skipped) return;
    if (r.type !== 'resource' && r.type !== 'multi') {
      this.finish(r, 'skipped', t0, `${r.type} resources are not deleted`);
      return;
    }
    if (st.missing) {
      this.finish(r, 'not found', t0);
      return;
    }
    const del = r.anchors.get('delete');
    if (!del) throw new CcqlError('manifest', `${r.name} has no /*+ delete */ anchor, so teardown cannot delete it`, { ...(r.file ? { location: { file: r.file } } : {}), hint: 'add DELETE FROM … WHERE data__Identifier = … under /*+ delete */' });
    await this.mutationStep(st, 'delete', del);
    const gone = !(await this.existsStep(st, { retry: true, until: false, keepThis: true }));
    if (!gone) throw new CcqlError('invalid_input', `${r.name} still exists after its delete statement ran`, { hint: 'check the /*+ delete */ statement (--show-queries prints it) and the exists query' });
    this.emit({ kind: 'deleted', resource: r.name, table: '', region: '', identifier: st.this ? identifierText(st.this).replace(/^ /, '') : '', rollback: false });
    this.finish(r, 'deleted', t0);
  }

  private async rollback(done: CreatedResource[], failures: Array<{ created: CreatedResource; error: CcqlError }>): Promise<void> {
    for (const c of [...this.created].reverse()) {
      const sql = `DELETE FROM ${c.table} WHERE data__Identifier = '${c.identifier.replace(/'/g, "''")}' AND region = '${c.region.replace(/'/g, "''")}'`;
      const t0 = Date.now();
      const r = this.stack.byName.get(c.resource)!;
      try {
        this.showQuery(r, 'rollback', sql);
        for await (const _ of this.session.run(sql, { onNotice: (n) => this.sessionNotice(r.name, n) })) {
          // DELETE returns a command tag only
        }
        done.push(c);
        this.emit({ kind: 'deleted', resource: c.resource, table: c.table, region: c.region, identifier: c.identifier, rollback: true });
        this.step(r, 'rollback', `deleted ${c.identifier}`, t0);
      } catch (e) {
        const err = this.clean(toCcqlError(e));
        failures.push({ created: c, error: err });
        this.step(r, 'rollback', `could not delete ${c.identifier}: ${err.message}`, t0, true);
      }
    }
  }

  // ---- dry run ------------------------------------------------------------------------------

  /** --dry-run: every statement the command would run, rendered (unknown values as placeholders) and planned; none runs. */
  private async dryResource(st: State, only?: AnchorName[]): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    st.planned = true;
    if (only?.includes('delete') && r.type !== 'resource' && r.type !== 'multi') return;
    if (r.type === 'script') {
      if (only) return;
      this.showQuery(r, 'script', r.run!.compiled.render(this.context(st, { placeholders: true })));
      this.finish(r, 'ok', t0, 'dry run');
      return;
    }
    await this.learnSecrets(st);
    const steps: Record<DeployCommand, AnchorName[]> = {
      build: ['exists', 'create', 'createorupdate', 'update', 'statecheck', 'exports', 'command'],
      test: ['exists', 'statecheck', 'exports'],
      teardown: ['exists', 'exports', 'delete'],
      plan: ['exists', 'statecheck', 'exports', 'create', 'createorupdate', 'update'],
    };
    const wanted = r.type === 'query' ? (['exports'] as AnchorName[]) : r.type === 'command' ? (this.options.command === 'build' ? (['command'] as AnchorName[]) : []) : (only ?? steps[this.options.command]);
    if (r.sql && wanted.some((a) => a === 'exports' || a === 'command')) this.showQuery(r, r.type === 'query' ? 'exports' : 'command', this.render(st, 'sql', r.sql, { placeholders: true }));
    for (const name of wanted) {
      const template = r.anchors.get(name);
      if (!template) continue;
      const sql = this.render(st, name, template, { placeholders: true });
      if (['create', 'createorupdate', 'update', 'delete', 'command'].includes(name)) await this.planOf(st, name, sql);
      this.showQuery(r, name, sql);
    }
    if (!only || only.includes('delete')) this.finish(r, 'ok', t0, 'dry run');
  }

  // ---- plan ---------------------------------------------------------------------------------

  private async planResource(st: State): Promise<void> {
    const { r } = st;
    const t0 = Date.now();
    const entry = (e: Omit<PlanEntry, 'name' | 'type' | 'changes'> & { changes?: PropertyChange[] }): void => {
      const { action, changes, statement, ...rest } = e;
      this.plan.push({ name: r.name, type: r.type, action, ...rest, changes: changes ?? [], ...(statement !== undefined ? { statement: this.secrets.scrub(statement) } : {}) });
    };
    // A resource that reads the exports of one still to be created cannot be looked up yet.
    const pendingDeps = dependencyClosure(this.stack, r).filter((d) => this.states.get(d.name)!.planned);
    if (r.condition) {
      if (pendingDeps.length > 0) {
        this.notice(r.name, `${r.name}: its if: condition uses values known only after build`);
      } else if (!(await this.condition(st, t0))) {
        entry({ action: 'skip', note: `if: ${r.spec.if ?? ''}` });
        return;
      }
    }
    if (r.type === 'script' || r.type === 'command') {
      const text = r.type === 'script' ? r.run!.compiled.render(this.context(st)) : this.renderOrNote(st, 'command', r.sql ?? r.anchors.get('command')!);
      entry({ action: 'run', statement: text });
      if (r.type === 'script') st.planned = true;
      this.finish(r, 'ok', t0, 'run');
      return;
    }
    if (r.type === 'query') {
      if (pendingDeps.length > 0) {
        st.planned = true;
        entry({ action: 'read', note: `after ${pendingDeps.map((d) => d.name).join(', ')} ${pendingDeps.length === 1 ? 'is' : 'are'} created` });
      } else {
        await this.exportsStep(st, { required: true });
        entry({ action: 'read' });
      }
      this.finish(r, 'ok', t0, 'read');
      return;
    }
    await this.learnSecrets(st);
    const cou = r.anchors.get('createorupdate');
    if (cou) {
      entry({ action: 'create or update', statement: this.renderOrNote(st, 'createorupdate', cou) });
      st.planned = true;
      this.finish(r, 'ok', t0, 'create or update');
      return;
    }
    const exists = pendingDeps.length === 0 ? await this.existsStep(st, { retry: false }) : false;
    if (!exists) {
      st.planned = true;
      const statement = this.renderOrNote(st, 'create', r.anchors.get('create')!);
      const target = await this.describeCreate(statement);
      entry({
        action: 'create',
        ...target,
        statement,
        ...(pendingDeps.length > 0 ? { note: `uses exports of ${pendingDeps.map((d) => d.name).join(', ')}, known after build` } : {}),
      });
      this.finish(r, 'ok', t0, 'create');
      return;
    }
    if (r.anchors.has('exports')) await this.exportsStep(st, { required: false });
    const diff = await this.currentDiff(st);
    const inState = r.spec.skip_validation ? true : r.anchors.has('statecheck') ? await this.checkStep(st, 'statecheck', { retry: false }) : diff === undefined || diff.changes.length === 0;
    const where = { ...(diff?.table ? { table: diff.table } : {}), ...(diff?.region ? { region: diff.region } : {}), ...(diff?.identifier ? { identifier: diff.identifier } : {}) };
    if (inState && (diff === undefined || diff.changes.length === 0 || r.spec.skip_validation)) {
      entry({ action: 'no change', ...where });
      this.finish(r, 'ok', t0, 'no change');
      return;
    }
    const update = r.anchors.get('update');
    entry({
      action: 'update',
      ...where,
      changes: (diff?.changes ?? []).map((c) => ({ property: c.property, before: this.secrets.mask(c.before), after: this.secrets.mask(c.after) })),
      ...(update ? { statement: this.renderOrNote(st, 'update', update) } : { note: 'no /*+ update */ anchor: build will fail' }),
      ...(inState ? { note: 'the statecheck query passes, but these properties differ from the create statement' } : diff && diff.changes.length === 0 ? { note: 'the statecheck query does not pass' } : {}),
    });
    this.finish(r, 'ok', t0, 'update');
  }

  /** The table, region and identifier a create statement targets (from its plan). */
  private async describeCreate(statement: string): Promise<Pick<PlanEntry, 'table' | 'region'>> {
    try {
      const plan = await this.session.planOf(statement);
      if (plan.kind !== 'mutation') return {};
      const region = plan.source.kind === 'direct' ? plan.source.requests[0]?.region : undefined;
      return { table: plan.target.name, ...(region ? { region } : {}) };
    } catch {
      return {};
    }
  }

  private renderOrNote(st: State, step: string, template: PreparedTemplate): string {
    return this.render(st, step, template, { placeholders: true });
  }

  /**
   * The properties the create statement sets that differ on the resource as it is now.
   * Undefined when that cannot be told (no identifier for the resource, a statement the planner
   * cannot read constants from).
   */
  private async currentDiff(st: State): Promise<{ changes: PropertyChange[]; table: string; region: string; identifier: string } | undefined> {
    const { r } = st;
    const create = r.anchors.get('create');
    if (!create) return undefined;
    let plan: StatementPlan;
    try {
      plan = await this.session.planOf(this.render(st, 'create', create));
    } catch {
      return undefined;
    }
    if (plan.kind !== 'mutation' || plan.verb !== 'insert') return undefined;
    const requests = await plannedRequests(this.session, plan, { onNotice: () => undefined }).catch(() => undefined);
    const desired = requests?.[0];
    if (!desired?.desiredState) return undefined;
    this.secrets.addWriteOnly(plan.resource, desired.desiredState);
    const identifier = await this.identifierOf(st);
    if (!identifier) return undefined;
    const api = await this.api();
    const current = await api.get(plan.resource.typeName, desired.region, identifier, { signal: this.options.signal });
    if (!current) return undefined;
    return { changes: propertyDiff(plan.resource, desired.desiredState, current.properties), table: plan.target.name, region: desired.region, identifier };
  }

  /** The identifier of an existing resource: from `this`, or the update/delete statement's plan. */
  private async identifierOf(st: State): Promise<string | undefined> {
    const t = st.this;
    const fromThis = t?.data__identifier ?? t?.identifier;
    if (typeof fromThis === 'string' && fromThis) return fromThis;
    for (const name of ['update', 'delete'] as const) {
      const template = st.r.anchors.get(name);
      if (!template) continue;
      try {
        const plan = await this.session.planOf(this.render(st, name, template));
        if (plan.kind === 'mutation' && plan.source.kind === 'direct' && plan.source.requests[0]?.identifier) return plan.source.requests[0].identifier;
      } catch {
        // its template needs values not known yet
      }
    }
    return undefined;
  }

  // ---- templates, statements, secrets ------------------------------------------------------

  /** The template context of a resource now (see stack.ts for the order). */
  private context(st: State, opts: { placeholders?: boolean } = {}): Record<string, unknown> {
    const { r } = st;
    const ctx: Record<string, unknown> = { vars: { ...this.stack.vars }, ...this.stack.vars, stack_name: this.stack.name, stack_env: this.stack.env, ...this.globals };
    for (const dep of dependencyClosure(this.stack, r)) {
      const ds = this.states.get(dep.name)!;
      if (opts.placeholders && (ds.planned || Object.keys(ds.exports).length === 0)) {
        for (const e of dep.exports) ctx[e.alias] = `<${e.alias} of ${dep.name}>`;
      } else Object.assign(ctx, ds.exports);
    }
    Object.assign(ctx, st.exports);
    if (opts.placeholders) for (const e of r.exports) if (!(e.alias in st.exports)) ctx[e.alias] = `<${e.alias} of ${r.name}>`;
    ctx.resource_name = r.name;
    ctx.idempotency_token = idempotencyToken(this.stack, r.name);
    Object.assign(ctx, evaluateProps(this.stack, r, ctx));
    if (st.this) ctx[THIS] = st.this;
    else if (opts.placeholders) ctx[THIS] = placeholderRow(r.name);
    return ctx;
  }

  private render(st: State, _step: string, template: PreparedTemplate, opts: { placeholders?: boolean } = {}): string {
    return template.compiled.render(this.context(st, opts));
  }

  private learnProtectedProp(r: StackResource, name: string): void {
    try {
      const st = this.states.get(r.name)!;
      const props = evaluateProps(this.stack, r, this.context({ ...st, r }, { placeholders: true }));
      this.secrets.add(props[name]);
    } catch {
      // its value needs exports: learned when it is rendered
    }
  }

  /** The write-only values the resource's create and update statements write, before anything about it is shown. */
  private async learnSecrets(st: State): Promise<void> {
    for (const name of ['create', 'createorupdate', 'update'] as const) {
      const template = st.r.anchors.get(name);
      if (!template) continue;
      try {
        const plan = await this.session.planOf(this.render(st, name, template, { placeholders: true }));
        this.learnPlanSecrets(plan);
        if (plan.kind === 'mutation' && plan.verb === 'insert') {
          const requests = await plannedRequests(this.session, plan, { onNotice: () => undefined }).catch(() => undefined);
          for (const req of requests ?? []) if (req.desiredState) this.secrets.addWriteOnly(plan.resource, req.desiredState);
        }
      } catch {
        // rendered again (with real values) when it runs
      }
    }
    for (const p of st.r.props) if (st.r.protected.has(p.name)) this.learnProtectedProp(st.r, p.name);
  }

  private learnPlanSecrets(plan: StatementPlan): void {
    const m = plan.kind === 'explain' ? plan.plan : plan;
    if (m.kind !== 'mutation' || m.source.kind !== 'direct') return;
    const mp: MutationPlan = m;
    for (const req of mp.source.kind === 'direct' ? mp.source.requests : []) {
      if (req.desiredState) this.secrets.addWriteOnly(mp.resource, req.desiredState);
      if (req.patch) this.secrets.add(patchSecrets(mp.resource, req.patch));
    }
  }

  private async planOf(st: State, step: string, sql: string): Promise<StatementPlan> {
    try {
      const plan = await this.session.planOf(sql);
      this.learnPlanSecrets(plan);
      return plan;
    } catch (e) {
      throw this.inFile(st.r, step, toCcqlError(e));
    }
  }

  private async rows(st: State, step: string, template: PreparedTemplate): Promise<RowsResult> {
    const sql = this.render(st, step, template);
    this.showQuery(st.r, step, sql);
    const result = await this.exec(st.r, step, sql, template);
    if (result.kind !== 'rows') {
      throw new CcqlError('invalid_input', `${st.r.name}: the /*+ ${step} */ statement returns no rows`, { location: { ...(st.r.file ? { file: st.r.file } : {}), ...(template.anchor ? { line: template.anchor.anchorLine } : {}) }, hint: 'write a SELECT under it' });
    }
    return result;
  }

  /** Runs statements through the session; the last statement's result. */
  private async exec(r: StackResource, step: string, sql: string, template?: PreparedTemplate): Promise<StatementResult> {
    if (this.options.dryRun) throw new CcqlError('internal', 'a statement was about to run in a dry run');
    const hooks: RunHooks = { onNotice: (n) => this.sessionNotice(r.name, n), ...(this.options.signal ? { signal: this.options.signal } : {}) };
    let last: StatementResult | undefined;
    try {
      for await (const result of this.session.run(sql, hooks)) last = result;
    } catch (e) {
      throw this.inFile(r, step, toCcqlError(e), template);
    }
    return last ?? { kind: 'command', command: '' };
  }

  /** An error of a rendered statement, placed in the resource's file and named after the resource and step. */
  private inFile(r: StackResource, step: string, e: CcqlError, template?: PreparedTemplate): CcqlError {
    const loc = e.location;
    const line = template?.anchor && loc?.line !== undefined ? template.anchor.line + loc.line - 1 : template?.anchor?.anchorLine;
    return this.clean(
      new CcqlError(e.code, `${r.name}: ${step}: ${e.message}`, {
        ...(e.hint ? { hint: e.hint } : {}),
        details: [...e.details],
        sqlstate: e.sqlstate,
        location: { ...(r.file ? { file: r.file } : {}), ...(line !== undefined ? { line } : {}), ...(loc?.line !== undefined && loc.column !== undefined ? { column: loc.column } : {}) },
      }),
    );
  }

  private placed(r: StackResource, e: CcqlError): CcqlError {
    const err = this.clean(e);
    return err.message.startsWith(`${r.name}:`) || err.message.startsWith(`${r.name} `) ? err : new CcqlError(err.code, `${r.name}: ${err.message}`, { ...(err.hint ? { hint: err.hint } : {}), ...(err.location ? { location: err.location } : {}), details: [...err.details], sqlstate: err.sqlstate });
  }

  private async retrying<T>(template: PreparedTemplate, retry: boolean, attempt: () => Promise<T>, ok: (v: T) => boolean): Promise<{ value: T; ok: boolean }> {
    const tries = retry ? (template.anchor?.retries ?? 1) : 1;
    const delay = (template.anchor?.retryDelay ?? 1) * 1000;
    let last: T | undefined;
    for (let i = 0; i < tries; i++) {
      try {
        last = await attempt();
        if (ok(last)) return { value: last, ok: true };
      } catch (e) {
        const err = toCcqlError(e);
        if (i === tries - 1 || err.code === 'cancelled' || err.code === 'template' || err.code === 'syntax' || err.code === 'unknown_name') throw e;
      }
      if (i < tries - 1) await sleep(delay * 2 ** i, this.options.signal);
    }
    if (last === undefined) throw new CcqlError('internal', 'no attempt was made');
    return { value: last, ok: false };
  }

  private showQuery(r: StackResource, step: string, sql: string): void {
    if (this.options.dryRun) {
      this.dry.push({ resource: r.name, step, sql: this.secrets.scrub(sql) });
      return;
    }
    if (this.options.showQueries) this.emit({ kind: 'query', resource: r.name, step, sql: this.secrets.scrub(sql) });
  }

  private sessionNotice(resource: string, n: Notice): void {
    // The session's own "no region given" notices say nothing a stack author needs.
    if (n.severity === 'NOTICE' && !this.options.showQueries) return;
    this.notice(resource, `${n.severity}: ${n.message}`);
  }

  private notice(resource: string | undefined, message: string): void {
    this.emit({ kind: 'notice', ...(resource ? { resource } : {}), message: this.secrets.scrub(message) });
  }

  private step(r: StackResource, step: string, detail: string, t0: number, failed = false): void {
    this.emit({ kind: 'step', resource: r.name, step, detail: this.secrets.scrub(detail), ms: Date.now() - t0, ...(failed ? { failed } : {}) });
  }

  private finish(r: StackResource, outcome: Outcome, t0: number, detail?: string): void {
    const clean = detail === undefined ? undefined : this.secrets.scrub(detail);
    this.results.push({ name: r.name, outcome, ms: Date.now() - t0, ...(clean !== undefined ? { detail: clean } : {}) });
    this.emit({ kind: 'resource', resource: r.name, outcome, ms: Date.now() - t0, ...(clean !== undefined ? { detail: clean } : {}) });
  }

  private emit(e: DeployEvent): void {
    this.options.report?.(e);
  }

  private clean(e: CcqlError): CcqlError {
    return this.secrets.scrubError(e);
  }

  private journalFor(): Journal {
    this.journal ??= new Journal(this.options.journalDir ?? join(ccqlHome(), 'deploy'), `${this.stack.manifest.dir}\u0000${this.stack.env}\u0000${this.options.target ?? this.session.options.endpointUrl ?? 'aws'}`);
    return this.journal;
  }

  private api(): Promise<ResourceApi> {
    if (this.options.api) return Promise.resolve(this.options.api);
    this.apiPromise ??= import('../aws/cloudcontrol.js').then(({ CloudControl }) => {
      const o = this.session.options;
      return new CloudControl({
        ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}),
        ...(o.concurrency ? { concurrency: o.concurrency } : {}),
        ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}),
        ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
        ...(o.timeout ? { requestTimeoutMs: o.timeout * 1000 } : {}),
        ...(o.credentials ? { credentials: o.credentials } : {}),
      });
    });
    return this.apiPromise;
  }

  /** Releases the resource API made for creations. */
  async close(): Promise<void> {
    const api = await this.apiPromise?.catch(() => undefined);
    (api as { destroy?: () => void } | undefined)?.destroy?.();
  }
}

/**
 * What an exists (or statecheck) query says: a `count` column (as stackql-deploy writes them)
 * counts matches; otherwise each row is one. More than one match is an error for exists: the
 * query must pick out one resource.
 */
function existence(r: StackResource, step: string, result: RowsResult, statecheck = false): { exists: boolean; row?: Record<string, unknown> } {
  const rows = records(result);
  const countCol = result.columns.length === 1 && result.columns[0]!.name.toLowerCase() === 'count' ? result.columns[0]!.name : undefined;
  if (countCol !== undefined && rows.length === 1) {
    const n = Number(rows[0]![countCol]);
    if (n > 1 && !statecheck) throw new CcqlError('invalid_input', `${r.name}: the ${step} query counts ${n} matching resources; it must find at most one`, { hint: 'narrow its WHERE clause so that it matches this resource only' });
    return { exists: statecheck ? n >= 1 : n === 1 };
  }
  if (rows.length > 1 && !statecheck) {
    throw new CcqlError('invalid_input', `${r.name}: the ${step} query returns ${rows.length} rows; it must find at most one resource`, { hint: 'narrow its WHERE clause so that it matches this resource only' });
  }
  if (rows.length === 0) return { exists: false };
  // A lone boolean column (SELECT tags = '…' AS ok) is the answer itself.
  if (result.columns.length === 1 && typeof rows[0]![result.columns[0]!.name] === 'boolean') return { exists: rows[0]![result.columns[0]!.name] === true, row: rows[0]! };
  return { exists: true, row: rows[0]! };
}

/** Rows as objects by column name, cells as JSON values. */
export function records(result: RowsResult): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, jsonCell(row[i])])));
}

function jsonCell(v: Cell | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** `{{this.data__Identifier}}` and `{{this.identifier}}` as well as `data__identifier`. */
function withIdentifierAliases(row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  const id = row.data__identifier;
  if (id !== undefined) {
    out.data__Identifier ??= id;
    out.identifier ??= id;
  }
  return out;
}

function identifierText(row: Record<string, unknown>): string {
  const id = row.data__identifier ?? row.identifier ?? row.arn;
  return typeof id === 'string' ? ` ${id}` : '';
}

/** `this` before the resource exists (plan, dry run): any column reads as a placeholder. */
function placeholderRow(resource: string): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get: (_t, key) => (typeof key === 'string' ? `<this.${key} of ${resource}>` : undefined),
      has: () => true,
      getOwnPropertyDescriptor: (_t, key) => ({ configurable: true, enumerable: true, value: typeof key === 'string' ? `<this.${key} of ${resource}>` : undefined }),
    },
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CcqlError('cancelled', 'deploy cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function runShell(command: string, signal: AbortSignal | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new CcqlError((e as Error).name === 'AbortError' ? 'cancelled' : 'invalid_input', `the script could not run: ${e.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
