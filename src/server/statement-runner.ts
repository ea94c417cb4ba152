/**
 * Runs one client statement through the connection's Session, as a PostgreSQL backend would:
 * two-level names written as provider tables, the security policy, the mutation switch (from
 * the plan: no call is made to decide), the transaction status ReadyForQuery reports (an error
 * inside BEGIN gives 25P02 until ROLLBACK), cancellation and the statement timeout (an
 * AbortSignal that stops the API calls), and the reported settings (ParameterStatus after SET).
 */
import { getEventListeners } from 'node:events';
import { CcqlError, toCcqlError } from '../errors.js';
import type { Session, StatementStart } from '../exec/session.js';
import type { Notice, StatementResult } from '../result.js';
import type { EngineCatalog, ProviderSchemaIndex } from './catalog-schemas.js';
import { checkStatement } from './policy.js';
import { StatementCache } from '../sql/statement-cache.js';
import { lex, type SqlToken } from './sql-lexer.js';
import { threePartNames } from './two-level-names.js';

export type TransactionStatus = 'I' | 'T' | 'E';

export interface RunnerOptions {
  session: Session;
  index: ProviderSchemaIndex;
  engineCatalog: EngineCatalog;
  allowMutations: boolean;
  /** Most milliseconds one statement may run (undefined: no limit). */
  statementTimeoutMs: number | undefined;
  onNotice: (n: Notice) => void;
  /** A reported setting changed (TimeZone after SET TIME ZONE …). */
  onParameterStatus: (name: string, value: string) => void;
}

/** The settings PostgreSQL reports with ParameterStatus that a client can change. */
const REPORTED = ['TimeZone', 'DateStyle', 'IntervalStyle', 'application_name'] as const;

const START = { line: 1, column: 1, offset: 0 };

interface CheckedText {
  readonly first: readonly string[];
  readonly sql: string;
}

/** Per server (its provider schemas): see StatementRunner.checked. */
const checkedTexts = new WeakMap<ProviderSchemaIndex, StatementCache<CheckedText>>();

export class StatementRunner {
  status: TransactionStatus = 'I';
  private running: AbortController | undefined;
  /** The last statement's controller, handed to the next one (see nextController). */
  private spare: AbortController | undefined;
  private readonly reported = new Map<string, string>();
  private pending: Array<[string, string]>;
  private setUp = false;
  /**
   * The session's own statement_timeout (SET, or the startup packet), in milliseconds; 0: none.
   * The server enforces it itself: the embedded engine cannot interrupt a statement on a timer.
   */
  private sessionTimeoutMs = 0;
  /** A SET LOCAL ran in the open transaction: its end brings the settings back, to be read again. */
  private localSettings = false;

  constructor(
    private readonly options: RunnerOptions,
    /** Settings to apply before the first statement: the startup packet's, with our defaults. */
    settings: ReadonlyArray<[string, string]>,
    reported: ReadonlyMap<string, string>,
  ) {
    this.pending = [...settings];
    for (const [k, v] of reported) this.reported.set(k, v);
  }

  /** What this connection's engine has of the provider catalog. */
  get engineCatalog(): EngineCatalog {
    return this.options.engineCatalog;
  }

  /** Cancels the running statement, if any (CancelRequest, a closed connection). */
  cancel(why: 'user' | 'disconnect'): void {
    const message = why === 'user' ? 'canceling statement due to user request' : 'canceling statement: the client disconnected';
    this.running?.abort(new CcqlError('cancelled', message, { sqlstate: '57014' }));
  }

  /** The session's TimeZone as last reported. */
  get timeZone(): string {
    return this.reported.get('TimeZone') ?? 'UTC';
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs one client statement; `at` places it in the client's query string. */
  async run(text: string, at: StatementStart = START): Promise<StatementResult> {
    const known = this.checkedTexts().get(text);
    const first = known?.first ?? firstWords(lex(text));
    if (this.status === 'E' && !endsTransaction(first)) {
      throw new CcqlError('invalid_input', 'current transaction is aborted, commands ignored until end of transaction block', {
        sqlstate: '25P02',
        hint: 'ROLLBACK ends the failed transaction',
      });
    }
    try {
      const result = await this.runChecked(text, first, at, known);
      await this.afterSuccess(first, result);
      return result;
    } catch (e) {
      if (this.status === 'T') this.status = 'E';
      throw e;
    }
  }

  private async runChecked(text: string, first: readonly string[], at: StatementStart, known: CheckedText | undefined): Promise<StatementResult> {
    const session = this.options.session;
    // The statement counts as running from here: a cancel that comes while the engine starts
    // or the plan is checked cancels it too.
    const controller = this.nextController();
    this.running = controller;
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.applyPending();
      let sql = known?.sql ?? this.check(text, first);
      // COMMIT of a failed transaction rolls it back (and says ROLLBACK), as PostgreSQL does.
      if (this.status === 'E' && (first[0] === 'commit' || first[0] === 'end')) sql = 'ROLLBACK';
      if (!this.options.allowMutations && ['insert', 'update', 'delete', 'merge', 'with', 'exec'].includes(first[0] ?? '')) {
        const plan = await session.planOf(sql);
        // EXEC runs a provider's own operation (start_fleet, stop_fleet): a change like any
        // other, unless the method only reads (get_fleet, whose verb is SELECT).
        if (plan.kind === 'exec' && plan.method.verb !== 'SELECT') {
          throw new CcqlError('not_supported', 'cannot execute EXEC in a read-only transaction', {
            sqlstate: '25006',
            hint: `ccql serve was started without --allow-mutations, so it does not change AWS resources (${plan.method.name} on ${plan.resource.sqlName})`,
            location: { offset: 0 },
          });
        }
        if (plan.kind === 'mutation') {
          throw new CcqlError('not_supported', `cannot execute ${plan.verb.toUpperCase()} in a read-only transaction`, {
            sqlstate: '25006',
            hint: `ccql serve was started without --allow-mutations, so it does not change AWS resources (${plan.operation} on ${plan.target.name})`,
            location: { offset: 0 },
          });
        }
      }
      await this.options.engineCatalog.prepareFor(sql, (s) => this.internal(s));
      controller.signal.throwIfAborted();
      // The timeout counts the statement itself, not the engine's start on a connection's first.
      const timeout = shorterTimeout(this.options.statementTimeoutMs, this.sessionTimeoutMs);
      if (timeout !== undefined) {
        timer = setTimeout(() => controller.abort(new CcqlError('cancelled', 'canceling statement due to statement timeout', { sqlstate: '57014' })), timeout);
      }
      return await session.runStatement(sql, { signal: controller.signal, onNotice: this.options.onNotice }, at);
    } catch (e) {
      // An aborted statement fails with the reason it was aborted for, whatever threw.
      if (controller.signal.aborted && controller.signal.reason instanceof CcqlError) throw controller.signal.reason;
      throw toCcqlError(e);
    } finally {
      if (timer) clearTimeout(timer);
      this.running = undefined;
      this.spare = controller;
    }
  }

  /**
   * A controller for the next statement: the last one's when it was not aborted and nothing
   * listens to it any more (every listener was removed), which is then the same as a new one.
   * Making an AbortController costs about 5 µs on Node 20, a tenth of what the main thread spends
   * on a cached `select 1`.
   */
  private nextController(): AbortController {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && !spare.signal.aborted && getEventListeners(spare.signal, 'abort').length === 0) return spare;
    return new AbortController();
  }

  /**
   * The SQL `text` becomes (two-level names written as provider tables), once the policy allows
   * it (else this throws). Both depend on the text alone, so a text that passed is not checked
   * again on this server (see StatementCache).
   */
  private check(text: string, first: readonly string[]): string {
    const sql = threePartNames(text, this.options.index);
    checkStatement(sql, this.options.index.providers());
    this.checkedTexts().set(text, { first, sql });
    return sql;
  }

  private checkedTexts(): StatementCache<CheckedText> {
    const index = this.options.index;
    let cache = checkedTexts.get(index);
    if (!cache) checkedTexts.set(index, (cache = new StatementCache<CheckedText>()));
    return cache;
  }

  /** A statement of ccql's own on the engine (catalog tables, Describe): no policy, no client state. */
  async internal(sql: string): Promise<StatementResult> {
    return this.options.session.runStatement(sql, {});
  }

  private async afterSuccess(first: readonly string[], result: StatementResult): Promise<void> {
    const [w0, w1] = first;
    if (w0 === 'begin' || (w0 === 'start' && w1 === 'transaction')) this.status = 'T';
    else if (w0 === 'rollback' && first.includes('to')) this.status = 'T';
    else if (w0 === 'commit' || w0 === 'end' || w0 === 'abort' || w0 === 'rollback') {
      this.status = first.includes('chain') && !first.includes('no') ? 'T' : 'I';
      if (result.command === 'ROLLBACK') this.options.engineCatalog.forget();
      if (this.localSettings && this.status === 'I') {
        this.localSettings = false;
        await this.refreshReported();
      }
    }
    if (w0 === 'set' && w1 === 'local') this.localSettings = true;
    if (w0 === 'set' || w0 === 'reset' || w0 === 'discard') await this.refreshReported();
  }

  /** Applies the startup packet's settings once, before the first statement. */
  private async applyPending(): Promise<void> {
    if (this.setUp) return;
    this.setUp = true;
    const settings = this.pending.filter(([name]) => {
      try {
        checkStatement(`SET ${name} = ''`, this.options.index.providers());
        return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name);
      } catch {
        this.options.onNotice({ severity: 'WARNING', message: `the startup setting ${name} is not applied: clients may not change it` });
        return false;
      }
    });
    this.pending = [];
    if (settings.length === 0) return;
    const calls = settings.map(([k, v]) => `pg_catalog.set_config(${literal(k)}, ${literal(v)}, false)`).join(', ');
    try {
      await this.internal(`SELECT ${calls}`);
    } catch (e) {
      const err = toCcqlError(e);
      this.options.onNotice({ severity: 'WARNING', message: `a setting of the startup packet was not applied: ${err.message}` });
    }
    await this.refreshReported();
  }

  /** Sends ParameterStatus for every reported setting the engine now has another value for. */
  private async refreshReported(): Promise<void> {
    try {
      const settings = REPORTED.map((n) => `pg_catalog.current_setting(${literal(n)})`).join(', ');
      const r = await this.internal(`SELECT ${settings}, (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'statement_timeout')`);
      if (r.kind !== 'rows' || !r.rows[0]) return;
      const ms = Number(r.rows[0][REPORTED.length]);
      this.sessionTimeoutMs = Number.isFinite(ms) && ms > 0 ? ms : 0;
      REPORTED.forEach((name, i) => {
        const value = String(r.rows[0]![i] ?? '');
        if (this.reported.get(name) !== value) {
          this.reported.set(name, value);
          this.options.onParameterStatus(name, value);
        }
      });
    } catch {
      // the settings stay as last reported; the statement itself succeeded
    }
  }
}

/** The statement's time limit: the shorter of the server's (--statement-timeout) and the session's; undefined for none. */
function shorterTimeout(serverMs: number | undefined, sessionMs: number): number | undefined {
  if (sessionMs <= 0) return serverMs;
  return serverMs === undefined ? sessionMs : Math.min(serverMs, sessionMs);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The first words of a statement, lower-case (`rollback`, `to`, `savepoint`…). */
function firstWords(tokens: readonly SqlToken[]): string[] {
  const words: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'word' || words.length >= 4) break;
    words.push(t.value);
  }
  return words;
}

function endsTransaction(first: readonly string[]): boolean {
  const w0 = first[0];
  return w0 === 'rollback' || w0 === 'abort' || w0 === 'commit' || w0 === 'end';
}
