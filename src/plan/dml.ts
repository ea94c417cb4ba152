/**
 * INSERT/UPDATE checks and request bodies, before any call: which property each column names
 * (CloudFormation or snake_case form), properties that cannot be set (read-only) or changed
 * (create-only), required properties, JSON that does not parse. Pure.
 */
import { regionNameProblem } from '../catalog/naming.js';
import type { ResourceDef } from '../catalog/types.js';
import { at, CcqlError, suggest } from '../errors.js';
import { propertySchemaType } from '../schema/refs.js';
import { parsePointer, toPointer } from '../schema/pointer.js';
import { touchesWriteOnly } from '../schema/write-only.js';
import type { WrittenName } from '../sql/ir.js';
import {
  IDENTIFIER,
  IDENTIFIER_ALIAS,
  PATCH_DOCUMENT,
  REGION,
  findColumn,
  isCreateOnly,
  isReadOnly,
  tableColumns,
  type TableColumn,
} from './columns.js';
import { propertyValue } from './values.js';



export type InsertTarget = { kind: 'region' } | { kind: 'property'; column: TableColumn };

/** The property (or region) each INSERT column names. */
export function resolveInsertColumns(resource: ResourceDef, sqlName: string, cols: readonly WrittenName[]): InsertTarget[] {
  const seen = new Map<string, string>();
  return cols.map((c) => {
    const lower = c.name.toLowerCase();
    let target: InsertTarget;
    // `"Region"` (quoted, as written) on a type with a Region property is that property;
    // `region` is always where the request goes.
    const regionProperty = lower === REGION && c.name !== lower ? tableColumns(resource).find((col) => col.property === c.name) : undefined;
    if (regionProperty) target = { kind: 'property', column: regionProperty };
    else if (lower === REGION) target = { kind: 'region' };
    else if (lower === IDENTIFIER || (lower === IDENTIFIER_ALIAS && !hasIdentifierProperty(resource))) {
      throw at(
        new CcqlError('invalid_input', `${c.name} cannot be given to INSERT: Cloud Control assigns the identifier`, {
          hint: `give the properties that make it up instead (${resource.primaryIdentifier.join(', ')})`,
        }),
        c.offset,
      );
    } else {
      const column = findColumn(resource, c.name);
      if (!column?.property) throw at(unknownProperty(resource, sqlName, c.name), c.offset);
      if (isReadOnly(resource, column.property)) {
        throw at(
          new CcqlError('invalid_input', `${column.property} (${column.name}) is read-only: AWS sets it, it cannot be given to INSERT`, {
            hint: `leave ${column.name} out of the column list`,
          }),
          c.offset,
        );
      }
      target = { kind: 'property', column };
    }
    const key = target.kind === 'region' ? REGION : target.column.name;
    if (seen.has(key)) {
      const property = key === REGION ? tableColumns(resource).find((col) => col.property?.toLowerCase() === REGION) : undefined;
      throw at(
        new CcqlError('invalid_input', `${c.name} is given twice (also as ${seen.get(key)})`, {
          ...(property ? { hint: `the property ${property.property} is the column ${property.name} (or "${property.property}", quoted)` } : {}),
        }),
        c.offset,
      );
    }
    seen.set(key, c.name);
    return target;
  });
}

/**
 * Types with a property named `Identifier` (AWS::Cognito::UserPoolResourceServer…): in INSERT
 * and SET, where only properties are written, `Identifier` is that property (its column is
 * property_identifier); elsewhere it is the Cloud Control identifier.
 */
function hasIdentifierProperty(resource: ResourceDef): boolean {
  return tableColumns(resource).some((c) => c.property?.toLowerCase() === IDENTIFIER_ALIAS);
}

export interface DesiredState {
  region: string;
  /** Properties by CloudFormation name. */
  state: Record<string, unknown>;
}

/**
 * One DesiredState per row. `values[i][j]` is row i's value for column j (JS values: strings,
 * numbers, booleans, null, parsed JSON). Checks types, JSON and required properties.
 */
export function desiredStates(
  resource: ResourceDef,
  sqlName: string,
  targets: readonly InsertTarget[],
  values: readonly unknown[][],
  defaultRegion: string | undefined,
  /** Where row i's value j is written in the statement, when known (for error positions). */
  offsetOf: (row: number, col: number) => number | undefined = () => undefined,
): DesiredState[] {
  const located = (e: unknown, row: number, col: number): unknown => {
    const offset = offsetOf(row, col);
    return e instanceof CcqlError && offset !== undefined ? at(e, offset) : e;
  };
  return values.map((row, i) => {
    const rowLabel = values.length > 1 ? ` (row ${i + 1})` : '';
    if (row.length !== targets.length) {
      throw located(new CcqlError('invalid_input', `INSERT has ${targets.length} columns but row ${i + 1} has ${row.length} values`), i, Math.min(row.length, targets.length));
    }
    let region: string | undefined;
    const state: Record<string, unknown> = {};
    targets.forEach((t, j) => {
      const v = row[j];
      if (t.kind === 'region') {
        if (v !== null && v !== undefined) region = String(v);
        const problem = region === undefined ? undefined : regionNameProblem(region);
        if (problem) throw located(new CcqlError('invalid_input', `${problem.message}${rowLabel}`, { hint: problem.hint }), i, j);
        return;
      }
      const col = t.column;
      try {
        const pv = propertyValue(col, v, () => `${col.property}${rowLabel}`);
        if (pv !== undefined) {
          checkJsonShape(resource, col, pv, () => `${col.property}${rowLabel}`);
          state[col.property!] = pv;
        }
      } catch (e) {
        throw located(e, i, j);
      }
    });
    const missing = resource.required.filter((p) => state[p] === undefined);
    if (missing.length > 0) {
      const names = missing.map((p) => `${p} (${tableColumns(resource).find((c) => c.property === p)?.name ?? p})`);
      throw new CcqlError('invalid_input', `${sqlName} needs ${names.join(', ')}${rowLabel}: missing required propert${missing.length === 1 ? 'y' : 'ies'}`, {
        hint: `add ${missing.join(', ')} to the column list and give ${missing.length === 1 ? 'it a value' : 'them values'}`,
      });
    }
    region ??= defaultRegion;
    if (!region) {
      throw new CcqlError('invalid_input', `INSERT INTO ${sqlName} needs a region${rowLabel}: add a region column`, {
        hint: 'or set a default region with --region or AWS_REGION',
      });
    }
    return { region, state };
  });
}

export type SetTarget = { kind: 'patch' } | { kind: 'property'; column: TableColumn };

/** The property each UPDATE … SET column names; refuses what cannot be changed. */
export function resolveSetColumns(resource: ResourceDef, sqlName: string, sets: readonly WrittenName[]): SetTarget[] {
  return sets.map((s) => {
    const lower = s.name.toLowerCase();
    // StackQL writes `SET PatchDocument = …` (unless the type has a property of that name).
    if (lower === PATCH_DOCUMENT || (lower === 'patchdocument' && !findColumn(resource, s.name))) return { kind: 'patch' };
    if (lower === REGION || lower === IDENTIFIER || (lower === IDENTIFIER_ALIAS && !hasIdentifierProperty(resource))) {
      throw at(new CcqlError('invalid_input', `${s.name} cannot be changed by UPDATE`, { hint: 'it selects the resource; put it in the WHERE clause' }), s.offset);
    }
    const column = findColumn(resource, s.name);
    if (!column?.property) throw at(unknownProperty(resource, sqlName, s.name, true), s.offset);
    const refusal = unchangeable(resource, column.property);
    if (refusal) throw at(refusal, s.offset);
    return { kind: 'property', column };
  });
}

export type PatchOperation = { op: string; path: string; value?: unknown; from?: string };

/** JSON Patch operations for `SET col = value` pairs: add (which also replaces) or remove for NULL. */
export function patchForValues(
  resource: ResourceDef,
  targets: ReadonlyArray<{ column: TableColumn }>,
  values: readonly unknown[],
  describe: (i: number) => string,
): PatchOperation[] {
  return targets.map((t, i) => {
    const v = propertyValue(t.column, values[i], () => describe(i));
    if (v !== undefined) checkJsonShape(resource, t.column, v, () => describe(i));
    const path = toPointer([t.column.property!]);
    return v === undefined ? { op: 'remove', path } : { op: 'add', path, value: v };
  });
}

/** Checks a user-written patch document: an array of operations on properties that may change. */
export function checkPatchDocument(resource: ResourceDef, sqlName: string, doc: unknown): PatchOperation[] {
  if (!Array.isArray(doc)) {
    throw new CcqlError('invalid_input', 'data__PatchDocument must be a JSON array of patch operations', {
      hint: `e.g. '[{"op": "replace", "path": "/Name", "value": "new"}]'`,
    });
  }
  return doc.map((op, i) => {
    const o = op as Partial<PatchOperation> | null;
    if (typeof o !== 'object' || o === null || typeof o.op !== 'string' || typeof o.path !== 'string') {
      throw new CcqlError('invalid_input', `data__PatchDocument operation ${i + 1} needs "op" and "path"`);
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(o.op)) {
      throw new CcqlError('invalid_input', `data__PatchDocument operation ${i + 1}: unknown op '${o.op}'`, { hint: 'ops are add, remove, replace, move, copy, test' });
    }
    for (const path of [o.path, ...(typeof o.from === 'string' ? [o.from] : [])]) {
      const top = path.startsWith('/') ? (parsePointer(path)[0] ?? '') : '';
      if (!path.startsWith('/') || top === '') throw new CcqlError('invalid_input', `data__PatchDocument operation ${i + 1}: path '${path}' must start with /Property`);
      const column = tableColumns(resource).find((c) => c.property === top);
      if (!column) throw unknownProperty(resource, sqlName, top, true);
      if (o.op !== 'test') {
        const refusal = unchangeable(resource, top);
        if (refusal) throw refusal;
      }
    }
    // Reading a write-only value into a readable place (copy, move), or testing it (a guessing
    // oracle: the request fails or succeeds by the secret's value), would disclose it.
    const reads = o.op === 'copy' || o.op === 'move' ? o.from : o.op === 'test' ? o.path : undefined;
    if (typeof reads === 'string' && touchesWriteOnly(resource, reads)) {
      throw new CcqlError('invalid_input', `data__PatchDocument operation ${i + 1}: '${o.op}' reads ${reads}, which holds a write-only value`, {
        hint: 'write-only values (passwords, keys, secrets) can be set (add, replace) or removed, never read',
      });
    }
    return o as PatchOperation;
  });
}

/**
 * A jsonb column's value must be what the schema says the property is (an array of tags, an
 * object): the obvious mistakes are caught here; the service validates the rest.
 */
function checkJsonShape(resource: ResourceDef, col: TableColumn, value: unknown, describe: () => string): void {
  if (col.type !== 'jsonb') return;
  const expected = propertySchemaType(resource, col.property!);
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  if ((expected === 'array' || expected === 'object') && actual !== expected) {
    throw new CcqlError('invalid_input', `${describe()} takes a JSON ${expected}, not a JSON ${actual}`, {
      hint: expected === 'array' ? `e.g. '[{"Key": "team", "Value": "video"}]'` : `e.g. '{"Key": "value"}'`,
    });
  }
}

function unchangeable(resource: ResourceDef, property: string): CcqlError | undefined {
  const column = tableColumns(resource).find((c) => c.property === property)?.name ?? property;
  if (isReadOnly(resource, property)) {
    return new CcqlError('invalid_input', `${property} (${column}) is read-only: AWS sets it, UPDATE cannot change it`);
  }
  if (isCreateOnly(resource, property)) {
    return new CcqlError('invalid_input', `${property} (${column}) is create-only: it cannot be changed after the resource is created`, {
      hint: 'to change it, DELETE the resource and INSERT it again with the new value',
    });
  }
  return undefined;
}

function unknownProperty(resource: ResourceDef, sqlName: string, written: string, forUpdate = false): CcqlError {
  const cols = tableColumns(resource).filter((c) => c.property);
  const candidates = [...cols.map((c) => c.name), ...cols.map((c) => c.property!), ...(forUpdate ? ['data__PatchDocument'] : [])];
  const s = suggest(written, candidates);
  return new CcqlError('unknown_name', `${sqlName} has no property '${written}'`, {
    sqlstate: '42703',
    hint: s ? `did you mean '${s}'?` : `DESCRIBE ${sqlName} lists its columns`,
  });
}
