/**
 * Renders statement results for stdout in the formats `-o` accepts. One rule for every format:
 * NULL is an empty cell where a format has no null of its own (table, text, csv) and `null` where
 * it has one (json, jsonl, yaml); timestamps and dates are written as PostgreSQL writes them
 * (timestamptz in UTC), whatever the machine's time zone; int8 values keep every digit; jsonb
 * values are compact JSON in the cell formats and nested values in the structured ones.
 */
import { createRequire } from 'node:module';
import { CcqlError } from '../errors.js';
import { OID } from '../pg-types.js';
import { timestamptzText, type Cell, type ResultColumn, type RowsResult, type StatementResult } from '../result.js';
import type { Tags } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'text' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'jsonl', 'csv', 'text', 'yaml'];

const require = createRequire(import.meta.url);

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** psql's `\x`: `auto` expands a table only when it is wider than `FormatOptions.width`. */
export type ExpandedMode = 'off' | 'on' | 'auto';

export interface FormatOptions {
  /** For the table format: one `column | value` block per row, as psql's `\x`. */
  expanded?: ExpandedMode;
  /** The terminal's width, for `expanded: 'auto'` (no width: never expanded). */
  width?: number;
}

/** Text for stdout, ending in a newline unless empty. */
export function formatResult(result: StatementResult, format: OutputFormat, options: FormatOptions = {}): string {
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
      return formatTableOrExpanded(result, options);
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

/**
 * A cell as text for the cell formats (table, csv, text); NULL is ''. A json or jsonb value is
 * its JSON text, as psql shows it: a JSON string keeps its quotes (`"5"`, not the number-like
 * `5`). Without its column a cell is taken by its JavaScript type alone.
 */
export function cellText(value: Cell, column?: ResultColumn): string {
  if (value === null || value === undefined) return '';
  if (column !== undefined && isJsonColumn(column)) return toJson(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return timestamptzText(value);
  if (value instanceof Uint8Array) return byteaText(value);
  return toJson(value);
}

/** json and jsonb columns: results name both `jsonb`; the OIDs keep json found should it get a name of its own. */
function isJsonColumn(column: ResultColumn): boolean {
  return column.type === 'jsonb' || column.typeOid === OID.json || column.typeOid === OID.jsonb;
}

/** A row's cells as cellText writes them, by their columns. */
function rowTexts(result: RowsResult, row: readonly Cell[]): string[] {
  return result.columns.map((c, i) => cellText(row[i] ?? null, c));
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

/**
 * Compact JSON that, unlike JSON.stringify, keeps int8 values exact (as number literals with all
 * their digits), writes Dates as PostgreSQL writes a timestamptz and non-finite doubles as
 * strings (as Postgres' to_json does).
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
  if (value instanceof Date) return JSON.stringify(timestamptzText(value));
  if (value instanceof Uint8Array) return JSON.stringify(byteaText(value));
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * The keys of the columns in json, jsonl and yaml rows, where a name used twice (`SELECT s.name,
 * c.name`) would otherwise keep only one of the values: a name's first column keeps it, each
 * repeat gets `_2`, `_3`… appended, numbered by repeat and skipping any key another column is
 * already called or has been given (so `a, a, a_2` becomes `a, a_3, a_2`).
 */
export function columnKeys(columns: readonly ResultColumn[]): string[] {
  const keys: Array<string | undefined> = [];
  const taken = new Set<string>();
  columns.forEach((c, i) => {
    if (!taken.has(c.name)) {
      taken.add(c.name);
      keys[i] = c.name;
    }
  });
  const repeats = new Map<string, number>();
  columns.forEach((c, i) => {
    if (keys[i] !== undefined) return;
    let n = repeats.get(c.name) ?? 1;
    let key: string;
    do key = `${c.name}_${++n}`;
    while (taken.has(key));
    repeats.set(c.name, n);
    taken.add(key);
    keys[i] = key;
  });
  return keys.map((k, i) => k ?? columns[i]!.name);
}

function rowObjects(result: RowsResult): Array<Record<string, Cell>> {
  const keys = columnKeys(result.columns);
  return result.rows.map((row) => rowObject(keys, row));
}

function rowObject(keys: readonly string[], row: Cell[]): Record<string, Cell> {
  const obj: Record<string, Cell> = {};
  keys.forEach((k, i) => {
    obj[k] = row[i] ?? null;
  });
  return obj;
}

function formatJson(result: RowsResult): string {
  if (result.rows.length === 0) return '[]\n';
  const lines = rowObjects(result).map((row) => `  ${toJson(row)}`);
  return `[\n${lines.join(',\n')}\n]\n`;
}

function formatJsonLines(result: RowsResult): string {
  return rowObjects(result)
    .map((row) => `${toJson(row)}\n`)
    .join('');
}

/** RFC 4180: CRLF line ends, a header line, fields quoted when they hold `,` `"` CR or LF. */
function formatCsv(result: RowsResult): string {
  return csvLine(result.columns.map((c) => c.name)) + csvRows(result);
}

function csvRows(result: RowsResult): string {
  return result.rows.map((row) => csvLine(rowTexts(result, row))).join('');
}

function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
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
  return result.rows.map((row) => `${rowTexts(result, row).map(textField).join('\t')}\n`).join('');
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
    table.push(rowTexts(result, row).map(oneLine));
  }
  return `${table.toString()}\n`;
}

function formatTableOrExpanded(result: RowsResult, options: FormatOptions): string {
  if (options.expanded === 'on') return formatExpanded(result);
  const table = formatTable(result);
  if (options.expanded === 'auto' && options.width !== undefined && result.rows.length > 0) {
    const widest = Math.max(...table.split('\n').map(textWidth));
    if (widest > options.width) return formatExpanded(result);
  }
  return table;
}

/**
 * psql's expanded display (`\x`, border 1): for each row a `-[ RECORD n ]` rule as wide as the
 * widest `column | value` line, with a `+` above the `|` when the rule is long enough to
 * reach it, then one such line per column.
 */
function formatExpanded(result: RowsResult): string {
  if (result.rows.length === 0) return '(0 rows)\n';
  const names = result.columns.map((c) => oneLine(c.name));
  const values = result.rows.map((row) => rowTexts(result, row).map(oneLine));
  const hwidth = Math.max(...names.map(textWidth));
  const dwidth = Math.max(0, ...values.flat().map(textWidth));
  const out: string[] = [];
  values.forEach((row, r) => {
    out.push(recordRule(r + 1, hwidth, dwidth));
    row.forEach((v, i) => out.push(`${padEnd(names[i]!, hwidth)} | ${v}`));
  });
  return `${out.join('\n')}\n`;
}

/** The rule psql's print_aligned_vertical_line draws for border 1. */
function recordRule(record: number, hwidth: number, dwidth: number): string {
  const label = `-[ RECORD ${record} ]`;
  // Under the column names: the label, then dashes up to the names' width.
  let rule = label.padEnd(hwidth, '-');
  // Then " | " drawn as "-+-", each character only where the label has not already passed it.
  const over = label.length - hwidth;
  rule += '-+-'.slice(Math.max(0, Math.min(3, over)));
  // Then dashes across the values' width, less what the label took of it.
  return rule + '-'.repeat(Math.max(0, dwidth - Math.max(0, over - 3)));
}

let strlen: ((s: string) => number) | undefined;

/** Columns a string takes on a terminal (East Asian wide characters take two). */
function textWidth(s: string): number {
  // The function cli-table3 (a dependency already) measures its cells with, so that expanded
  // and grid output agree; its utils module is a plain CommonJS file of that package.
  strlen ??= (require('cli-table3/src/utils.js') as { strlen: (s: string) => number }).strlen;
  return strlen(s);
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - textWidth(s)));
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
 * YAML with int8 values kept exact and timestamps as PostgreSQL text, in which every string (keys
 * too) reads back as the same string whether the reader follows YAML 1.2's core schema or YAML
 * 1.1 (PyYAML, js-yaml's 1.1 schema, many tools): see mustDoubleQuote.
 */
function toYaml(value: unknown): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return stringify(plainForYaml(value), { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1', merge: false, customTags: withYamlStringTag });
}

/** The YAML 1.1 schema's tags, with a string tag that quotes as mustDoubleQuote says. */
function withYamlStringTag(tags: Tags): Tags {
  const { stringTag } = require('yaml/util') as typeof import('yaml/util');
  const quoting: typeof stringTag = {
    ...stringTag,
    stringify(item, ctx, onComment, onChompKeep) {
      const text = String(item.value);
      // yaml's own string tag always has a stringify (the `!` is for the optional in its type).
      return mustDoubleQuote(text) ? yamlDoubleQuoted(text) : stringTag.stringify!(item, ctx, onComment, onChompKeep);
    },
  };
  // Without the merge tag: a column or JSON key named `<<` is a string like any other, not a merge.
  return tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge').map((t) => (t === stringTag ? quoting : t));
}

/**
 * `yaml` quotes a string only where its own schema (1.1 here) would read it otherwise, so `0o17`
 * (an int in 1.2) stayed plain; and it writes some characters unescaped that not every reader
 * takes as they are. Rather than mirror each reader's patterns, which differ in details (`_` in
 * numbers, `0o`, sexagesimal `1:20`, `+.5`), a string is double-quoted when it could be anything
 * but a string to any of them, or when it holds such a character. Also quoted: a tab, which
 * PyYAML refuses in a plain scalar, and a leading `:`, which Ruby's Psych reads as a symbol.
 */
function mustDoubleQuote(s: string): boolean {
  if (YAML_UNESCAPED.test(s)) return true;
  // A string of several lines is written as a block or quoted scalar, and those are strings.
  if (/[\r\n]/.test(s)) return false;
  return YAML_KEYWORD.test(s) || YAML_NUMBER_LIKE.test(s) || s.includes('\t') || s.startsWith(':');
}

/**
 * Plain scalars that YAML 1.1 or 1.2 give a type other than string, in any letter case: null, the
 * booleans, and PyYAML's `=` (value) and `<<` (merge) tags, which its safe loader refuses.
 */
const YAML_KEYWORD = /^(?:|~|null|true|false|yes|no|y|n|on|off|=|<<)$/i;

/**
 * The start of what might be a number or a date (`1e3`, `0o17`, `017`, `1:20`, `2001-12-14`, `.5`,
 * `._`) or is a special float (`.inf`, `-.Inf`, `.nan`); what follows the start is not looked at.
 */
const YAML_NUMBER_LIKE = /^[-+]?(?:[0-9]|\.[0-9_]|\.(?:inf|nan)$)/i;

/**
 * Characters `yaml` writes as they are but YAML wants escaped: DEL and the C1 controls (not
 * printable), NEL, LS and PS (line breaks to YAML 1.1 readers, which would fold them), the BOM,
 * U+FFFE and U+FFFF.
 */
const YAML_UNESCAPED = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const YAML_UNESCAPED_ALL = new RegExp(YAML_UNESCAPED.source, 'g');

/** A double-quoted YAML scalar: JSON's escapes are all YAML escapes too, and YAML_UNESCAPED is escaped as well. */
function yamlDoubleQuoted(s: string): string {
  return JSON.stringify(s).replace(YAML_UNESCAPED_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function plainForYaml(value: unknown): unknown {
  if (value instanceof Date) return timestamptzText(value);
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

/**
 * The output of a whole script as one document of its format, written piece by piece as the
 * statements finish. A script of one statement prints exactly what formatResult does; with
 * several:
 * - json: one array with an element per statement, each what the statement alone prints
 *   (its rows' array, or `{"command": …}`);
 * - jsonl: the rows of every statement, and `{"command": …}` for each command, one per line
 *   (JSON Lines has no documents to separate);
 * - yaml: a stream of YAML documents, one per statement, separated by `---`;
 * - csv: one table, whose header is written once: commands add nothing, and a statement whose
 *   columns are named otherwise than the first table's is an error (it has run by then);
 * - text: the lines of every statement one after the other, as for a single one;
 * - table: each statement's output, separated by an empty line.
 * Statements that return no rows (`INSERT 0 1`) are part of the script in every format.
 */
export class ScriptOutput {
  private shown = 0;
  private csvHeader: string[] | undefined;

  /** `statements`: how many statements the script has (they may not all run). */
  constructor(
    private readonly format: OutputFormat,
    private readonly statements: number,
    private readonly options: FormatOptions = {},
  ) {}

  /** The text for the next statement's result. */
  add(result: StatementResult): string {
    const index = this.shown;
    const single = this.statements <= 1;
    let out: string;
    switch (this.format) {
      case 'json': {
        const doc = formatResult(result, 'json');
        if (single) out = doc;
        else out = `${index === 0 ? '[\n' : ',\n'}${doc.replace(/\n$/, '').replace(/^/gm, '  ')}`;
        break;
      }
      case 'yaml':
        out = `${index > 0 ? '---\n' : ''}${formatResult(result, 'yaml')}`;
        break;
      case 'table': {
        const text = formatResult(result, 'table', this.options);
        out = index > 0 && text !== '' ? `\n${text}` : text;
        break;
      }
      case 'csv':
        out = this.csv(result, index);
        break;
      case 'jsonl':
      case 'text':
        out = formatResult(result, this.format);
        break;
    }
    this.shown++;
    return out;
  }

  /** What closes the document: after the last statement, or after the one that failed. */
  end(): string {
    return this.format === 'json' && this.statements > 1 && this.shown > 0 ? '\n]\n' : '';
  }

  private csv(result: StatementResult, index: number): string {
    if (result.kind === 'command') return '';
    const names = result.columns.map((c) => c.name);
    if (this.csvHeader === undefined) {
      this.csvHeader = names;
      return formatResult(result, 'csv');
    }
    if (names.length !== this.csvHeader.length || names.some((n, i) => n !== this.csvHeader![i])) {
      throw new CcqlError(
        'not_supported',
        `-o csv writes one table, but statement ${index + 1} returns the columns (${names.join(', ')}) where the table has (${this.csvHeader.join(', ')}); its rows are not printed`,
        { hint: 'the statement has run; give statements of other shapes their own ccql exec, or use -o json, jsonl or yaml, which hold several results' },
      );
    }
    // The same columns: its rows go on under the header already written.
    return csvRows(result);
  }
}
