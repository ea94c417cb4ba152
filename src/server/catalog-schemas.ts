/**
 * Provider tables in the engine's own catalog, so that catalog queries (psql `\dn`, `\d
 * aws_ivs.stages`, SQLAlchemy inspect(), JDBC getTables/getColumns, BI schema browsers) are
 * answered by PostgreSQL itself: one schema per service (`aws_ivs`), one empty table per
 * resource with the columns' types, and the descriptions as comments.
 *
 * All 1,489 tables take about 6 s to create in PGlite (measured: 273 CREATE SCHEMA … CREATE
 * TABLE statements in one transaction), too much for every connection, so the schemas (cheap)
 * are made on the first catalog query, and a schema's tables when a statement names the schema
 * (`'aws_ivs'`, `^(aws_ivs)$`, its namespace OID) or when a catalog query names none (JDBC's
 * getTables over every schema). The tables hold no rows and are never read for data: a query
 * naming `aws_ivs.stages` is a provider query (two-level-names.ts), and a bare `stages` that
 * search_path would resolve to one is refused (EngineCatalog.refuseCatalogReads): PostgreSQL
 * has no table that fails when read, and a view would no longer be a table to JDBC, psql's
 * `\dt` or SQLAlchemy's get_table_names().
 */
import type { Catalog } from '../catalog/loader.js';
import { CcqlError } from '../errors.js';
import type { ResourceDef } from '../catalog/types.js';
import { tableColumns } from '../plan/columns.js';
import type { StatementResult } from '../result.js';
import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { StatementCache } from '../sql/statement-cache.js';
import { lex } from './sql-lexer.js';
import { bareRelations, type BareRelations, type ProviderSchemas } from './two-level-names.js';

/** bareRelations() of a statement's text: a pure function of it, asked for every statement. */
const bareRelationsOf = new StatementCache<BareRelations>();

/** Runs one internal statement on the connection's engine (never a client's, never checked). */
export type RunInternal = (sql: string) => Promise<StatementResult>;

interface ServiceEntry {
  provider: string;
  service: string;
}

/** Which `provider_service` schemas exist and what they hold: from the provider catalog, no engine. */
export class ProviderSchemaIndex implements ProviderSchemas {
  private services: Map<string, ServiceEntry> | undefined;
  private readonly resources = new Map<string, Set<string>>();
  private providerNames: Set<string> | undefined;

  constructor(readonly catalog: Catalog) {}

  /** Every schema name, `aws_ivs` …, in order. */
  schemaNames(): string[] {
    return [...this.index().keys()];
  }

  lookup(schema: string): ServiceEntry | undefined {
    return this.index().get(schema);
  }

  hasResource(provider: string, service: string, resource: string): boolean {
    const key = `${provider}_${service}`;
    let names = this.resources.get(key);
    if (!names) {
      names = new Set();
      for (const r of this.catalog.service(provider, service).resources) {
        names.add(r.name);
        for (const a of r.aliases ?? []) names.add(a);
        if (r.operations.list !== undefined) names.add(`${r.name}_list_only`);
      }
      this.resources.set(key, names);
    }
    return names.has(resource.toLowerCase());
  }

  /** Names a three-part provider table may start with (`aws`, `awscc`). */
  providers(): ReadonlySet<string> {
    this.providerNames ??= new Set(this.catalog.knownProviderNames().map((n) => n.toLowerCase()));
    return this.providerNames;
  }

  private index(): Map<string, ServiceEntry> {
    if (!this.services) {
      this.services = new Map();
      for (const provider of this.catalog.providerNames()) {
        for (const s of this.catalog.provider(provider).services) this.services.set(`${provider}_${s.name}`, { provider, service: s.name });
      }
    }
    return this.services;
  }
}

/** Words in a statement that make it a catalog query. */
const CATALOG_WORDS = /pg_catalog|information_schema|pg_namespace|pg_class|pg_attribute|pg_tables|pg_views|pg_description|regclass|regnamespace|pg_get_|obj_description|col_description/i;
/** Catalog queries that list relations of every schema unless they name one. */
const BROAD_WORDS = /pg_class|pg_attribute|information_schema\s*\.\s*(tables|columns|views)|pg_tables|pg_views/i;

/**
 * The catalog as far as one engine has it, kept per connection: it starts from what the
 * engine already holds (so connections sharing one engine find what another made), and every
 * statement it runs is idempotent (IF NOT EXISTS), so two connections building the same schema
 * at once cannot fail each other.
 */
export class EngineCatalog {
  private schemasMade = false;
  private readonly built = new Set<string>();
  private namespaceOids = new Map<string, string>();
  private allBuilt = false;
  /**
   * Whether the session's search_path holds a provider schema, as last read from the engine;
   * undefined when a statement since may have changed it.
   */
  private providerPath: boolean | undefined;

  constructor(private readonly index: ProviderSchemaIndex) {}

  /**
   * Makes what a statement's catalog query may read, and refuses a statement that would read
   * an empty catalog table through search_path. Cheap when nothing is needed.
   */
  async prepareFor(text: string, run: RunInternal): Promise<void> {
    await this.refuseCatalogReads(text, run);
    if (this.allBuilt || !CATALOG_WORDS.test(text)) return;
    await this.makeSchemas(run);
    const named = this.schemasNamedIn(text);
    if (named.length > 0) await this.build(named, run);
    else if (BROAD_WORDS.test(text) && !/pg_table_is_visible/i.test(text) && !namesAnObject(text)) await this.build(this.index.schemaNames(), run);
  }

  /**
   * Refuses a statement whose bare table name (`FROM stages`) the engine would resolve through
   * search_path (`SET search_path = aws_ivs`, `PGOPTIONS=-csearch_path=aws_ivs`) to a catalog
   * table: it holds no rows, and reading it would be a silent empty answer instead of a
   * provider query. The engine resolves the names itself (temporary tables come first, as in
   * the statement), in one internal query, and only while search_path may hold a provider
   * schema: once it is known not to, until a statement may have changed it, nothing is asked.
   * Refused rather than read as the provider table: the name would have to be rewritten by
   * the session's search_path, and the statement texts' rewrite is shared by every connection.
   */
  private async refuseCatalogReads(text: string, run: RunInternal): Promise<void> {
    let bare = bareRelationsOf.get(text);
    if (!bare) bareRelationsOf.set(text, (bare = bareRelations(text)));
    const { relations, mayChangePath } = bare;
    try {
      if (relations.length === 0 || this.providerPath === false) return;
      const names = [...new Set(relations.map((r) => r.name))];
      const r = await run(
        `SELECT 0, s, NULL FROM pg_catalog.unnest(pg_catalog.current_schemas(false)) s ` +
          `UNION ALL SELECT w.i, n.nspname, c.relname FROM pg_catalog.unnest(ARRAY[${names.map(quoteLiteral).join(', ')}]::text[]) WITH ORDINALITY w(name, i) ` +
          `JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(w.name)) JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`,
      );
      if (r.kind !== 'rows') return;
      const path = r.rows.filter((row) => Number(row[0]) === 0).map((row) => String(row[1]));
      this.providerPath = path.some((s) => this.index.lookup(s) !== undefined);
      for (const [i, schema, table] of r.rows) {
        const name = names[Number(i) - 1];
        const service = this.index.lookup(String(schema));
        if (name === undefined || !service) continue;
        const qualified = `${String(schema)}.${String(table)}`;
        throw new CcqlError('not_supported', `relation "${name}" resolves through search_path (${path.join(', ')}) to ${qualified}, ccql's catalog table of the provider table, which holds no rows`, {
          sqlstate: '0A000',
          hint: `name the provider table with its schema, ${qualified} (or ${service.provider}.${service.service}.${String(table)}): ccql calls Cloud Control only for qualified names`,
        });
      }
    } finally {
      if (mayChangePath) this.providerPath = undefined;
    }
  }

  /** Makes the tables of the services `schemas` (for Describe over provider tables). */
  async prepareSchemas(schemas: readonly string[], run: RunInternal): Promise<void> {
    await this.makeSchemas(run);
    await this.build(schemas, run);
  }

  /** After a ROLLBACK the engine may have lost what was made inside the transaction. */
  forget(): void {
    this.schemasMade = false;
    this.built.clear();
    this.allBuilt = false;
  }

  private schemasNamedIn(text: string): string[] {
    const found = new Set<string>();
    for (const m of text.matchAll(/[A-Za-z0-9]+_[A-Za-z0-9]+/g)) if (this.index.lookup(m[0])) found.add(m[0]);
    // a schema named by its OID (DBeaver, pgAdmin): numbers and digit strings
    for (const t of lex(text)) {
      if ((t.kind === 'number' || t.kind === 'string') && /^\d+$/.test(t.value)) {
        const schema = this.namespaceOids.get(t.value);
        if (schema) found.add(schema);
      }
    }
    return [...found];
  }

  private async makeSchemas(run: RunInternal): Promise<void> {
    if (this.schemasMade) return;
    const existing = await run(`SELECT n.nspname, n.oid::text, count(c.oid) FROM pg_catalog.pg_namespace n LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid GROUP BY 1, 2`);
    const have = new Map<string, number>();
    if (existing.kind === 'rows') for (const [name, , count] of existing.rows) have.set(String(name), Number(count));
    const missing = this.index.schemaNames().filter((s) => !have.has(s));
    if (missing.length > 0) {
      await run(`DO ${dollarQuote(missing.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)};`).join('\n'), 'BEGIN ', ' END')}`);
    }
    for (const [name, count] of have) if (count > 0 && this.index.lookup(name)) this.built.add(name);
    const oids = await run(`SELECT n.oid::text, n.nspname FROM pg_catalog.pg_namespace n`);
    const rows = oids.kind === 'rows' ? oids.rows.filter((r) => this.index.lookup(String(r[1]))) : [];
    this.namespaceOids = new Map(rows.map((r) => [String(r[0]), String(r[1])]));
    this.schemasMade = true;
  }

  private async build(schemas: readonly string[], run: RunInternal): Promise<void> {
    const wanted = schemas.filter((s) => !this.built.has(s) && this.index.lookup(s));
    if (wanted.length === 0) return;
    // One DO block per batch: a statement per table through the session costs its parse each.
    const BATCH = 24;
    for (let i = 0; i < wanted.length; i += BATCH) {
      const batch = wanted.slice(i, i + BATCH);
      const body = batch.map((s) => this.schemaDdl(s)).join('\n');
      await run(`DO ${dollarQuote(body, 'BEGIN ', ' END')}`);
      for (const s of batch) this.built.add(s);
    }
    if (this.index.schemaNames().every((s) => this.built.has(s))) this.allBuilt = true;
  }

  private schemaDdl(schema: string): string {
    const entry = this.index.lookup(schema)!;
    const out: string[] = [];
    for (const r of this.index.catalog.service(entry.provider, entry.service).resources) out.push(...tableDdl(schema, r));
    return out.join('\n');
  }
}

/**
 * True when a catalog query names one object by OID (`WHERE c.oid = '16385'`, psql's `\d`
 * after its first query): the object exists already, nothing more need be made.
 */
function namesAnObject(text: string): boolean {
  return lex(text).some((t) => (t.kind === 'number' || t.kind === 'string') && /^\d+$/.test(t.value) && Number(t.value) >= FIRST_NORMAL_OID);
}

/** PostgreSQL's FirstNormalObjectId: OIDs of objects made after initdb. */
const FIRST_NORMAL_OID = 16_384;

/** CREATE TABLE and COMMENTs for one resource. */
export function tableDdl(schema: string, r: ResourceDef): string[] {
  const table = `${quoteIdent(schema)}.${quoteIdent(r.name)}`;
  const cols = tableColumns(r);
  const out = [`CREATE TABLE IF NOT EXISTS ${table} (${cols.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')});`];
  const description = `${r.typeName}${r.description ? `: ${r.description}` : ''}`;
  out.push(`COMMENT ON TABLE ${table} IS ${quoteLiteral(clip(description))};`);
  for (const c of cols) {
    if (c.column.description) out.push(`COMMENT ON COLUMN ${table}.${quoteIdent(c.name)} IS ${quoteLiteral(clip(c.column.description))};`);
  }
  return out;
}

function clip(s: string): string {
  return s.length > 2000 ? `${s.slice(0, 1997)}...` : s;
}

/** `$tag$…$tag$` around `body` with a tag that does not occur in it. */
function dollarQuote(body: string, before = '', after = ''): string {
  let tag = 'ccql';
  for (let i = 0; body.includes(`$${tag}$`); i++) tag = `ccql${i}`;
  return `$${tag}$${before}${body}${after}$${tag}$`;
}
