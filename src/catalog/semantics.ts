/**
 * Cross-reference checks of a service file that its JSON Schema cannot express: names that must
 * agree with each other, properties that must exist, methods that need a handler.
 */
import type { ResourceDef } from './types.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN } from './naming.js';
import { checkNativeMethods, isNativeResource } from './native-semantics.js';

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

/** `identifier`: what statements may write for `data__Identifier` (plan/columns.ts). */
const IDENTIFIER_ALIAS = 'identifier';

type FileShape = { service: string; resources: Record<string, Omit<ResourceDef, 'name'>> };

export function checkServiceSemantics(file: FileShape, provider: string): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  problems.push(...checkResourceAliases(file));
  for (const [name, r] of Object.entries(file.resources)) {
    const at = (key: string) => `resources.${name}${key ? `.${key}` : ''}`;
    const expected = `${provider}.${file.service}.${name}`;
    if (r.sqlName !== expected) problems.push(`${at('sqlName')}: is '${r.sqlName}' but the file and key make it '${expected}'`);
    const other = types.get(r.typeName);
    if (other) problems.push(`${at('typeName')}: ${r.typeName} is already described by resources.${other}`);
    types.set(r.typeName, name);
    // A native table names the CloudFormation type it stands for (or one in that form), which may
    // belong to another segment: aws.ivs_realtime.stages are AWS::IVS::Stage resources.
    const segment = r.typeName.split('::')[1]?.toLowerCase();
    if (segment !== file.service && !isNativeResource(r)) problems.push(`${at('typeName')}: ${r.typeName} does not belong to service '${file.service}'`);

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
    problems.push(...checkColumnAliases(r.columns, at));
    problems.push(...checkNativeMethods(r, at));
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

/**
 * A table alias is another name of that table in its service: never a resource's name, never
 * another resource's alias, never repeated.
 */
function checkResourceAliases(file: FileShape): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(file.resources));
  const owner = new Map<string, string>();
  for (const [name, r] of Object.entries(file.resources)) {
    (r.aliases ?? []).forEach((a, i) => {
      const at = `resources.${name}.aliases[${i}]`;
      if (a === name) problems.push(`${at}: '${a}' is the resource's own name`);
      else if (names.has(a)) problems.push(`${at}: '${a}' is the name of resources.${a}`);
      else if (owner.has(a)) problems.push(`${at}: '${a}' is already an alias of resources.${owner.get(a)}`);
      else owner.set(a, name);
    });
  }
  return problems;
}

/**
 * A column alias is another name of that column: never a column's name, another column's alias
 * or `identifier` (the Cloud Control identifier's), ignoring case, never repeated.
 */
function checkColumnAliases(columns: ReadonlyArray<{ name: string; aliases?: string[] }>, at: (key: string) => string): string[] {
  const problems: string[] = [];
  const names = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  const owner = new Map<string, number>();
  columns.forEach((c, i) => {
    (c.aliases ?? []).forEach((a, j) => {
      const lower = a.toLowerCase();
      const here = at(`columns[${i}].aliases[${j}]`);
      if (names.has(lower)) problems.push(`${here}: '${a}' is the name of columns[${names.get(lower)}]`);
      else if (lower === IDENTIFIER_ALIAS) problems.push(`${here}: '${a}' is the Cloud Control identifier's alias`);
      else if (owner.has(lower)) problems.push(`${here}: '${a}' is already an alias of columns[${owner.get(lower)}]`);
      else owner.set(lower, i);
    });
  });
  return problems;
}
