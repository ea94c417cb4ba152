/**
 * The parameter values of a fetch plan's calls: every combination of regions, identifier
 * parts and list-parent values, constants crossed with the rows of the tables they come from.
 * Pure; exec/ calls it with the rows it fetched, the renderers with stand-ins.
 */
import type { FetchPlan, RegionSource, ValueSource } from './fetch-plan.js';

/** A fetched row: column name → value. */
export type RowValues = Readonly<Record<string, unknown>>;

/** One combination of parameter values: a region plus an identifier or list-parent values. */
export interface CallParams {
  region: string;
  identifier?: string;
  parents?: Record<string, string>;
  /** Column values the call implies (list parents), for rows whose properties lack them. */
  implied: Record<string, string>;
}

/** Every combination of parameter values the plan's calls take. */
export function callParams(plan: FetchPlan, fetched: ReadonlyMap<number, readonly RowValues[]>): CallParams[] {
  type Slot = { key: string; source: ValueSource | RegionSource };
  const slots: Slot[] = [{ key: 'region', source: plan.region }];
  if (plan.method.kind === 'get') plan.method.identifierParts.forEach((s, i) => slots.push({ key: `id${i}`, source: s }));
  if (plan.method.kind === 'list') for (const p of plan.method.parents) slots.push({ key: `parent:${p.property}:${p.column}`, source: p.source });

  let combos: Array<Record<string, string>> = [{}];
  const byRef = new Map<number, Slot[]>();
  for (const slot of slots) {
    if (slot.source.kind === 'const') {
      const values = slot.source.values;
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [slot.key]: v })));
    } else {
      const list = byRef.get(slot.source.ref) ?? [];
      list.push(slot);
      byRef.set(slot.source.ref, list);
    }
  }
  for (const [ref, group] of byRef) {
    const tuples = new Map<string, Record<string, string>>();
    for (const row of fetched.get(ref) ?? []) {
      const t: Record<string, string> = {};
      let ok = true;
      for (const slot of group) {
        const v = row[(slot.source as { column: string }).column];
        if (v === undefined || v === null || typeof v === 'object') {
          ok = false;
          break;
        }
        t[slot.key] = String(v);
      }
      if (ok) tuples.set(JSON.stringify(t), t);
    }
    combos = combos.flatMap((c) => [...tuples.values()].map((t) => ({ ...c, ...t })));
  }

  return combos.map((c) => {
    const out: CallParams = { region: c.region!, implied: {} };
    if (plan.method.kind === 'get') out.identifier = plan.method.identifierParts.map((_, i) => c[`id${i}`]!).join('|');
    if (plan.method.kind === 'list' && plan.method.parents.length > 0) {
      out.parents = {};
      for (const p of plan.method.parents) {
        const v = c[`parent:${p.property}:${p.column}`]!;
        out.parents[p.property] = v;
        out.implied[p.column] = v;
      }
    }
    return out;
  });
}
