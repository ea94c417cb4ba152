/**
 * How a resource's SQL columns relate to its Cloud Control properties: which columns a list
 * returns, which name a user may write for a property, which properties are read-only,
 * create-only or write-only.
 */
import type { Column, ResourceDef, SqlType } from '../catalog/types.js';
import { listedProperties } from '../catalog/listing.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN, snakeCase } from '../catalog/naming.js';

/** The column name every table uses for the Cloud Control identifier, as the engine spells it. */
export const IDENTIFIER = IDENTIFIER_COLUMN.toLowerCase();
/** `Identifier` is accepted as an alias of `data__Identifier` (as in StackQL). */
export const IDENTIFIER_ALIAS = 'identifier';
export const REGION = REGION_COLUMN;
/** UPDATE's `SET data__PatchDocument = '[…]'`, as the engine spells it. */
export const PATCH_DOCUMENT = PATCH_DOCUMENT_PARAM.toLowerCase();

export interface TableColumn {
  /** Lower-case SQL name, as the engine table has it. */
  name: string;
  type: SqlType;
  /** The CloudFormation property (top-level), absent for region/data__identifier. */
  property: string | undefined;
  /** Other names statements may write for it, lower-case (`provider_ar_ns` for `provider_arns`). */
  aliases: readonly string[];
  column: Column;
}

const cache = new WeakMap<ResourceDef, TableColumn[]>();

/** The engine table's columns: region, data__identifier, one per property. */
export function tableColumns(resource: ResourceDef): TableColumn[] {
  let cols = cache.get(resource);
  if (!cols) {
    cols = resource.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type, property: c.property, aliases: (c.aliases ?? []).map((a) => a.toLowerCase()), column: c }));
    cache.set(resource, cols);
  }
  return cols;
}

/** Column names a statement may use, lower-case (with the `identifier` alias when free). */
export function columnNames(resource: ResourceDef): string[] {
  const names = tableColumns(resource).map((c) => c.name);
  if (!names.includes(IDENTIFIER_ALIAS)) names.push(IDENTIFIER_ALIAS);
  return names;
}

/**
 * What a statement may write for a table's columns (the analyzer's TableShape): the engine
 * table's names (`columnNames`) and each alias with the name it stands for, lower-case.
 */
export function tableShape(resource: ResourceDef): { columns: string[]; aliases: Map<string, string> } {
  const aliases = new Map<string, string>();
  for (const c of tableColumns(resource)) for (const a of c.aliases) aliases.set(a, c.name);
  return { columns: columnNames(resource), aliases };
}

/** True when `identifier` means data__Identifier for this resource (no property of that name). */
export function identifierAliasFree(resource: ResourceDef): boolean {
  return !tableColumns(resource).some((c) => c.name === IDENTIFIER_ALIAS);
}

export function columnForProperty(resource: ResourceDef, property: string): TableColumn | undefined {
  return tableColumns(resource).find((c) => c.property === property);
}

/**
 * The column of a property given in any form: its name or an alias (`provider_arns`,
 * `provider_ar_ns`), the property (`ProviderARNs`), or the property in snake_case.
 */
export function findColumn(resource: ResourceDef, written: string): TableColumn | undefined {
  const lower = written.toLowerCase();
  const cols = tableColumns(resource);
  return (
    cols.find((c) => c.name === lower) ??
    cols.find((c) => c.aliases.includes(lower)) ??
    cols.find((c) => c.property !== undefined && c.property.toLowerCase() === lower) ??
    cols.find((c) => c.property !== undefined && snakeCase(c.property) === snakeCase(written))
  );
}

/** Columns the list call returns: region, the identifier, the primary identifier and list parents. */
export function listColumns(resource: ResourceDef): Set<string> {
  const out = new Set<string>([REGION, IDENTIFIER, IDENTIFIER_ALIAS]);
  for (const p of listedProperties(resource)) {
    const c = columnForProperty(resource, p);
    if (c) out.add(c.name);
  }
  return out;
}

export function primaryIdentifierColumns(resource: ResourceDef): TableColumn[] {
  return resource.primaryIdentifier.map((p) => columnForProperty(resource, p)).filter((c): c is TableColumn => c !== undefined);
}

export function listParentColumns(resource: ResourceDef): TableColumn[] {
  return resource.listParents.map((p) => columnForProperty(resource, p)).filter((c): c is TableColumn => c !== undefined);
}

export function isReadOnly(resource: ResourceDef, property: string): boolean {
  return resource.readOnlyProperties.some((p) => p === `/properties/${property}`);
}

export function isCreateOnly(resource: ResourceDef, property: string): boolean {
  return resource.createOnlyProperties.some((p) => p === `/properties/${property}`);
}
