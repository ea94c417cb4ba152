/**
 * How a deploy reads on a terminal: one line per resource and step on stderr (with timing), the
 * rendered SQL with --show-queries, each creation the moment it happens, and the plan as text.
 * Every string that reaches here has already been through the run's secret scrubbing.
 */
import type { DeployEvent, DeployResult, PlanEntry } from './runner.js';

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The stderr line(s) for an event, or undefined for events shown otherwise. */
export function eventText(e: DeployEvent): string | undefined {
  switch (e.kind) {
    case 'step':
      return `${e.resource}: ${e.step}: ${e.detail} (${formatMs(e.ms)})${e.failed ? ' FAILED' : ''}`;
    case 'query':
      return `-- ${e.resource}: ${e.step}\n${e.sql.trimEnd()}\n`;
    case 'created':
      return `created ${e.table} ${e.identifier} in ${e.region} (${e.resource})`;
    case 'deleted':
      return e.rollback ? `rolled back: deleted ${e.table} ${e.identifier} in ${e.region} (${e.resource})` : undefined;
    case 'resource':
      return `${e.resource}: ${e.outcome}${e.detail ? ` (${e.detail})` : ''} in ${formatMs(e.ms)}`;
    case 'notice':
      return e.message;
  }
}

export function summaryText(result: DeployResult, stack: string, env: string): string {
  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  const head = `${result.command} ${stack} (${env}): ${result.ok ? 'ok' : 'FAILED'}${parts ? ` — ${parts}` : ''} in ${formatMs(result.ms)}`;
  const lines = [head];
  if (!result.ok && result.created.length > 0) {
    const rolled = new Set(result.rolledBack.map((c) => `${c.table}\u0000${c.identifier}`));
    const remaining = result.created.filter((c) => !rolled.has(`${c.table}\u0000${c.identifier}`));
    if (remaining.length > 0) {
      lines.push('created by this run, and still there:');
      for (const c of remaining) lines.push(`  ${c.resource}: ${c.table} ${c.identifier} in ${c.region}`);
    }
    if (result.rolledBack.length > 0) {
      lines.push('rolled back (deleted):');
      for (const c of result.rolledBack) lines.push(`  ${c.resource}: ${c.table} ${c.identifier} in ${c.region}`);
    }
  }
  return lines.join('\n');
}

const SIGN: Record<PlanEntry['action'], string> = {
  create: '+',
  update: '~',
  'no change': '=',
  'create or update': '±',
  run: '>',
  read: '?',
  skip: '-',
};

export function planText(plan: readonly PlanEntry[], stack: string, env: string): string {
  const count = (a: PlanEntry['action']): number => plan.filter((p) => p.action === a).length;
  const lines = [`plan for ${stack} (${env}): ${count('create')} to create, ${count('update')} to update, ${count('no change')} unchanged${count('create or update') ? `, ${count('create or update')} to create or update` : ''}`, ''];
  for (const p of plan) {
    const where = [p.table, p.identifier, p.region ? `in ${p.region}` : undefined].filter(Boolean).join(' ');
    lines.push(`${SIGN[p.action]} ${p.name}: ${p.action}${where ? ` ${where}` : ''}${p.note ? ` (${p.note})` : ''}`);
    for (const c of p.changes) lines.push(`    ${c.property}: ${json(c.before)} → ${json(c.after)}`);
    if (p.statement && p.action !== 'no change' && p.action !== 'read') {
      for (const l of p.statement.trimEnd().split('\n')) lines.push(`    | ${l}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function json(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}
