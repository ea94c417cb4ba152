/**
 * Cross-reference checks of a service file that its JSON Schema cannot express: names that must
 * agree with each other, properties that must exist, methods that need a handler.
 */
import type { ResourceDef } from './types.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN } from './naming.js';

const VERB_OF_OPERATION: Record<string, string> = {
  CreateResource: 'INSERT',
  GetResource: 'SELECT',
  ListResources: 'SELECT',
  UpdateResource: 'UPDATE',
  DeleteResource: 'DELETE',
};
const HANDLER_OF_OPERATION: Record<string, 'create' | 'read' | 'list' | 'update' | 'delete'> = {
  CreateResource: 'create',
  GetResource: 'read',
  ListResources: 'list',
  UpdateResource: 'update',
  DeleteResource: 'delete',
};

type FileShape = { service: string; resources: Record<string, Omit<ResourceDef, 'name'>> };

export function checkServiceSemantics(file: FileShape, provider: string): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  for (const [name, r] of Object.entries(file.resources)) {
    const at = (key: string) => `resources.${name}${key ? `.${key}` : ''}`;
    const expected = `${provider}.${file.service}.${name}`;
    if (r.sqlName !== expected) problems.push(`${at('sqlName')}: is '${r.sqlName}' but the file and key make it '${expected}'`);
    const other = types.get(r.typeName);
    if (other) problems.push(`${at('typeName')}: ${r.typeName} is already described by resources.${other}`);
    types.set(r.typeName, name);
    const segment = r.typeName.split('::')[1]?.toLowerCase();
    if (segment !== file.service) problems.push(`${at('typeName')}: ${r.typeName} does not belong to service '${file.service}'`);

    const props = new Set(Object.keys((r.schema.properties ?? {}) as object));
    const checkProps = (key: string, list: string[] | undefined) => {
      (list ?? []).forEach((p, i) => {
        if (!props.has(p)) problems.push(`${at(`${key}[${i}]`)}: property '${p}' is not in schema.properties`);
      });
    };
    checkProps('primaryIdentifier', r.primaryIdentifier);
    (r.additionalIdentifiers ?? []).forEach((ids, i) => checkProps(`additionalIdentifiers[${i}]`, ids));
    checkProps('listParents', r.listParents);
    checkProps('required', r.required);
    const pointers = (key: string, list: string[] | undefined) => {
      (list ?? []).forEach((p, i) => {
        const top = /^\/properties\/([^/]+)/.exec(p)?.[1];
        if (!top || !props.has(top)) problems.push(`${at(`${key}[${i}]`)}: '${p}' does not point into schema.properties`);
      });
    };
    pointers('readOnlyProperties', r.readOnlyProperties);
    pointers('createOnlyProperties', r.createOnlyProperties);
    pointers('writeOnlyProperties', r.writeOnlyProperties);
    const readOnly = new Set(r.readOnlyProperties ?? []);
    (r.writeOnlyProperties ?? []).forEach((p, i) => {
      if (readOnly.has(p)) problems.push(`${at(`writeOnlyProperties[${i}]`)}: '${p}' cannot be both read-only and write-only`);
    });

    const columnNames = new Map<string, number>();
    r.columns.forEach((c, i) => {
      const lower = c.name.toLowerCase();
      if (columnNames.has(lower)) problems.push(`${at(`columns[${i}].name`)}: '${c.name}' repeats columns[${columnNames.get(lower)}]`);
      columnNames.set(lower, i);
      if (c.property !== undefined && !props.has(c.property)) problems.push(`${at(`columns[${i}].property`)}: property '${c.property}' is not in schema.properties`);
      if (c.readOnly && c.writeOnly) problems.push(`${at(`columns[${i}]`)}: a column cannot be both readOnly and writeOnly`);
    });
    const known = new Set([...columnNames.keys(), IDENTIFIER_COLUMN.toLowerCase(), PATCH_DOCUMENT_PARAM.toLowerCase(), REGION_COLUMN, ...[...props].map((p) => p.toLowerCase())]);

    const methodNames = new Set<string>();
    r.methods.forEach((m, i) => {
      if (methodNames.has(m.name)) problems.push(`${at(`methods[${i}].name`)}: method '${m.name}' is defined twice`);
      methodNames.add(m.name);
      if (m.call.api === 'cloudcontrol') {
        const verb = VERB_OF_OPERATION[m.call.operation];
        if (verb !== m.verb) problems.push(`${at(`methods[${i}].verb`)}: ${m.call.operation} is a ${verb} method, not ${m.verb}`);
        const handler = HANDLER_OF_OPERATION[m.call.operation];
        if (handler && !r.operations[handler]) problems.push(`${at(`methods[${i}].call`)}: ${m.call.operation} needs a '${handler}' entry in operations`);
      }
      m.requiredParams.forEach((p, j) => {
        if (!known.has(p.toLowerCase())) problems.push(`${at(`methods[${i}].requiredParams[${j}]`)}: '${p}' is neither a column nor a property`);
      });
    });
  }
  return problems;
}
