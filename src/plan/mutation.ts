/**
 * Plans INSERT, UPDATE and DELETE on a provider table: every check that can be made before the
 * first call (names, read-only and create-only properties, required properties, JSON, regions),
 * then either the requests themselves (the statement alone decides them) or the engine SQL
 * whose rows become requests (a WHERE the engine must evaluate, an INSERT … SELECT).
 */
import { PROGRESS_EVENT_FIELDS, progressEventColumns } from '../catalog/naming.js';
import type { Method, ResourceDef } from '../catalog/types.js';
import { at, CcqlError } from '../errors.js';
import type { Cell } from '../result.js';
import { quoteIdent } from '../sql/quote.js';
import type { DeleteNode, InsertNode, MutationNode, TableRefNode, UpdateNode, ValueNode } from '../sql/ir.js';
import { SqlBuilder } from '../sql/rewrite.js';
import { IDENTIFIER, IDENTIFIER_ALIAS, REGION, identifierAliasFree, primaryIdentifierColumns, tableColumns, type TableColumn } from './columns.js';
import { checkPatchDocument, desiredStates, patchForValues, resolveInsertColumns, resolveSetColumns, type PatchOperation, type SetTarget } from './dml.js';
import { callParams } from './call-params.js';
import { planFetches } from './fetch-plan.js';
import { checkFanout, engineTableName, fetchNotices, fetchOptions, readReplacements, type MutationPlan, type MutationRequest, type PlanOptions, type ReturningPlan, type UpdateSet } from './plan.js';
import { literalValue, parseJson } from './values.js';
import { inputParams, isNativeResource, missingParamError, missingParams, nativeCallOf, requestParams } from './native.js';
import type { Notice } from '../result.js';

export function planMutation(node: MutationNode, resources: ReadonlyMap<number, ResourceDef>, options: PlanOptions): MutationPlan {
  const resource = resources.get(node.target.id)!;
  const verb = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' }[node.kind];
  if (!resource.methods.some((m) => m.verb === verb)) {
    const base = resource.listOnly ? resource.sqlName.replace(/_list_only$/, '') : undefined;
    throw at(
      new CcqlError('not_supported', `${node.target.name} cannot be changed by ${verb}: ${base ? 'it only lists' : `${resource.typeName} has no ${node.kind === 'insert' ? 'create' : node.kind} handler`}`, {
        hint: base ? `${verb} on ${base} instead` : `SHOW METHODS IN ${resource.sqlName} lists what it can do`,
      }),
      node.target.span.start,
    );
  }
  // A native call is answered when it is done: there is no request to leave running.
  const nowait = node.hints.has('NOWAIT') && !isNativeResource(resource);
  switch (node.kind) {
    case 'insert':
      return planInsert(node, resource, resources, options, nowait);
    case 'update':
      return planUpdate(node, resource, resources, options, nowait);
    case 'delete':
      return planDelete(node, resource, resources, options, nowait);
  }
}

function planInsert(node: InsertNode, resource: ResourceDef, resources: ReadonlyMap<number, ResourceDef>, options: PlanOptions, nowait: boolean): MutationPlan {
  const { target } = node;
  const targets = resolveInsertColumns(resource, target.name, node.columns);
  checkNativeColumns(resource, resource.methods.find((m) => m.verb === 'INSERT'), targets.map((t, i) => ({ column: t.kind === 'property' ? t.column : undefined, offset: node.columns[i]!.offset })));
  const notices: Notice[] = [];
  if (!targets.some((t) => t.kind === 'region') && options.defaultRegion) {
    notices.push({ severity: 'NOTICE', message: `no region given for ${target.name}: using ${options.defaultRegion} (from ${options.regionSource ?? 'the session default'})` });
  }
  const providerMethod = resource.methods.find((m) => m.verb === 'INSERT');
  const common = {
    kind: 'mutation',
    verb: 'insert',
    operation: nativeCallOf(providerMethod)?.operation ?? 'CreateResource',
    target,
    resource,
    providerMethod,
    nowait,
    returning: returningPlan(node, resource, options, nowait),
  } as const;
  if (node.rows) {
    const rows = node.rows;
    const label = (row: number, col: number): string => {
      const t = targets[col];
      const name = t?.kind === 'property' ? t.column.property! : 'region';
      return rows.length > 1 ? `${name} (row ${row + 1})` : name;
    };
    const values = rows.map((row, i) => row.map((v, j) => constant(v, () => label(i, j))));
    const offsetOf = (row: number, col: number): number | undefined => {
      const r = rows[row];
      return r?.[Math.min(col, r.length - 1)]?.offset;
    };
    const states = desiredStates(resource, target.name, targets, values, options.defaultRegion, offsetOf);
    const requests = states.map((s, i) => ({ region: s.region, label: states.length > 1 ? `row ${i + 1}` : '', desiredState: s.state }));
    checkNativeRequests(resource, providerMethod, requests, 'insert', target.span.start);
    checkFanout([], requests.length, options.maxCalls);
    return { ...common, source: { kind: 'direct', requests }, notices };
  }
  const reads = node.refs.filter((r) => r.role === 'read');
  const fetches = planFetches(reads, resources, fetchOptions(options));
  checkFanout(fetches, 0, options.maxCalls);
  const replacements = readReplacements(node, fetches);
  const sql = withPrefix(node, replacements).slice(node.text, node.select.start, node.select.end, replacements).build();
  return {
    ...common,
    source: { kind: 'engine', fetches, sql, rows: { kind: 'insert', targets }, strict: false },
    notices: [...fetchNotices(node, fetches, options), ...notices],
  };
}

function planUpdate(node: UpdateNode, resource: ResourceDef, resources: ReadonlyMap<number, ResourceDef>, options: PlanOptions, nowait: boolean): MutationPlan {
  const { target } = node;
  const setTargets = resolveSetColumns(
    resource,
    target.name,
    node.sets.map((s) => s.name),
  );
  const providerMethod = resource.methods.find((m) => m.verb === 'UPDATE');
  const native = nativeCallOf(providerMethod);
  if (native) {
    const i = setTargets.findIndex((t) => t.kind === 'patch');
    if (i >= 0) {
      throw at(
        new CcqlError('not_supported', `${target.name} is changed by ${native.operation}, which takes new column values, not a patch document`, {
          hint: `write SET column = value for each column to change (DESCRIBE ${resource.sqlName} lists them)`,
        }),
        node.sets[i]!.name.offset,
      );
    }
  }
  checkNativeColumns(resource, providerMethod, setTargets.map((t, i) => ({ column: t.kind === 'property' ? t.column : undefined, offset: node.sets[i]!.name.offset })));
  const sets: UpdateSet[] = setTargets.map((t, i) => {
    const set = node.sets[i]!;
    const label = t.kind === 'patch' ? 'data__PatchDocument' : t.column.property!;
    if (set.value.kind !== 'literal') return { target: t, constant: undefined, label };
    try {
      return { target: t, constant: setOperations(resource, target.name, t, constant(set.value, () => label), label), label };
    } catch (e) {
      throw e instanceof CcqlError ? at(e, set.name.offset) : e;
    }
  });
  if (native) {
    // A native update takes new values; there is no "remove" to send for NULL.
    const i = sets.findIndex((x) => x.constant?.some((op) => op.op === 'remove'));
    if (i >= 0) {
      const t = setTargets[i]!;
      const column = t.kind === 'property' ? t.column.name : node.sets[i]!.name.name;
      throw at(
        new CcqlError('not_supported', `${target.name} cannot set ${column} to NULL: ${native.operation} takes new values, not removals`, {
          hint: `give ${column} a value, or leave it out of SET`,
        }),
        node.sets[i]!.name.offset,
      );
    }
  }
  const common = {
    kind: 'mutation',
    verb: 'update',
    operation: native?.operation ?? 'UpdateResource',
    target,
    resource,
    providerMethod,
    nowait,
    returning: returningPlan(node, resource, options, nowait),
  } as const;
  const direct = sets.every((s) => s.constant) ? directTargets(node, resource, options) : undefined;
  if (direct) {
    checkFanout([], direct.length, options.maxCalls);
    const patch = sets.flatMap((s) => s.constant!);
    const requests = direct.map((d) => ({ ...d, label: d.identifier, patch }));
    checkNativeRequests(resource, providerMethod, requests, 'where', node.where?.start ?? target.span.start);
    return { ...common, source: { kind: 'direct', requests }, notices: [] };
  }
  const fetches = planFetches(node.refs, resources, fetchOptions(options));
  checkFanout(fetches, 0, options.maxCalls);
  const replacements = readReplacements(node, fetches);
  const q = quoteIdent(target.exposedName);
  const sql = withPrefix(node, replacements).raw(`SELECT ${q}.${IDENTIFIER}, ${q}.${REGION}`);
  node.sets.forEach((s, i) => {
    if (!sets[i]!.constant && s.value.kind === 'expression') sql.raw(', (').slice(node.text, s.value.span.start, s.value.span.end, replacements).raw(')');
  });
  sql.raw(` FROM pg_temp.${engineTableName(options, target)} AS ${q}`);
  if (node.where) sql.raw(' WHERE ').slice(node.text, node.where.start, node.where.end, replacements);
  return {
    ...common,
    source: { kind: 'engine', fetches, sql: sql.build(), rows: { kind: 'update', sets }, strict: true },
    notices: fetchNotices(node, fetches, options),
  };
}

function planDelete(node: DeleteNode, resource: ResourceDef, resources: ReadonlyMap<number, ResourceDef>, options: PlanOptions, nowait: boolean): MutationPlan {
  const { target } = node;
  const providerMethod = resource.methods.find((m) => m.verb === 'DELETE');
  const common = {
    kind: 'mutation',
    verb: 'delete',
    operation: nativeCallOf(providerMethod)?.operation ?? 'DeleteResource',
    target,
    resource,
    providerMethod,
    nowait,
    returning: returningPlan(node, resource, options, nowait),
  } as const;
  const direct = directTargets(node, resource, options);
  if (direct) {
    checkFanout([], direct.length, options.maxCalls);
    const requests = direct.map((d) => ({ ...d, label: d.identifier }));
    checkNativeRequests(resource, providerMethod, requests, 'where', node.where?.start ?? target.span.start);
    return { ...common, source: { kind: 'direct', requests }, notices: [] };
  }
  const fetches = planFetches(node.refs, resources, fetchOptions(options));
  checkFanout(fetches, 0, options.maxCalls);
  const replacements = readReplacements(node, fetches);
  const q = quoteIdent(target.exposedName);
  const sql = withPrefix(node, replacements).raw(`SELECT ${q}.${IDENTIFIER} AS ccql_identifier, ${q}.${REGION} AS ccql_region`);
  sql.raw(` FROM pg_temp.${engineTableName(options, target)} AS ${q}`);
  if (node.where) sql.raw(' WHERE ').slice(node.text, node.where.start, node.where.end, replacements);
  return {
    ...common,
    source: { kind: 'engine', fetches, sql: sql.build(), rows: { kind: 'delete' }, strict: true },
    notices: fetchNotices(node, fetches, options),
  };
}

/**
 * The requests for rows the engine returned (see RowsToRequests). Checks each row as the
 * planner checks constants.
 */
export function requestsFromRows(plan: MutationPlan, rows: readonly Cell[][], defaultRegion: string | undefined): MutationRequest[] {
  if (plan.source.kind !== 'engine') return [];
  const { resource, target } = plan;
  const how = plan.source.rows;
  switch (how.kind) {
    case 'insert': {
      const states = desiredStates(resource, target.name, how.targets, rows, defaultRegion);
      return states.map((s, i) => ({ region: s.region, label: states.length > 1 ? `row ${i + 1}` : '', desiredState: s.state }));
    }
    case 'update':
      return rows.map((r) => {
        let k = 2;
        const patch = how.sets.flatMap((s) => s.constant ?? setOperations(resource, target.name, s.target, r[k++], s.label));
        return { identifier: String(r[0]), region: String(r[1]), label: String(r[0]), patch };
      });
    case 'delete':
      return rows.map((r) => ({ identifier: String(r[0]), region: String(r[1]), label: String(r[0]) }));
  }
}

function constant(v: ValueNode, describe: () => string): unknown {
  if (v.kind !== 'literal') throw new CcqlError('internal', 'a value the engine computes was taken for a constant');
  try {
    return literalValue({ literal: v.literal, cast: v.cast }, describe);
  } catch (e) {
    throw e instanceof CcqlError ? at(e, v.offset) : e;
  }
}

function setOperations(resource: ResourceDef, sqlName: string, t: SetTarget, value: unknown, label: string): PatchOperation[] {
  if (t.kind === 'patch') {
    const doc = typeof value === 'string' ? parseJson(value, () => label) : value;
    return checkPatchDocument(resource, sqlName, doc);
  }
  return patchForValues(resource, [{ column: t.column }], [value], () => label);
}

/**
 * RETURNING over a table of the changed resources and their requests' progress events. The
 * resource's own columns are read only when the clause (or the statement) uses them; with
 * NOWAIT, INSERT and UPDATE can return only what the accepted request says.
 */
function returningPlan(node: MutationNode, resource: ResourceDef, options: PlanOptions, nowait: boolean): ReturningPlan | undefined {
  const span = node.returning;
  if (!span) return undefined;
  const taken = new Set(tableColumns(resource).map((c) => c.name));
  // A column of the resource's own (`operation` of a pricing rule) is the resource's, not the event's.
  const eventNames = isNativeResource(resource) ? new Set<string>() : new Set(PROGRESS_EVENT_FIELDS.flatMap((f) => progressEventColumns(f)).filter((c) => !taken.has(c)));
  const own = new Set([REGION, IDENTIFIER, IDENTIFIER_ALIAS]);
  const used = node.target.returning ?? { columns: new Set<string>(), allColumns: false };
  const usesProperties = used.allColumns || [...used.columns].some((c) => !eventNames.has(c) && !own.has(c));
  let properties: ReturningPlan['properties'] = 'none';
  if (usesProperties) properties = node.kind === 'delete' ? 'before' : 'after';
  if (properties === 'after' && nowait) {
    throw at(
      new CcqlError('invalid_input', "with /*+ NOWAIT */, RETURNING can give only the accepted request's fields, not the resource's columns", {
        hint: 'RETURNING RequestToken, OperationStatus, … works with NOWAIT; drop NOWAIT to wait for the resource',
      }),
      span.start,
    );
  }
  const eventColumns = isNativeResource(resource) ? [] : PROGRESS_EVENT_FIELDS.flatMap((field) => {
    const [plain, prefixed] = progressEventColumns(field);
    return taken.has(plain) || plain === IDENTIFIER_ALIAS ? [{ field, column: prefixed }] : [{ field, column: plain }, { field, column: prefixed }];
  });
  const table = engineTableName(options, node.target);
  const rewrites = node.rewrites.filter((r) => r.start >= span.start && r.end <= span.end);
  const sql = new SqlBuilder()
    .raw('SELECT ')
    .slice(node.text, span.start, span.end, rewrites)
    .raw(` FROM pg_temp.${table} AS ${quoteIdent(node.target.exposedName)}`)
    .build();
  return { table, sql, identifierAlias: identifierAliasFree(resource), properties, eventColumns };
}

/** A builder that starts with the statement's own `WITH …` clause, if it has one. */
function withPrefix(node: MutationNode, replacements: Parameters<SqlBuilder['slice']>[3]): SqlBuilder {
  const sql = new SqlBuilder();
  if (!node.withSpan) return sql;
  return sql.slice(node.text, node.withSpan.start, node.withSpan.end, replacements).raw(' ');
}

/**
 * The resources an UPDATE/DELETE names directly: its WHERE holds only identifier and region
 * equalities (or IN lists). Undefined when the engine has to decide which rows match.
 */
function directTargets(node: UpdateNode | DeleteNode, resource: ResourceDef, options: PlanOptions): Array<{ region: string; identifier: string }> | undefined {
  const target: TableRefNode = node.target;
  if (!node.whereIsConstraintsOnly || target.opaqueRegionAt !== undefined) return undefined;
  const allowed = new Set([REGION, IDENTIFIER, ...primaryIdentifierColumns(resource).map((c) => c.name)]);
  if (identifierAliasFree(resource)) allowed.add(IDENTIFIER_ALIAS);
  if (target.constraints.some((c) => !allowed.has(c.column))) return undefined;
  const p = planFetches([target], new Map([[target.id, resource]]), fetchOptions(options))[0];
  if (!p) return undefined;
  if (p.method.kind === 'none') return [];
  if (p.method.kind !== 'get' || p.region.kind !== 'const' || p.method.identifierParts.some((s) => s.kind !== 'const')) return undefined;
  return callParams(p, new Map()).map((c) => ({ region: c.region, identifier: c.identifier! }));
}

/**
 * A native method's required parameters, checked on the requests the statement alone decides:
 * each must be given by the identifier, a column or a SET (`DescribeSessions needs stack_name`).
 */
function checkNativeRequests(resource: ResourceDef, method: Method | undefined, requests: readonly MutationRequest[], how: 'insert' | 'where', offset: number): void {
  if (!method || method.call.api !== 'native') return;
  for (const r of requests) {
    const missing = missingParams(method, requestParams(resource, r));
    if (missing.length > 0) throw at(missingParamError(resource, method, missing, how), offset);
  }
}

/** Every column an INSERT or SET writes must be one the native method's input takes: none is dropped unsaid. */
function checkNativeColumns(resource: ResourceDef, method: Method | undefined, written: ReadonlyArray<{ column: TableColumn | undefined; offset: number }>): void {
  const call = nativeCallOf(method);
  if (!call) return;
  const takes = new Set(inputParams(call.input));
  for (const w of written) {
    if (w.column && !takes.has(w.column.name)) {
      const can = tableColumns(resource).filter((c) => takes.has(c.name)).map((c) => c.name);
      throw at(
        new CcqlError('invalid_input', `${call.operation} does not take ${w.column.name}: ${resource.sqlName}'s ${method!.verb === 'INSERT' ? 'INSERT' : 'UPDATE'} cannot set it`, {
          hint: `it takes ${can.join(', ') || 'no columns'}`,
        }),
        w.offset,
      );
    }
  }
}
