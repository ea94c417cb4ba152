/**
 * Plans EXEC: the method named, its parameters resolved to the table's columns (by any name a
 * column answers to: `@Name`, `@name`, `@fleet_name` for FleetName) and converted to their types,
 * the region, and every required parameter present. Pure; the call itself is exec/'s.
 */
import type { Catalog } from '../catalog/loader.js';
import type { Method, ResourceDef } from '../catalog/types.js';
import { at, CcqlError, suggest } from '../errors.js';
import type { Notice } from '../result.js';
import type { ExecNode } from '../sql/ir.js';
import { IDENTIFIER, IDENTIFIER_ALIAS, REGION, findColumn, identifierAliasFree, type TableColumn } from './columns.js';
import { identifierParams, methodParams, missingParamError, missingParams, nativeCallOf } from './native.js';
import { literalValue, parseJson, propertyValue } from './values.js';

export interface ExecPlan {
  readonly kind: 'exec';
  /** `aws.appstream.fleets.start_fleet`, as ccql names it. */
  readonly name: string;
  readonly resource: ResourceDef;
  readonly method: Method;
  readonly region: string;
  /** The method's parameters by lower-case name (columns, `region`, `data__identifier`). */
  readonly params: Readonly<Record<string, unknown>>;
  /** `/*+ SHOWRESULTS *\/`: the answer as rows; else a command tag and a notice. */
  readonly showResults: boolean;
  readonly notices: readonly Notice[];
}

export function planExec(node: ExecNode, catalog: Catalog, defaultRegion: string | undefined, regionSource: string | undefined): ExecPlan {
  let resource: ResourceDef;
  try {
    resource = catalog.resource(...node.parts);
  } catch (e) {
    throw e instanceof CcqlError ? at(e, node.span.start) : e;
  }
  const written = node.method.name.toLowerCase();
  const method = resource.methods.find((m) => m.name === written);
  if (!method) {
    const s = suggest(written, resource.methods.map((m) => m.name));
    throw at(
      new CcqlError('unknown_name', `${resource.sqlName} has no method '${node.method.name}'`, {
        hint: s ? `did you mean ${resource.sqlName}.${s}?` : `SHOW METHODS IN ${resource.sqlName} lists its methods`,
      }),
      node.method.offset,
    );
  }
  const name = `${resource.sqlName}.${method.name}`;
  if (!nativeCallOf(method)) {
    const verb = method.verb === 'SELECT' ? 'SELECT' : method.verb;
    throw at(
      new CcqlError('not_supported', `${name} is a Cloud Control method: EXEC runs methods of a service's own API`, {
        hint: `use ${verb} on ${resource.sqlName}, which calls it`,
      }),
      node.method.offset,
    );
  }
  const takes = new Set(methodParams(method));
  const params: Record<string, unknown> = {};
  const given = new Map<string, string>();
  const set = (written: string, offset: number, value: unknown): void => {
    const key = paramKey(resource, written);
    if (key === undefined || !takes.has(key.name)) {
      const list = [...takes].map((p) => `@${p}`).join(', ');
      const s = suggest(written, [...takes]);
      throw at(
        new CcqlError('invalid_input', `${name} takes no parameter @${written}`, { hint: s ? `did you mean @${s}? It takes ${list}` : `it takes ${list}` }),
        offset,
      );
    }
    if (given.has(key.name)) throw at(new CcqlError('invalid_input', `@${written} is given twice (also as @${given.get(key.name)})`), offset);
    given.set(key.name, written);
    try {
      params[key.name] = key.column ? propertyValue(key.column, value, () => `@${written}`) : value === null ? undefined : String(value);
    } catch (e) {
      throw e instanceof CcqlError ? at(e, offset) : e;
    }
  };
  for (const p of node.params) {
    const value = literalValue({ literal: p.value.literal, cast: p.value.cast }, () => `@${p.name.name}`);
    set(p.name.name, p.name.offset, value);
  }
  if (node.json) {
    const doc = parseJson(node.json.text, () => '@@json');
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw at(new CcqlError('invalid_input', '@@json must be a JSON object of parameters', { hint: `e.g. @@json = '{"Name": "f1"}'` }), node.json.offset);
    for (const [k, v] of Object.entries(doc)) set(k, node.json.offset, v);
  }
  const notices: Notice[] = [];
  let region = params[REGION] as string | undefined;
  if (region === undefined) {
    if (!defaultRegion) {
      throw at(new CcqlError('invalid_input', `${name} needs a region: add @region = '…'`, { hint: 'or set a default region with --region or AWS_REGION' }), node.span.start);
    }
    region = defaultRegion;
    params[REGION] = region;
    notices.push({ severity: 'NOTICE', message: `no region given for ${name}: using ${defaultRegion} (from ${regionSource ?? 'the session default'})` });
  }
  const id = params[IDENTIFIER];
  if (typeof id === 'string') Object.assign(params, { ...identifierParams(resource, id), ...params });
  const missing = missingParams(method, params);
  if (missing.length > 0) throw at(missingParamError(resource, method, missing, 'exec'), node.span.start);
  return { kind: 'exec', name, resource, method, region, params, showResults: node.hints.has('SHOWRESULTS'), notices };
}

/** What an `@name` means: a column (by any of its names), region or the identifier. */
function paramKey(resource: ResourceDef, written: string): { name: string; column: TableColumn | undefined } | undefined {
  const lower = written.toLowerCase();
  if (lower === REGION) return { name: REGION, column: undefined };
  if (lower === IDENTIFIER || (lower === IDENTIFIER_ALIAS && identifierAliasFree(resource))) return { name: IDENTIFIER, column: undefined };
  const column = findColumn(resource, written);
  return column ? { name: column.name, column } : undefined;
}
