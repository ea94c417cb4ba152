/**
 * Provider tables under two-level names, as Postgres clients see them in the catalog: schema
 * `aws_ivs`, table `stages` is `aws.ivs.stages`. ccql's SQL analysis resolves only names with
 * three parts (a two-part name is an ordinary engine relation to it), so the server writes
 * `aws_ivs.stages` as `aws.ivs.stages` before a statement runs. The rewrite keeps every offset:
 * `aws_ivs` and `aws.ivs` have the same length, and so do `"aws_ivs"` and `"aws".ivs`, so error
 * positions need no mapping.
 */
import { isName, lex, type SqlToken } from './sql-lexer.js';

/** What the rewrite needs to know: which `provider_service` schema names stand for a service. */
export interface ProviderSchemas {
  /** `aws_ivs` → `{ provider: 'aws', service: 'ivs' }`, or undefined when it is not one. */
  lookup(schema: string): { provider: string; service: string } | undefined;
  /** True when `resource` is a table of that service (list-only views included). */
  hasResource(provider: string, service: string, resource: string): boolean;
}

/** `text` with every `aws_<service>.<resource>` table name written `aws.<service>.<resource>`. */
export function threePartNames(text: string, schemas: ProviderSchemas): string {
  if (!/_/.test(text)) return text;
  const tokens = lex(text);
  let out: string[] | undefined;
  let last = 0;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const schema = tokens[i]!;
    const dot = tokens[i + 1]!;
    const table = tokens[i + 2]!;
    if (!isName(schema) || dot.value !== '.' || dot.kind !== 'op' || !isName(table)) continue;
    // Already three parts (`db.aws_ivs.stages`), or a column of one (`aws_ivs.stages.name`).
    if (tokens[i - 1]?.value === '.' || tokens[i + 3]?.value === '.') continue;
    const found = schemas.lookup(schema.value);
    if (!found || !schemas.hasResource(found.provider, found.service, table.value)) continue;
    out ??= [];
    out.push(text.slice(last, schema.start), rewrite(text, schema, found.provider));
    last = schema.end;
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join('');
}

/** `aws_ivs` → `aws.ivs`; `"aws_ivs"` → `"aws".ivs` (same length either way). */
function rewrite(text: string, schema: SqlToken, provider: string): string {
  const written = text.slice(schema.start, schema.end);
  if (schema.kind === 'word') return `${written.slice(0, provider.length)}.${written.slice(provider.length + 1)}`;
  // `"aws_ivs"`: the provider quoted, the service bare (service names are lower-case words).
  const inner = written.slice(1, -1);
  return `"${inner.slice(0, provider.length)}".${inner.slice(provider.length + 1)}`;
}
