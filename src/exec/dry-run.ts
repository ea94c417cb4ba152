/**
 * --dry-run: the Cloud Control calls a statement would make, as rows, making none. Values only
 * known at run time (another table's rows, listed identifiers) appear as `<…>` placeholders;
 * write-only property values appear as `********`.
 */
import type { FetchPlan } from '../plan/fetch-plan.js';
import { callParams } from './fetch.js';
import type { RowsResult } from '../result.js';
import type { Row } from './rows.js';

export interface PlannedCall {
  operation: string;
  region: string;
  type: string;
  parameters: Record<string, unknown>;
}

export function dryRunResult(calls: readonly PlannedCall[]): RowsResult {
  return {
    kind: 'rows',
    columns: [
      { name: 'step', type: 'integer' },
      { name: 'operation', type: 'text' },
      { name: 'region', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'parameters', type: 'jsonb' },
    ],
    rows: calls.map((c, i) => [i + 1, c.operation, c.region, c.type, c.parameters]),
    command: `SELECT ${calls.length}`,
  };
}

/** The calls that fetch planned tables. */
export function describeFetches(plans: readonly FetchPlan[]): PlannedCall[] {
  // Rows of tables fetched earlier are not known yet: stand-ins name where values will come from.
  const symbolic = new Map<number, Row[]>();
  for (const p of plans) {
    const label = p.ref.alias ? `${p.ref.name} ${p.ref.alias}` : p.ref.name;
    symbolic.set(p.ref.id, [new Proxy({}, { get: (_t, col) => `<${String(col)} of each row of ${label}>` }) as Row]);
  }
  const calls: PlannedCall[] = [];
  for (const p of plans) {
    const type = p.resource.typeName;
    if (p.method.kind === 'none') continue;
    for (const params of callParams(p, symbolic)) {
      if (p.method.kind === 'get') {
        calls.push({ operation: 'GetResource', region: params.region, type, parameters: { TypeName: type, Identifier: params.identifier } });
        continue;
      }
      calls.push({
        operation: 'ListResources',
        region: params.region,
        type,
        parameters: { TypeName: type, ...(params.parents ? { ResourceModel: params.parents } : {}), pages: 'all' },
      });
      if (p.hydrate) {
        calls.push({
          operation: 'GetResource',
          region: params.region,
          type,
          parameters: { TypeName: type, Identifier: `<each identifier listed>` },
        });
      }
    }
  }
  return calls;
}
