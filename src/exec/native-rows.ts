/**
 * A native operation's output as engine rows, by the method's output mapping: the items at its
 * rows path, each member into the column of that property, other columns from elsewhere in the
 * output. The method's secret values are masked unless the rows are RETURNING's, and collected so
 * that no message of the statement can show them.
 */
import type { NativeOutput, NativeRequest } from '../aws/native.js';
import { outputPath, replaceAtPath, selectPath, valueAt } from '../catalog/native-path.js';
import type { Method, NativeCall, ResourceDef } from '../catalog/types.js';
import { buildInput, identifierParams, nativeCallOf, type NativeParams } from '../plan/native.js';
import { IDENTIFIER, primaryIdentifierColumns } from '../plan/columns.js';
import { MASK, stripWriteOnly } from '../schema/write-only.js';
import { resourceRow, type Row } from './rows.js';

/** The request a native method makes with these parameters. */
export function nativeRequest(resource: ResourceDef, method: Method, params: NativeParams, label: string): NativeRequest {
  const call = nativeCallOf(method)!;
  return {
    client: call.client,
    operation: call.operation,
    region: String(params.region),
    input: buildInput(call.input, params),
    label,
    notFound: call.notFound,
  };
}

/** The string values at the method's secret paths. */
export function outputSecrets(call: NativeCall, output: NativeOutput): string[] {
  const out: string[] = [];
  for (const path of call.secrets ?? []) {
    for (const v of selectPath(output, outputPath(path))) if (typeof v === 'string' && v.length >= 3) out.push(v);
  }
  return out;
}

/** The output with every secret value replaced by `********`. */
export function maskOutput(call: NativeCall, output: NativeOutput): NativeOutput {
  let masked: unknown = output;
  for (const path of call.secrets ?? []) masked = replaceAtPath(masked, outputPath(path), (v) => (v === undefined || v === null ? v : MASK));
  return masked as NativeOutput;
}

export interface NativeRowOptions {
  region: string;
  /** Column values the call was made with, for rows that do not carry them. */
  implied?: Readonly<Record<string, unknown>>;
  identifierAlias?: boolean;
  /** RETURNING's rows keep the secrets; every other use masks them. */
  secrets: 'mask' | 'show';
}

/** The rows of one output. */
export function nativeRows(resource: ResourceDef, method: Method, output: NativeOutput, options: NativeRowOptions): Row[] {
  const call = nativeCallOf(method)!;
  const out = options.secrets === 'mask' ? maskOutput(call, output) : output;
  const at = call.output?.rows ?? '$';
  const found = valueAt(out, outputPath(at));
  const items = Array.isArray(found) ? found : found === undefined || found === null ? [] : [found];
  const extra = Object.entries(call.output?.columns ?? {}).map(([column, path]) => ({ column: column.toLowerCase(), value: valueAt(out, outputPath(path)) }));
  return items
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item))
    .map((item) => {
      const properties: Record<string, unknown> = { ...item };
      for (const e of extra) {
        const property = resource.columns.find((c) => c.name.toLowerCase() === e.column)?.property;
        if (property !== undefined && e.value !== undefined) properties[property] = e.value;
      }
      return propertiesRow(resource, properties, options);
    });
}

/**
 * A row from properties by name (an output item, or what a request sent), its identifier made
 * of the primary-identifier values (from `implied` where the properties lack them).
 */
export function propertiesRow(resource: ResourceDef, properties: Readonly<Record<string, unknown>>, options: Omit<NativeRowOptions, 'secrets'>): Row {
  const implied = options.implied ?? {};
  const parts = primaryIdentifierColumns(resource).map((c) => properties[c.property!] ?? implied[c.name]);
  const identifier = parts.every((p) => typeof p === 'string' || typeof p === 'number') ? parts.join('|') : typeof implied[IDENTIFIER] === 'string' ? String(implied[IDENTIFIER]) : '';
  return resourceRow(resource, options.region, identifier, { ...properties }, impliedColumns(resource, implied), options.identifierAlias ?? false);
}

/**
 * The parameters a call was made with, as column values for rows that lack them: never a
 * write-only value (an API key sent in auth_parameters stays out of the row that reads it back).
 */
function impliedColumns(resource: ResourceDef, implied: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const byProperty = stripWriteOnly(resource, paramProperties(resource, implied));
  const out: Record<string, unknown> = {};
  for (const c of resource.columns) {
    const name = c.name.toLowerCase();
    if (c.writeOnly || name === IDENTIFIER) continue;
    const v = c.property === undefined ? implied[name] : byProperty[c.property];
    if (v !== undefined && v !== null) out[name] = v;
  }
  return out;
}

/** The parameters of a call for a row that was listed (to read it whole, or change it). */
export function rowParams(resource: ResourceDef, row: Row): Record<string, unknown> {
  const params: Record<string, unknown> = { region: row.region };
  for (const c of primaryIdentifierColumns(resource)) if (row[c.name] !== undefined) params[c.name] = row[c.name];
  const id = row[IDENTIFIER];
  // The columns as listed win over the identifier's parts (they are the same values, unsplit).
  if (typeof id === 'string' && id !== '') return { ...identifierParams(resource, id), ...params };
  return params;
}

/** Properties by name from parameters by column, for the row of what a request sent. */
export function paramProperties(resource: ResourceDef, params: NativeParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const c = resource.columns.find((col) => col.name.toLowerCase() === k);
    if (c?.property !== undefined && v !== undefined && v !== null) out[c.property] = v;
  }
  return out;
}
