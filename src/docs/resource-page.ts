/**
 * The reference page of one resource (docs/providers/aws/<service>/<resource>.md), modelled on
 * StackQL's provider pages but in plain Markdown: overview, fields, methods, SELECT / INSERT /
 * UPDATE / DELETE examples, a deploy manifest and the IAM permissions of each operation.
 */
import { stringify } from 'yaml';
import { isNativeResource, secretColumns } from '../catalog/native-semantics.js';
import type { Column, HandlerName, Method, ResourceDef } from '../catalog/types.js';
import { columnFlags } from '../catalog/column-flags.js';
import {
  alternativeColumns,
  deleteStatement,
  execStatement,
  insertStatement,
  nativeUpdateStatement,
  manifestExample,
  nestedWriteOnly,
  selectGetStatement,
  selectListStatement,
  singularName,
  updatePatchStatement,
  updateSetStatement,
} from '../catalog/examples.js';
import { cell, code, fenced, table } from './markdown.js';

const OPERATION_TITLES: Array<[HandlerName, string]> = [
  ['create', 'Create'],
  ['read', 'Read'],
  ['update', 'Update'],
  ['delete', 'Delete'],
  ['list', 'List'],
];

export interface PageContext {
  /** The Cloud Control table of the same type, for a native table that has one (`aws.ivs.channels`). */
  sameAs?: string | undefined;
}

export function resourcePage(r: ResourceDef, context: PageContext = {}): string {
  const native = isNativeResource(r);
  const sections = [
    `# ${r.name}`,
    summary(r),
    overview(r, context),
    fields(r),
    methods(r),
    selectExamples(r),
    insertExamples(r),
    native ? nativeUpdateExample(r) : updateExamples(r),
    deleteExample(r),
    ...(native ? execExamples(r) : []),
    permissions(r),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** "Creates, updates, deletes or gets a `stage` resource or lists `stages` in a region." */
function summary(r: ResourceDef): string {
  const one = code(singularName(r));
  const verbs: string[] = [];
  if (r.operations.create) verbs.push('creates');
  if (r.operations.update) verbs.push('updates');
  if (r.operations.delete) verbs.push('deletes');
  if (r.operations.read) verbs.push('gets');
  const parts: string[] = [];
  if (verbs.length > 0) parts.push(`${joinOr(verbs)} a ${one} resource`);
  if (r.operations.list) parts.push(`lists ${code(r.name)} in a region`);
  if (parts.length === 0) return `Describes the ${one} resource type; Cloud Control offers no operation on it.`;
  const text = parts.join(' or ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function joinOr(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function overview(r: ResourceDef, context: PageContext): string {
  const clients = [...new Set(r.methods.flatMap((m) => (m.call.api === 'native' ? [m.call.client] : [])))];
  const rows: string[][] = [
    ['**Name**', code(r.name)],
    ['**Type**', 'Resource'],
    ['**Description**', cell(r.description || `Resource type ${r.typeName}.`)],
    ['**Id**', code(r.sqlName)],
    clients.length > 0 ? ['**Resource type**', code(r.typeName)] : ['**CloudFormation type**', code(r.typeName)],
    ...(clients.length > 0 ? [['**Served by**', `the service's own API through ${clients.map(code).join(', ')}, not Cloud Control`]] : []),
    ...(context.sameAs ? [['**Same resources as**', `${code(context.sameAs)} (through Cloud Control)`]] : []),
    ['**Primary identifier**', r.primaryIdentifier.length > 0 ? r.primaryIdentifier.map(code).join(', ') : '(none)'],
  ];
  if (r.additionalIdentifiers.length > 0) {
    rows.push(['**Other identifiers**', r.additionalIdentifiers.map((ids) => ids.map(code).join(' + ')).join('; ')]);
  }
  if (r.listParents.length > 0) rows.push(['**Listing needs**', r.listParents.map((p) => code(columnName(r, p))).join(', ')]);
  if (r.tagging) {
    rows.push(['**Taggable**', r.tagging.taggable ? `yes${r.tagging.tagProperty ? ` (${code(r.tagging.tagProperty.replace(/^\/properties\//, ''))})` : ''}` : 'no']);
  }
  return `## Overview\n\n${table(['', ''], rows)}`;
}

function fields(r: ResourceDef): string {
  const rows = r.columns.map((c) => [code(c.name), code(c.type), fieldDescription(r, c)]);
  const notes: string[] = [];
  if (r.columns.some((c) => c.writeOnly || nestedWriteOnly(r, c).length > 0)) {
    notes.push(
      isNativeResource(r)
        ? '**Write-only** fields (such as passwords, keys and secrets) are accepted by INSERT and UPDATE but never returned by the service: they cannot be read back, and ccql never prints their values.'
        : '**Write-only** fields (such as passwords, keys and secrets) are accepted by INSERT and UPDATE but never returned by Cloud Control: they cannot be read back, and ccql never prints their values.',
    );
  }
  if (secretColumns(r).size > 0) {
    notes.push(
      '**Secret** values (tokens, stream keys, passphrases) come back from the call that makes them: RETURNING of that INSERT shows them, and everywhere else (SELECT, EXEC, errors, notices, dry runs) ccql shows `********` instead.',
    );
  }
  return [`## Fields`, table(['Name', 'Datatype', 'Description'], rows), ...notes].join('\n\n');
}

function fieldDescription(r: ResourceDef, c: Column): string {
  const parts: string[] = [];
  if (c.writeOnly) parts.push('**Write-only.**');
  const nested = nestedWriteOnly(r, c);
  if (nested.length > 0) parts.push(`**Holds write-only fields:** ${nested.map(code).join(', ')}.`);
  if (c.description) parts.push(cell(c.description));
  const flags = columnFlags(r, c).filter((f) => f !== 'write-only' && f !== 'holds write-only fields');
  if (flags.length > 0) parts.push(`_(${flags.join(', ')})_`);
  return parts.join(' ');
}

function methods(r: ResourceDef): string {
  if (r.methods.length === 0) return '## Methods\n\nNone: Cloud Control has no handler for this type.';
  const params = (m: Method): string => (m.requiredParams.length > 0 ? code(m.requiredParams.join(', ')) : '');
  if (isNativeResource(r)) {
    const rows = r.methods.map((m) => [code(m.name), code(m.verb), params(m), m.call.api === 'native' ? code(m.call.operation) : '', cell(m.description ?? '')]);
    return `## Methods\n\n${table(['Name', 'Accessible by', 'Required Params', 'Calls', 'Description'], rows)}`;
  }
  const rows = r.methods.map((m) => [code(m.name), code(m.verb), params(m)]);
  return `## Methods\n\n${table(['Name', 'Accessible by', 'Required Params'], rows)}`;
}

/** A native table's UPDATE: SET column = value for the columns its update method takes (no patch documents). */
function nativeUpdateExample(r: ResourceDef): string {
  const set = nativeUpdateStatement(r);
  if (!r.operations.update || !set) return '## `UPDATE` example\n\nThis table cannot be updated.';
  return ['## `UPDATE` example', `Set the columns to change; ccql sends them to the update call (only the columns it takes):`, fenced('sql', set)].join('\n\n');
}

/** The EXEC methods of a native table, each with an example. */
function execExamples(r: ResourceDef): string[] {
  const execs = r.methods.filter((m) => m.verb === 'EXEC');
  if (execs.length === 0) return [];
  const out = ['## `EXEC` examples', 'Methods that are no SQL verb run with EXEC; add `/*+ SHOWRESULTS */` after EXEC to see the answer as rows.'];
  for (const m of execs) {
    if (m.description) out.push(cell(m.description));
    out.push(fenced('sql', execStatement(r, m)));
  }
  return [out.join('\n\n')];
}

function selectExamples(r: ResourceDef): string {
  const out = ['## `SELECT` examples'];
  if (r.operations.list) {
    const parents = r.listParents.length > 0 ? ` (listing needs ${r.listParents.map((p) => code(columnName(r, p))).join(', ')})` : '';
    out.push(`Gets all ${code(r.name)} in a region${parents}.`, fenced('sql', selectListStatement(r)));
  }
  if (r.operations.read) {
    out.push(`Gets all properties from an individual ${code(singularName(r))}.`, fenced('sql', selectGetStatement(r)));
  }
  if (!r.operations.list && !r.operations.read) out.push('This type can be neither listed nor read through Cloud Control.');
  if (r.columns.some((c) => c.writeOnly)) out.push('Write-only columns are left out: Cloud Control never returns them.');
  return out.join('\n\n');
}

function insertExamples(r: ResourceDef): string {
  if (!r.operations.create) return '## `INSERT` example\n\nThis type cannot be created through Cloud Control.';
  const manifest = stringify(manifestExample(r), { lineWidth: 0, aliasDuplicateObjects: false });
  const left = alternativeColumns(r).map((c) => code(c.property!));
  const forms = left.length > 0 ? [`${code(r.typeName)} accepts alternative forms; these examples show the first. Left out, as that form cannot have them: ${left.join(', ')}.`] : [];
  return [
    '## `INSERT` examples',
    `Use the following query, or the deploy manifest below, to create a new ${code(singularName(r))} resource. Placeholders such as \`{{ name }}\` are filled in by \`ccql exec --var\` or \`ccql deploy\`.`,
    ...forms,
    '### Required properties',
    fenced('sql', insertStatement(r, { mode: 'required', annotate: false, hint: true })),
    '### All properties',
    fenced('sql', insertStatement(r, { mode: 'all', annotate: true, hint: true })),
    '### Manifest',
    fenced('yaml', manifest),
  ].join('\n\n');
}

function updateExamples(r: ResourceDef): string {
  if (!r.operations.update) return '## `UPDATE` example\n\nThis type cannot be updated through Cloud Control.';
  const patch = updatePatchStatement(r);
  const set = updateSetStatement(r);
  if (!patch || !set) return '## `UPDATE` example\n\nEvery property of this type is read-only or create-only, so there is nothing to update.';
  return [
    '## `UPDATE` examples',
    `Changes properties of a ${code(singularName(r))} with a JSON Patch document (RFC 6902):`,
    fenced('sql', patch),
    'Or set columns directly; ccql turns the changed columns into the patch document:',
    fenced('sql', set),
  ].join('\n\n');
}

function deleteExample(r: ResourceDef): string {
  if (!r.operations.delete) return '## `DELETE` example\n\nThis type cannot be deleted through Cloud Control.';
  return `## \`DELETE\` example\n\n${fenced('sql', deleteStatement(r))}`;
}

function permissions(r: ResourceDef): string {
  const out = ['## Permissions', `To operate on the ${code(r.name)} resource, the following permissions are required:`];
  for (const [handler, title] of OPERATION_TITLES) {
    const op = r.operations[handler];
    if (!op) continue;
    out.push(`### ${title}`, op.permissions.length > 0 ? fenced('json', JSON.stringify(op.permissions, null, 2)) : 'No permissions listed.');
  }
  if (out.length === 2) return '## Permissions\n\nCloud Control offers no operation on this type.';
  return out.join('\n\n');
}

function columnName(r: ResourceDef, property: string): string {
  return r.columns.find((c) => c.property === property)?.name ?? property;
}
