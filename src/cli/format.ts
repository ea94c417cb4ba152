/**
 * Renders statement results for stdout in the formats `-o` accepts. One rule for every format:
 * NULL is an empty cell where a format has no null of its own (table, text, csv) and `null` where
 * it has one (json, jsonl, yaml); timestamps are ISO 8601 in UTC; int8 values keep every digit;
 * jsonb values are compact JSON in the cell formats and nested values in the structured ones.
 */
import { createRequire } from 'node:module';
import type { Cell, ResultColumn, RowsResult, StatementResult } from '../result.js';

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'text' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'jsonl', 'csv', 'text', 'yaml'];

const require = createRequire(import.meta.url);

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Text for stdout, ending in a newline unless empty. */
export function formatResult(result: StatementResult, format: OutputFormat): string {
  if (result.kind === 'command') {
    switch (format) {
      case 'table':
      case 'text':
        return `${result.command}\n`;
      case 'json':
      case 'jsonl':
        return `${toJson({ command: result.command })}\n`;
      case 'yaml':
        return toYaml({ command: result.command });
      case 'csv':
        return '';
    }
  }
  switch (format) {
    case 'table':
      return formatTable(result);
    case 'json':
      return formatJson(result);
    case 'jsonl':
      return formatJsonLines(result);
    case 'csv':
      return formatCsv(result);
    case 'text':
      return formatText(result);
    case 'yaml':
      return toYaml(rowObjects(result));
  }
}

/** A cell as a single line of text for the cell formats (table, csv, text); NULL is ''. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if (value instanceof Uint8Array) return byteaText(value);
  return toJson(value);
}

/** bytea as Postgres writes it (hex format), not as an object of byte indexes. */
function byteaText(b: Uint8Array): string {
  return `\\x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'invalid date' : d.toISOString();
}

/**
 * Compact JSON that, unlike JSON.stringify, keeps int8 values exact (as number literals with all
 * their digits), writes Dates as ISO strings and non-finite doubles as strings (as Postgres'
 * to_json does).
 */
export function toJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(numberText(value));
    case 'boolean':
      return String(value);
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value instanceof Date) return JSON.stringify(dateText(value));
  if (value instanceof Uint8Array) return JSON.stringify(byteaText(value));
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

function rowObjects(result: RowsResult): Array<Record<string, Cell>> {
  return result.rows.map((row) => rowObject(result.columns, row));
}

function rowObject(columns: ResultColumn[], row: Cell[]): Record<string, Cell> {
  const obj: Record<string, Cell> = {};
  columns.forEach((c, i) => {
    obj[c.name] = row[i] ?? null;
  });
  return obj;
}

function formatJson(result: RowsResult): string {
  if (result.rows.length === 0) return '[]\n';
  const lines = result.rows.map((row) => `  ${toJson(rowObject(result.columns, row))}`);
  return `[\n${lines.join(',\n')}\n]\n`;
}

function formatJsonLines(result: RowsResult): string {
  return result.rows.map((row) => `${toJson(rowObject(result.columns, row))}\n`).join('');
}

/** RFC 4180: CRLF line ends, a header line, fields quoted when they hold `,` `"` CR or LF. */
function formatCsv(result: RowsResult): string {
  const line = (fields: string[]): string => `${fields.map(csvField).join(',')}\r\n`;
  return line(result.columns.map((c) => c.name)) + result.rows.map((row) => line(result.columns.map((_, i) => cellText(row[i] ?? null)))).join('');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Like the AWS CLI's text output: one line per row, tab-separated, no header. Tabs, newlines and
 * backslashes inside a value are escaped (as in Postgres' COPY text format) so that every row
 * stays one line for cut/awk.
 */
function formatText(result: RowsResult): string {
  return result.rows.map((row) => `${result.columns.map((_, i) => textField(cellText(row[i] ?? null))).join('\t')}\n`).join('');
}

function textField(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * An ASCII grid (it survives pipes, logs and any terminal font). Cells hold one line each:
 * embedded newlines are shown as `\n` so that a row is never split across lines.
 */
function formatTable(result: RowsResult): string {
  const Table = require('cli-table3') as typeof import('cli-table3');
  const table = new Table({
    head: result.columns.map((c) => c.name),
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
    chars: ASCII_CHARS,
  });
  for (const row of result.rows) {
    table.push(result.columns.map((_, i) => oneLine(cellText(row[i] ?? null))));
  }
  return `${table.toString()}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, '\\n').replace(/\t/g, ' ');
}

const ASCII_CHARS = {
  top: '-',
  'top-mid': '+',
  'top-left': '+',
  'top-right': '+',
  bottom: '-',
  'bottom-mid': '+',
  'bottom-left': '+',
  'bottom-right': '+',
  left: '|',
  'left-mid': '+',
  mid: '-',
  'mid-mid': '+',
  right: '|',
  'right-mid': '+',
  middle: '|',
};

/**
 * YAML with int8 values kept exact and timestamps as ISO strings. Written with YAML 1.1 quoting
 * so that strings such as `yes`, `no`, `on` stay strings for 1.1 readers (PyYAML, many tools) too.
 */
function toYaml(value: unknown): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return stringify(plainForYaml(value), { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

function plainForYaml(value: unknown): unknown {
  if (value instanceof Date) return dateText(value);
  if (value instanceof Uint8Array) return byteaText(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return numberText(value);
  if (Array.isArray(value)) return value.map(plainForYaml);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = plainForYaml(v);
    return out;
  }
  return value;
}
