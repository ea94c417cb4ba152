/**
 * The StackQL-style statement suite (test/fixtures/stackql-suite.sql): its blocks, and how one
 * block is run and checked through a Session against the emulator, the way a StackQL user would
 * run the published statements one after another: create, find it listed, get it, change it, see
 * the change, delete it, and not find it.
 */
import { renderTemplate } from '../../src/cli/template.js';
import { splitScript } from '../../src/sql/split.js';
import type { Outcome } from '../integration/query-harness.js';
import { records, type Harness } from '../integration/query-harness.js';

export const SUITE_FILE = 'stackql-suite.sql';

export interface SuiteBlock {
  sqlName: string;
  typeName: string;
  /** The column the UPDATE changes and the value it sets. */
  check: { column: string; value: unknown };
  statements: { insert: string; listOnly: string; list: string; get: string; update: string; delete: string };
}

const HEADER = /^-- type: (\S+) (\S+) check (\S+) = (.*)$/;
const ORDER = ['insert', 'listOnly', 'list', 'get', 'update', 'delete'] as const;

export function parseSuite(text: string): SuiteBlock[] {
  const blocks: SuiteBlock[] = [];
  const parts = text.split(/^(?=-- type: )/m).filter((p) => p.startsWith('-- type: '));
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const m = HEADER.exec(part.slice(0, newline));
    if (!m) throw new Error(`bad block header: ${part.slice(0, newline)}`);
    const texts = splitScript(part.slice(newline + 1)).map((s) => `${s.text};`);
    if (texts.length !== ORDER.length) throw new Error(`${m[1]}: expected ${ORDER.length} statements, found ${texts.length}`);
    const statements = Object.fromEntries(ORDER.map((k, i) => [k, texts[i]!])) as SuiteBlock['statements'];
    blocks.push({ sqlName: m[1]!, typeName: m[2]!, check: { column: m[3]!, value: JSON.parse(m[4]!) as unknown }, statements });
  }
  return blocks;
}

/** `actual` holds everything `expected` says (objects: the keys given; arrays and scalars: equal). */
function holds(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => holds((actual as Record<string, unknown>)[k], v));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => holds(actual[i], v));
  if (typeof actual === 'bigint') return actual === BigInt(expected as number);
  return actual === expected;
}

function rowsOf(o: Outcome, what: string): Array<Record<string, unknown>> {
  if (o.error) throw new Error(`${what}: ${o.error.code}: ${o.error.message}`);
  const last = o.results[o.results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error(`${what}: expected rows, got ${JSON.stringify(last)}`);
  return records(last);
}

/** Runs one block; the first thing that is not as a StackQL user expects, or undefined. */
export async function runBlock(h: Harness, b: SuiteBlock): Promise<string | undefined> {
  try {
    const created = rowsOf(await h.run(b.statements.insert), 'INSERT … RETURNING');
    const event = created[0];
    if (created.length !== 1 || event?.operationstatus !== 'SUCCESS' || event.operation !== 'CREATE' || event.typename !== b.typeName) {
      return `INSERT … RETURNING gave ${JSON.stringify(created)}`;
    }
    const identifier = String(event.identifier ?? '');
    if (!identifier) return 'INSERT … RETURNING gave no Identifier';
    const stmt = (sql: string): string => renderTemplate(sql, { identifier });

    const listed = (rows: Array<Record<string, unknown>>, idColumns: number): boolean =>
      rows.some((row) => Object.values(row).slice(1, 1 + idColumns).map(String).join('|') === identifier);
    const idColumns = b.statements.listOnly.split('\n')[0]!.split(',').length - 1;
    if (!listed(rowsOf(await h.run(b.statements.listOnly), '_list_only SELECT'), idColumns)) return `the _list_only SELECT does not list ${identifier}`;
    const all = rowsOf(await h.run(b.statements.list), 'list SELECT');
    if (!all.some((row) => Object.values(row).includes(identifier.split('|')[0]))) return `the list SELECT does not list ${identifier}`;
    if (rowsOf(await h.run(stmt(b.statements.get)), 'get SELECT').length !== 1) return `the get SELECT does not find ${identifier}`;

    const updated = await h.run(stmt(b.statements.update));
    if (updated.error) return `UPDATE: ${updated.error.code}: ${updated.error.message}`;
    if (JSON.stringify(updated.results.at(-1)) !== JSON.stringify({ kind: 'command', command: 'UPDATE 1' })) return `UPDATE gave ${JSON.stringify(updated.results.at(-1))}`;
    const after = rowsOf(await h.run(stmt(b.statements.get)), 'get SELECT after UPDATE');
    if (after.length !== 1 || !holds(after[0]![b.check.column], b.check.value)) return `after UPDATE ${b.check.column} is ${JSON.stringify(after[0]?.[b.check.column], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}, not ${JSON.stringify(b.check.value)}`;

    const deleted = rowsOf(await h.run(stmt(b.statements.delete)), 'DELETE … RETURNING');
    if (deleted.length !== 1 || deleted[0]?.operationstatus !== 'SUCCESS' || deleted[0].operation !== 'DELETE') return `DELETE … RETURNING gave ${JSON.stringify(deleted)}`;
    if (rowsOf(await h.run(stmt(b.statements.get)), 'get SELECT after DELETE').length !== 0) return `the get SELECT still finds ${identifier} after DELETE`;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
