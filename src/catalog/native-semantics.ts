/**
 * Cross-checks of native methods (NativeCall) that a JSON Schema cannot express: every input
 * member comes from a parameter the table has, every output path parses and names columns that
 * exist, a required parameter is used by the input, and a resource's methods are all native or
 * all Cloud Control (one executor per table).
 */
import type { Method, NativeCall, NativeInput, ResourceDef } from './types.js';
import { IDENTIFIER_COLUMN, REGION_COLUMN } from './naming.js';
import { parseOutputPath, pathAfter } from './native-path.js';

/** True for a resource whose methods call a service's own API. */
export function isNativeResource(r: Pick<ResourceDef, 'methods'>): boolean {
  return r.methods.some((m) => m.call.api === 'native');
}

/** Every parameter an input mapping reads, lower-case, in order of appearance. */
export function inputParams(input: NativeInput | undefined): string[] {
  const out: string[] = [];
  const walk = (node: NativeInput): void => {
    for (const source of Object.values(node)) {
      if (typeof source === 'string') out.push(source.toLowerCase());
      else if (Array.isArray(source)) out.push(source[0].toLowerCase());
      else walk(source);
    }
  };
  if (input) walk(input);
  return [...new Set(out)];
}

type ResourceShape = Omit<ResourceDef, 'name'>;

export function checkNativeMethods(r: ResourceShape, at: (key: string) => string): string[] {
  const problems: string[] = [];
  const native = r.methods.filter((m) => m.call.api === 'native');
  if (native.length === 0) return problems;
  if (native.length !== r.methods.length) {
    problems.push(`${at('methods')}: mixes Cloud Control and native methods; a table is served by one API (put the native methods in a resource of their own)`);
  }
  const columns = new Set(r.columns.map((c) => c.name.toLowerCase()));
  const params = new Set([...columns, REGION_COLUMN, IDENTIFIER_COLUMN.toLowerCase()]);
  r.methods.forEach((m, i) => {
    if (m.call.api !== 'native') return;
    problems.push(...checkCall(m, m.call, i, params, columns, at));
  });
  return problems;
}

function checkCall(m: Method, call: NativeCall, i: number, params: ReadonlySet<string>, columns: ReadonlySet<string>, at: (key: string) => string): string[] {
  const problems: string[] = [];
  const here = (key: string) => at(`methods[${i}].call.${key}`);
  const walk = (node: NativeInput, path: string): void => {
    for (const [member, source] of Object.entries(node)) {
      const key = `${path}.${member}`;
      if (typeof source === 'string' || Array.isArray(source)) {
        const name = typeof source === 'string' ? source : source[0];
        if (!params.has(name.toLowerCase())) problems.push(`${here(key)}: '${name}' is not a parameter of the table (a column, region or data__Identifier)`);
      } else walk(source, key);
    }
  };
  if (call.input) walk(call.input, 'input');
  const used = new Set(inputParams(call.input));
  m.requiredParams.forEach((p, j) => {
    const lower = p.toLowerCase();
    if (lower !== REGION_COLUMN && !used.has(lower)) problems.push(`${at(`methods[${i}].requiredParams[${j}]`)}: '${p}' is required but the input never uses it`);
  });
  const path = (key: string, text: string): void => {
    const parsed = parseOutputPath(text);
    if (typeof parsed === 'string') problems.push(`${here(key)}: ${parsed}`);
  };
  if (call.output?.rows !== undefined) path('output.rows', call.output.rows);
  (call.output?.fields ?? []).forEach((f, j) => {
    if (!columns.has(f.toLowerCase())) problems.push(`${here(`output.fields[${j}]`)}: '${f}' is not a column`);
  });
  for (const [column, text] of Object.entries(call.output?.columns ?? {})) {
    if (!columns.has(column.toLowerCase())) problems.push(`${here(`output.columns.${column}`)}: '${column}' is not a column`);
    path(`output.columns.${column}`, text);
  }
  (call.secrets ?? []).forEach((s, j) => path(`secrets[${j}]`, s));
  if (call.pagination && call.input && Object.prototype.hasOwnProperty.call(call.input, call.pagination.inputToken)) {
    problems.push(`${here('pagination.inputToken')}: '${call.pagination.inputToken}' is also mapped in input; the executor sets it`);
  }
  return problems;
}

/** A native SELECT method that reads one resource by its identifier (the get of get-or-list). */
export function nativeGetMethod(r: Pick<ResourceDef, 'primaryIdentifier' | 'columns'>, m: Method): boolean {
  if (m.verb !== 'SELECT' || m.call.api !== 'native') return false;
  const keys = new Set([IDENTIFIER_COLUMN.toLowerCase(), ...r.primaryIdentifier.map((p) => r.columns.find((c) => c.property === p)?.name.toLowerCase() ?? '')]);
  const given = m.requiredParams.map((p) => p.toLowerCase()).filter((p) => p !== REGION_COLUMN);
  return given.length > 0 && given.every((p) => keys.has(p));
}

/** The properties a native table's list rows carry: its first list method's fields, else every column's. */
export function nativeListedProperties(r: ResourceDef): string[] {
  const list = r.methods.find((m) => m.verb === 'SELECT' && !nativeGetMethod(r, m));
  const fields = list?.call.api === 'native' ? list.call.output?.fields : undefined;
  const cols = fields ? r.columns.filter((c) => fields.some((f) => f.toLowerCase() === c.name.toLowerCase())) : r.columns;
  return cols.flatMap((c) => (c.property ? [c.property] : []));
}

/**
 * Columns holding values a native method declares secret, by column name: where a secret path
 * (`$.participantTokens[*].token`) lies under the method's rows path (a member of each row) or
 * under the path of an output column.
 */
export function secretColumns(r: Pick<ResourceDef, 'methods' | 'columns'>): Set<string> {
  const out = new Set<string>();
  for (const m of r.methods) {
    if (m.call.api !== 'native') continue;
    const rows = parseOutputPath(m.call.output?.rows ?? '$');
    for (const text of m.call.secrets ?? []) {
      const path = parseOutputPath(text);
      if (typeof path === 'string' || typeof rows === 'string') continue;
      for (const [column, columnPath] of Object.entries(m.call.output?.columns ?? {})) {
        const cp = parseOutputPath(columnPath);
        if (typeof cp !== 'string' && pathAfter(path, cp) !== undefined) out.add(column.toLowerCase());
      }
      const rest = pathAfter(path, rows);
      const head = rows.length > 0 && rest?.[0]?.kind === 'all' ? rest[1] : rest?.[0];
      if (head?.kind === 'member') {
        const c = r.columns.find((col) => col.property === head.name);
        if (c) out.add(c.name.toLowerCase());
      }
    }
  }
  return out;
}
