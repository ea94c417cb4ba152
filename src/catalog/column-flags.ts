import type { Column, ResourceDef } from './types.js';
import { nestedWriteOnly } from './examples.js';
import { snakeCase } from './naming.js';
import { secretColumns } from './native-semantics.js';

/** What DESCRIBE EXTENDED says about a column besides its type. */
export function columnFlags(r: ResourceDef, c: Column): string[] {
  const flags: string[] = [];
  if (c.property !== undefined && r.primaryIdentifier.includes(c.property)) flags.push('identifier');
  if (c.required) flags.push('required');
  if (c.readOnly) flags.push('read-only');
  if (c.createOnly) flags.push('create-only');
  if (c.writeOnly) flags.push('write-only');
  if (nestedWriteOnly(r, c).length > 0) flags.push('holds write-only fields');
  if (secretColumns(r).has(c.name.toLowerCase())) flags.push('secret: shown only by RETURNING');
  if (c.property !== undefined && r.listParents.includes(c.property)) flags.push('needed to list');
  // A column not named after its property (`property_region`: `region` is the AWS region):
  // say which property it is, the name CloudFormation documents.
  if (c.property !== undefined && c.name !== snakeCase(c.property)) flags.push(`property ${c.property}`);
  return flags;
}
