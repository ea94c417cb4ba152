/**
 * Tab completion for the shell: SQL keywords, `provider.service.resource` names one segment at
 * a time (`aws.` → services, `aws.ivs.` → resources; a service file is loaded only when its
 * resources are asked for), and the column names of the tables named in the statement typed so
 * far (also after `alias.`).
 */
import type { Catalog } from '../../catalog/loader.js';
import type { ResourceDef } from '../../catalog/types.js';

export const SQL_KEYWORDS: readonly string[] = [
  'ALL', 'AND', 'ANY', 'AS', 'ASC', 'AVG', 'BETWEEN', 'BY', 'CASE', 'CAST', 'COALESCE', 'COUNT', 'CROSS',
  'DELETE', 'DESC', 'DESCRIBE', 'DISTINCT', 'ELSE', 'END', 'EXCEPT', 'EXISTS', 'EXTENDED', 'FALSE', 'FILTER',
  'FIRST', 'FROM', 'FULL', 'GROUP', 'HAVING', 'ILIKE', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS',
  'JOIN', 'LAST', 'LATERAL', 'LEFT', 'LIKE', 'LIMIT', 'MAX', 'METHODS', 'MIN', 'NOT', 'NOWAIT', 'NULL',
  'NULLS', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'PROVIDERS', 'RESOURCES', 'RETURNING',
  'RIGHT', 'SELECT', 'SERVICES', 'SET', 'SHOW', 'SUM', 'THEN', 'TRUE', 'UNION', 'UPDATE', 'USING', 'VALUES',
  'WHEN', 'WHERE', 'WITH', 'json_extract', 'jsonb_array_elements', 'jsonb_array_length',
];

/** Words after which a table name is expected: only resource names are offered there. */
const TABLE_CONTEXT = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'DESCRIBE', 'DESC', 'IN', 'TABLE']);

/** Words that can follow a table name and are therefore never its alias. */
const NOT_ALIAS = new Set([
  'WHERE', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'ON', 'USING', 'GROUP', 'ORDER',
  'LIMIT', 'OFFSET', 'SET', 'VALUES', 'SELECT', 'RETURNING', 'UNION', 'EXCEPT', 'INTERSECT', 'LIKE', 'HAVING',
  'WINDOW', 'AND', 'OR', 'AS',
]);

/** The identifier characters a completion replaces: `aws.iv`, `s.na`, `SEL`. */
const WORD_AT_END = /[A-Za-z0-9_.$]*$/;
const TABLE_REF = /\b([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\b(?:\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?/gi;

export class Completer {
  constructor(private readonly catalog: Catalog) {}

  /**
   * readline's completer: `line` is the current line up to the cursor, `before` the statement
   * lines typed before it. Returns the candidates and the text they replace.
   */
  complete(line: string, before = ''): [string[], string] {
    const word = WORD_AT_END.exec(line)?.[0] ?? '';
    const prefixText = line.slice(0, line.length - word.length);
    const statement = `${before}\n${line}`;
    let candidates: string[];
    try {
      candidates = word.includes('.') ? this.dotted(word, statement) : this.plain(word, prefixText, statement);
    } catch {
      candidates = []; // a broken provider file must not break typing
    }
    return [unique(candidates).sort(), word];
  }

  private plain(word: string, prefixText: string, statement: string): string[] {
    const previous = /([A-Za-z_]+)\s*$/.exec(prefixText)?.[1]?.toUpperCase();
    const providers = this.providers().filter((p) => startsWith(p, word));
    if (previous !== undefined && TABLE_CONTEXT.has(previous)) {
      // Offer `aws.` rather than `aws`: the next Tab goes on to the services.
      return providers.map((p) => `${p}.`);
    }
    const lower = word !== '' && word === word.toLowerCase();
    const keywords = SQL_KEYWORDS.filter((k) => startsWith(k, word)).map((k) => (lower || /[a-z]/.test(k) ? k.toLowerCase() : k));
    const columns = this.columnsOf(this.tablesIn(statement).map((t) => t.resource)).filter((c) => startsWith(c, word));
    return [...columns, ...keywords, ...providers.map((p) => `${p}.`)];
  }

  private dotted(word: string, statement: string): string[] {
    const parts = word.split('.');
    const [first = '', second = '', third] = parts;
    const providers = this.providers();
    const provider = providers.find((p) => p === first.toLowerCase());
    if (provider !== undefined && parts.length === 2) {
      return this.catalog
        .provider(provider)
        .services.filter((s) => startsWith(s.name, second))
        .map((s) => `${first}.${s.name}.`);
    }
    if (provider !== undefined && parts.length === 3 && third !== undefined) {
      const service = this.catalog.provider(provider).services.find((s) => s.name === second.toLowerCase());
      if (!service) return [];
      return this.catalog
        .service(provider, service.name)
        .resources.filter((r) => startsWith(r.name, third))
        .map((r) => `${first}.${second}.${r.name}`);
    }
    if (parts.length === 2) {
      // `alias.col` or `resource.col`: columns of the table that qualifier names.
      const tables = this.tablesIn(statement).filter(
        (t) => t.alias?.toLowerCase() === first.toLowerCase() || (t.alias === undefined && t.resource.name === first.toLowerCase()),
      );
      return this.columnsOf(tables.map((t) => t.resource))
        .filter((c) => startsWith(c, second))
        .map((c) => `${first}.${c}`);
    }
    return [];
  }

  private providers(): string[] {
    return this.catalog.providerNames();
  }

  /** Resources named `provider.service.resource` in the text, with their aliases. */
  tablesIn(text: string): Array<{ resource: ResourceDef; alias?: string }> {
    const found: Array<{ resource: ResourceDef; alias?: string }> = [];
    const providers = new Set(this.providers());
    for (const m of text.matchAll(TABLE_REF)) {
      const [, p = '', s = '', r = '', alias] = m;
      if (!providers.has(p.toLowerCase())) continue;
      let resource: ResourceDef;
      try {
        resource = this.catalog.resource(p, s, r);
      } catch {
        continue;
      }
      const usableAlias = alias !== undefined && !NOT_ALIAS.has(alias.toUpperCase()) ? alias : undefined;
      found.push(usableAlias !== undefined ? { resource, alias: usableAlias } : { resource });
    }
    return found;
  }

  private columnsOf(resources: ResourceDef[]): string[] {
    return resources.flatMap((r) => r.columns.map((c) => c.name));
  }
}

function startsWith(candidate: string, prefix: string): boolean {
  return candidate.toLowerCase().startsWith(prefix.toLowerCase());
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
