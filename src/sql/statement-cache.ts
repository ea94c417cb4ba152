/**
 * What was worked out from a statement's text alone, by the text: its lowering (per catalog,
 * exec/session.ts) and the server's checks (server/statement-runner.ts). Both are pure functions
 * of the text and of data fixed for the process, and parsing is most of the cost of a short
 * statement (libpg-query's parse and scan of `select 1` cost more than running it), while
 * clients repeat the same texts all the time: a driver's `SELECT 1` health check, a BI tool's
 * catalog queries, pgbench. Values are frozen when stored: a cached value that something
 * changed would be a wrong result for the next user of that text, so a mutation fails loudly
 * instead. Only successes are kept: an error is worked out again, with its own position.
 */

/** Enough for a dashboard's or an ORM's working set of statements. */
const MAX_ENTRIES = 500;
/** A long statement is rarely repeated, and its tree is large: not kept. */
const MAX_TEXT = 16 * 1024;

export class StatementCache<V extends object> {
  private readonly entries = new Map<string, V>();
  /** The most recently used text: a text asked for again and again (a health check) is not moved. */
  private last: string | undefined;

  get(text: string): V | undefined {
    const value = this.entries.get(text);
    if (value === undefined) return undefined;
    if (text !== this.last) {
      // Most recently used last: the first entry is the one to evict.
      this.entries.delete(text);
      this.entries.set(text, value);
      this.last = text;
    }
    return value;
  }

  set(text: string, value: V): void {
    if (text.length > MAX_TEXT) return;
    this.entries.delete(text);
    this.entries.set(text, deepFreeze(value));
    this.last = text;
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
