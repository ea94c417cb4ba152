/**
 * Cloud Control resources as engine rows: `region`, `data__identifier`, then one value per
 * property column (by lower-case column name). Write-only values never get into a row.
 */
import type { ResourceDef } from '../catalog/types.js';
import { IDENTIFIER, IDENTIFIER_ALIAS, REGION, tableColumns } from '../plan/columns.js';
import { stripWriteOnly } from '../schema/write-only.js';

export type Row = Record<string, unknown>;

export function resourceRow(
  resource: ResourceDef,
  region: string,
  identifier: string,
  properties: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  identifierAlias = false,
): Row {
  const props = stripWriteOnly(resource, properties);
  const row: Row = { [REGION]: region, [IDENTIFIER]: identifier };
  for (const c of tableColumns(resource)) {
    if (!c.property) continue;
    if (c.column.writeOnly) continue;
    const v = props[c.property];
    if (v !== undefined) row[c.name] = v;
  }
  // Values the call was made with (list parents) when the response leaves them out.
  for (const [k, v] of Object.entries(extra)) if (row[k] === undefined) row[k] = v;
  if (identifierAlias) row[IDENTIFIER_ALIAS] = identifier;
  return row;
}
