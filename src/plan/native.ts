/**
 * The statement side of native methods, pure: the SQL parameters of a request (identifier parts,
 * inserted columns, SET values), the operation's input built from them by the method's input
 * mapping, and what is missing. exec/ sends the input; EXPLAIN and dry runs print it (masked).
 */
import { inputParams, isNativeResource } from '../catalog/native-semantics.js';
import type { Method, NativeCall, NativeInput, ResourceDef } from '../catalog/types.js';
import { CcqlError } from '../errors.js';
import { maskWriteOnly } from '../schema/write-only.js';
import { parsePointer } from '../schema/pointer.js';
import { IDENTIFIER, REGION, columnForProperty, primaryIdentifierColumns, tableColumns } from './columns.js';
import type { PatchOperation } from './dml.js';

export { inputParams, isNativeResource };

/** SQL parameter values by lower-case name: columns, `region`, `data__identifier`. */
export type NativeParams = Readonly<Record<string, unknown>>;

export function nativeCallOf(m: Method | undefined): NativeCall | undefined {
  return m?.call.api === 'native' ? m.call : undefined;
}

/**
 * The input of the call: each member's parameter value where the statement gives one (a NULL
 * leaves it out), `[name]` as a list of that value, nested members as an object when any is given.
 */
export function buildInput(input: NativeInput | undefined, params: NativeParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, source] of Object.entries(input ?? {})) {
    if (typeof source === 'string' || Array.isArray(source)) {
      const v = params[(typeof source === 'string' ? source : source[0]).toLowerCase()];
      if (v === undefined || v === null) continue;
      out[member] = Array.isArray(source) ? [v] : v;
    } else {
      const nested = buildInput(source, params);
      if (Object.keys(nested).length > 0) out[member] = nested;
    }
  }
  return out;
}

/** The method's required parameters the statement gives no value for. */
export function missingParams(method: Method, params: NativeParams): string[] {
  return method.requiredParams.filter((p) => {
    const v = params[p.toLowerCase()];
    return v === undefined || v === null;
  });
}

/**
 * The parameters of one request: the identifier (and the primary-identifier columns it is made
 * of), the properties a row inserts, the columns an UPDATE sets, and the region.
 */
export function requestParams(
  resource: ResourceDef,
  request: { readonly region: string; readonly identifier?: string | undefined; readonly desiredState?: Readonly<Record<string, unknown>> | undefined; readonly patch?: readonly PatchOperation[] | undefined },
): Record<string, unknown> {
  const params: Record<string, unknown> = { [REGION]: request.region };
  if (request.identifier !== undefined) Object.assign(params, identifierParams(resource, request.identifier));
  for (const [property, value] of Object.entries(request.desiredState ?? {})) {
    const c = columnForProperty(resource, property);
    if (c) params[c.name] = value;
  }
  for (const op of request.patch ?? []) {
    const [property, ...rest] = parsePointer(op.path);
    const c = property === undefined ? undefined : columnForProperty(resource, property);
    if (!c || rest.length > 0 || (op.op !== 'add' && op.op !== 'replace')) {
      throw new CcqlError('not_supported', `${resource.sqlName} cannot ${op.op === 'remove' ? `set ${c?.name ?? op.path} to NULL` : `apply '${op.op} ${op.path}'`}: its update takes new values of whole columns`, {
        hint: `write SET column = value; SHOW METHODS IN ${resource.sqlName} names the update operation`,
      });
    }
    params[c.name] = op.value;
  }
  return params;
}

/** `data__identifier` and the primary-identifier columns it joins with `|`. */
export function identifierParams(resource: ResourceDef, identifier: string): Record<string, string> {
  const out: Record<string, string> = { [IDENTIFIER]: identifier };
  const pk = primaryIdentifierColumns(resource);
  const parts = pk.length > 1 ? identifier.split('|') : [identifier];
  pk.forEach((c, i) => {
    if (parts[i] !== undefined) out[c.name] = parts[i]!;
  });
  return out;
}

/** The request's parameters with write-only values masked, for dry runs and EXPLAIN. */
export function maskedParams(resource: ResourceDef, params: NativeParams): Record<string, unknown> {
  const byProperty: Record<string, unknown> = {};
  for (const c of tableColumns(resource)) if (c.property && params[c.name] !== undefined) byProperty[c.property] = params[c.name];
  const masked = maskWriteOnly(resource, byProperty);
  const out: Record<string, unknown> = { ...params };
  for (const c of tableColumns(resource)) {
    if (!c.property || params[c.name] === undefined) continue;
    out[c.name] = c.column.writeOnly ? '********' : masked[c.property];
  }
  return out;
}

/** "add WHERE name = '…'" / "add name to the column list" / "add @Name = '…'": how to give a missing parameter. */
export function missingParamError(resource: ResourceDef, method: Method, missing: readonly string[], how: 'where' | 'insert' | 'exec'): CcqlError {
  const names = missing.join(', ');
  const fix =
    how === 'where'
      ? `add WHERE ${missing.map((m) => `${m} = '…'`).join(' AND ')}`
      : how === 'insert'
        ? `add ${names} to the column list and give ${missing.length === 1 ? 'it a value' : 'them values'}`
        : `add ${missing.map((m) => `@${m} = '…'`).join(', ')}`;
  return new CcqlError('invalid_input', `${method.call.api === 'native' ? method.call.operation : method.name} on ${resource.sqlName} needs ${names}: ${fix}`, {
    hint: `SHOW METHODS IN ${resource.sqlName} lists each method's required parameters`,
  });
}

/** The SQL parameters a native method can take: its input's, plus region. */
export function methodParams(method: Method): string[] {
  const call = nativeCallOf(method);
  return [...new Set([...(call ? inputParams(call.input) : []), ...method.requiredParams.map((p) => p.toLowerCase()), REGION])];
}
