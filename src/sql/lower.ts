/**
 * Lowers one statement of the user's text into the IR (ir.ts): catalog statements, EXPLAIN,
 * queries and INSERT/UPDATE/DELETE over provider tables, or passthrough SQL. This is the only
 * place besides analyze.ts that reads libpg-query shapes and tokens.
 */
import { at, CcqlError } from '../errors.js';
import { as, body, isObj, list, literal, str, type Obj } from './ast.js';
import { analyze, type ResolveTable, type TableRef } from './analyze.js';
import { parseCatalogStatement } from './catalog-statement.js';
import { isExecStatement, parseExecStatement } from './exec-statement.js';
import { readHints } from './hints.js';
import type {
  DeleteNode,
  ExplainNode,
  InsertNode,
  MutationNode,
  QueryNode,
  Span,
  StatementNode,
  TableRefNode,
  UpdateNode,
  ValueNode,
  WrittenName,
} from './ir.js';
import { loadParser, parseStatement, scanTokens, type ParsedStatement, type Token } from './parser.js';
import { findTopLevel, isKeyword } from './rewrite.js';

/** Lowers `text` (one statement). Catalog statements and EXEC never load the SQL parser. */
export async function lowerStatement(text: string, resolve: ResolveTable): Promise<StatementNode> {
  if (isExecStatement(text)) return parseExecStatement(text);
  const catalog = parseCatalogStatement(text);
  if (catalog) return { kind: 'catalog', text, statement: catalog };
  await loadParser();
  try {
    return lowerSql(text, resolve);
  } catch (e) {
    // The parse tree is walked recursively: an expression thousands of operators deep
    // (`1+1+…+1`) exhausts the stack before PostgreSQL's own limit would be reached.
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new CcqlError('not_supported', 'the statement is nested too deeply for ccql to read', {
        sqlstate: '54001',
        hint: 'split the expression, or pass long lists as an array or VALUES rows',
        location: { offset: 0 },
      });
    }
    throw e;
  }
}

/** Lowers SQL (not a catalog statement); the parser must be loaded. */
export function lowerSql(text: string, resolve: ResolveTable): StatementNode {
  const { parsed, quoted } = parseQuotingColumns(text, resolve);
  let node: StatementNode;
  try {
    if (parsed.kind === 'ExplainStmt') node = lowerExplain(parsed, resolve) ?? lowerParsed(parsed, resolve);
    else node = lowerParsed(parsed, resolve);
  } catch (e) {
    throw quoted.length > 0 && e instanceof CcqlError ? unshift(e, quoted) : e;
  }
  if (quoted.length === 0 || node.kind === 'passthrough' || node.kind === 'explain' || node.kind === 'exec') return node;
  const warnings = quoted.map((q) => `${q.word} is a reserved word in SQL: read as the column "${q.word}" (write "${q.word}" to say so)`);
  return { ...node, warnings: [...node.warnings, ...warnings], inserted: quoted };
}

export interface QuotedWord {
  readonly word: string;
  readonly at: number;
}

/**
 * Parses `text`; where the parser stops at a reserved word (`authorization`, `group`,
 * `primary`) that is a column of a provider table the statement names, as StackQL's pages write
 * them, quotes it and parses again. Any other syntax error stands, with a hint when the word is a
 * column: so the text the engine gets is the user's, with those columns quoted.
 */
function parseQuotingColumns(text: string, resolve: ResolveTable): { parsed: ParsedStatement; quoted: QuotedWord[] } {
  const quoted: QuotedWord[] = [];
  let current = text;
  for (;;) {
    try {
      return { parsed: parseStatement(current), quoted };
    } catch (e) {
      if (!(e instanceof CcqlError) || e.code !== 'syntax' || e.location?.offset === undefined || quoted.length >= 8) throw unshift(e, quoted);
      const at = e.location.offset;
      // The parser may stop at the word or just after it (`SELECT authorization, id` fails at the comma).
      const tokens = scanTokens(current);
      const token = tokens
        .filter((t, i) => t.start <= at && RESERVED_KINDS.has(t.keywordName) && !isClauseWord(t, tokens[i + 1]) && columnOfNamedTable(current, t.text.toLowerCase(), resolve))
        .pop();
      if (!token) throw unshift(e, quoted);
      const word = token.text.toLowerCase();
      current = `${current.slice(0, token.start)}"${word}"${current.slice(token.end)}`;
      quoted.push({ word, at: token.start });
    }
  }
}

/** Keywords that cannot stand as a bare column name. */
const RESERVED_KINDS = new Set(['RESERVED_KEYWORD', 'TYPE_FUNC_NAME_KEYWORD']);

/** `GROUP BY`, `PRIMARY KEY`: the keyword in its own role, never a column. */
function isClauseWord(t: Token, next: Token | undefined): boolean {
  const pair = `${t.text} ${next?.text ?? ''}`.toUpperCase();
  return pair === 'GROUP BY' || pair === 'PRIMARY KEY' || pair === 'ORDER BY';
}

/** True when a provider table written in `text` (a three-part name) has a column `word`. */
function columnOfNamedTable(text: string, word: string, resolve: ResolveTable): boolean {
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)/g)) {
    try {
      if (resolve([m[1]!, m[2]!, m[3]!])?.columns.includes(word)) return true;
    } catch {
      // not a provider table
    }
  }
  return false;
}

/** An error's offset in the user's text, before the quotes `quoted` added. */
function unshift(e: unknown, quoted: ReadonlyArray<QuotedWord>): unknown {
  if (!(e instanceof CcqlError) || e.location?.offset === undefined || quoted.length === 0) return e;
  return e.relocated({ ...e.location, offset: originalOffset(e.location.offset, quoted) });
}

/**
 * Maps an offset in the text with quotes added back to the user's text. Each word was quoted in
 * the text as it was then (`at`), so the quotes are taken off last one first.
 */
export function originalOffset(offset: number, quoted: ReadonlyArray<QuotedWord>): number {
  let o = offset;
  for (const q of [...quoted].reverse()) {
    const closing = q.at + q.word.length + 1;
    if (o > closing) o -= 2;
    else if (o > q.at) o -= 1;
  }
  return o;
}

function lowerParsed(parsed: ParsedStatement, resolve: ResolveTable): Exclude<StatementNode, ExplainNode | { kind: 'catalog' }> {
  if (parsed.kind === 'CopyStmt') throw copyRefused(parsed.stmt.CopyStmt as Obj);
  const analysis = analyze(parsed, resolve);
  if (analysis.refs.length === 0) {
    return {
      kind: 'passthrough',
      text: parsed.text,
      commandTag: commandTag(parsed.kind, parsed.stmt[parsed.kind]),
      transaction: transactionEffect(parsed),
    };
  }
  const refs = analysis.refs.map(freeze);
  const base = {
    text: parsed.text,
    refs,
    hints: readHints(parsed.tokens),
    rewrites: analysis.rewrites,
    warnings: analysis.warnings,
  };
  const target = analysis.target ? refs[analysis.target.id]! : undefined;
  if (!target) return { kind: 'query', ...base } satisfies QueryNode;
  const stmt = parsed.stmt[parsed.kind] as Obj;
  const mutation = {
    ...base,
    target,
    withSpan: withSpan(parsed, stmt),
    returning: returningSpan(parsed, stmt, target),
  };
  switch (parsed.kind) {
    case 'InsertStmt':
      return lowerInsert(parsed, stmt, mutation);
    case 'UpdateStmt':
      return lowerUpdate(parsed, stmt, { ...mutation, whereIsConstraintsOnly: analysis.targetWhereIsConstraintsOnly });
    case 'DeleteStmt':
      return lowerDelete(parsed, stmt, { ...mutation, whereIsConstraintsOnly: analysis.targetWhereIsConstraintsOnly });
    default:
      throw new CcqlError('internal', `unexpected target in ${parsed.kind}`);
  }
}

function freeze(r: TableRef): TableRefNode {
  return {
    kind: 'table',
    id: r.id,
    parts: r.parts,
    name: r.name,
    alias: r.alias,
    exposedName: r.exposedName,
    span: { start: r.start, end: r.end },
    role: r.role,
    columns: r.columns,
    allColumns: r.allColumns,
    constraints: r.conjuncts,
    opaqueRegionAt: r.opaqueRegionAt,
    sealed: r.sealed === true,
    returning: r.returning,
  };
}

type MutationBase = Omit<MutationNode, 'kind' | 'columns' | 'rows' | 'select' | 'sets' | 'where' | 'whereIsConstraintsOnly'>;

function lowerInsert(parsed: ParsedStatement, stmt: Obj, base: MutationBase): InsertNode {
  const { target } = base;
  const cols = list(stmt.cols)
    .map((c) => as(c, 'ResTarget'))
    .filter((c): c is Obj => c !== undefined);
  if (cols.length === 0) {
    throw at(
      new CcqlError('invalid_input', `INSERT INTO ${target.name} needs a column list`, {
        hint: `e.g. INSERT INTO ${target.name} (Name, region) VALUES ('…', 'us-east-1'); DESCRIBE ${target.name} lists the columns`,
      }),
      target.span.start,
    );
  }
  const columns: WrittenName[] = cols.map((c) => {
    const offset = location(parsed, c);
    if (list(c.indirection).length > 0) throw at(new CcqlError('not_supported', 'INSERT into part of a column is not supported'), offset);
    return { name: str(c.name) ?? '', offset };
  });
  const sel = as(stmt.selectStmt, 'SelectStmt');
  if (!sel) throw at(new CcqlError('not_supported', `INSERT INTO ${target.name} needs VALUES (…) or SELECT …`), target.span.start);
  return { kind: 'insert', ...base, columns, rows: constantRows(parsed, sel), select: selectSpan(parsed, target) };
}

function lowerUpdate(parsed: ParsedStatement, stmt: Obj, base: MutationBase & { whereIsConstraintsOnly: boolean }): UpdateNode {
  const { target } = base;
  if (list(stmt.fromClause).length > 0) {
    throw at(new CcqlError('not_supported', `UPDATE … FROM is not supported for ${target.name}`, { hint: 'use a subquery in WHERE instead' }), target.span.start);
  }
  const targets = list(stmt.targetList)
    .map((t) => as(t, 'ResTarget'))
    .filter((t): t is Obj => t !== undefined);
  const spans = setSpans(parsed, target, targets.length);
  const sets = targets.map((t, i) => {
    const offset = location(parsed, t);
    if (as(t.val, 'MultiAssignRef') || list(t.indirection).length > 0) {
      throw at(new CcqlError('not_supported', 'UPDATE … SET supports column = value only'), offset);
    }
    const span = spans[i]!;
    return { name: { name: str(t.name) ?? '', offset }, value: valueNode(parsed, t.val, span) };
  });
  return { kind: 'update', ...base, sets, where: whereSpan(parsed, target) };
}

function lowerDelete(parsed: ParsedStatement, stmt: Obj, base: MutationBase & { whereIsConstraintsOnly: boolean }): DeleteNode {
  const { target } = base;
  if (list(stmt.usingClause).length > 0) {
    throw at(new CcqlError('not_supported', `DELETE … USING is not supported for ${target.name}`, { hint: 'use a subquery in WHERE instead' }), target.span.start);
  }
  return { kind: 'delete', ...base, where: whereSpan(parsed, target) };
}

/**
 * `EXPLAIN [(FORMAT JSON)] <statement>` over provider tables. EXPLAIN of SQL that names no
 * provider table is PostgreSQL's own (undefined here).
 */
function lowerExplain(parsed: ParsedStatement, resolve: ResolveTable): ExplainNode | undefined {
  const stmt = parsed.stmt.ExplainStmt as Obj;
  let format: 'text' | 'json' = 'text';
  for (const o of list(stmt.options)) {
    const d = as(o, 'DefElem');
    const name = str(d?.defname)?.toLowerCase();
    const value = (str(as(d?.arg, 'String')?.sval) ?? '').toLowerCase();
    if (name === 'format') {
      if (value !== 'text' && value !== 'json') {
        throw at(new CcqlError('not_supported', `EXPLAIN (FORMAT ${value.toUpperCase()}) is not supported for provider tables`, { hint: 'use FORMAT TEXT or FORMAT JSON' }), 0);
      }
      format = value;
    } else if (name === 'analyze' && (d?.arg === undefined || !/^(false|off|0)$/.test(value))) {
      throw at(
        new CcqlError('not_supported', 'EXPLAIN ANALYZE is not supported for provider tables: EXPLAIN shows the calls without making them', {
          hint: 'drop ANALYZE; run the statement itself to make the calls',
        }),
        0,
      );
    }
  }
  const innerStart = innerStatementStart(parsed.tokens);
  if (innerStart === undefined) return undefined;
  // Blank the EXPLAIN prefix rather than cut it: every offset still points into the user's text.
  const text = parsed.text.slice(0, innerStart).replace(/[^\n]/g, ' ') + parsed.text.slice(innerStart);
  const inner = lowerParsed(parseStatement(text), resolve);
  if (inner.kind === 'passthrough') return undefined;
  return { kind: 'explain', text: parsed.text, format, statement: inner };
}

/** Offset of the statement after `EXPLAIN`, `(options)`, `ANALYZE` and `VERBOSE`. */
function innerStatementStart(tokens: readonly Token[]): number | undefined {
  const code = tokens.filter((t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT');
  let i = code.findIndex((t) => isKeyword(t, 'EXPLAIN'));
  if (i < 0) return undefined;
  i++;
  if (code[i]?.text === '(') {
    let depth = 0;
    for (; i < code.length; i++) {
      if (code[i]!.text === '(') depth++;
      else if (code[i]!.text === ')' && --depth === 0) break;
    }
    i++;
  }
  while (code[i] && ['ANALYZE', 'ANALYSE', 'VERBOSE'].some((w) => isKeyword(code[i]!, w))) i++;
  return code[i]?.start;
}

// ---- values ----------------------------------------------------------------------------

function valueNode(parsed: ParsedStatement, node: unknown, span: Span): ValueNode {
  const lit = literal(node);
  const offset = nodeLocation(parsed, node) ?? span.start;
  if (lit) return { kind: 'literal', literal: lit.literal, cast: lit.cast, offset };
  return { kind: 'expression', span, offset };
}

/** VALUES (…), (…) or SELECT of literals (also UNION ALL of those): the literals, else undefined. */
function constantRows(parsed: ParsedStatement, sel: Obj): ValueNode[][] | undefined {
  if (sel.op !== undefined && sel.op !== 'SETOP_NONE') {
    if (sel.op !== 'SETOP_UNION' || sel.all !== true) return undefined;
    const l = constantRows(parsed, body(sel.larg, 'SelectStmt') ?? {});
    const r = constantRows(parsed, body(sel.rarg, 'SelectStmt') ?? {});
    return l && r ? [...l, ...r] : undefined;
  }
  for (const k of ['withClause', 'fromClause', 'whereClause', 'groupClause', 'havingClause', 'sortClause', 'limitCount', 'limitOffset', 'distinctClause']) {
    if (sel[k] !== undefined) return undefined;
  }
  const rows: unknown[][] =
    sel.valuesLists !== undefined ? list(sel.valuesLists).map((l) => list(as(l, 'List')?.items)) : [list(sel.targetList).map((t) => as(t, 'ResTarget')?.val)];
  const out: ValueNode[][] = [];
  for (const row of rows) {
    const values: ValueNode[] = [];
    for (const v of row) {
      const l = literal(v);
      if (l === undefined) return undefined;
      values.push({ kind: 'literal', literal: l.literal, cast: l.cast, offset: nodeLocation(parsed, v) ?? 0 });
    }
    out.push(values);
  }
  return out;
}

/** The string offset of an expression node (`{A_Const: {location}}` and the like). */
function nodeLocation(parsed: ParsedStatement, node: unknown): number | undefined {
  const cast = as(node, 'TypeCast');
  if (cast) return nodeLocation(parsed, cast.arg); // a TypeCast's own location is that of its `::`
  if (!isObj(node)) return undefined;
  const inner = Object.values(node)[0];
  const loc = isObj(inner) ? inner.location : undefined;
  return typeof loc === 'number' && loc >= 0 ? parsed.offsets.char(loc) : undefined;
}

function location(parsed: ParsedStatement, node: Obj): number {
  return parsed.offsets.char(typeof node.location === 'number' ? node.location : 0);
}

// ---- spans -----------------------------------------------------------------------------

/** The statement's own `WITH …` clause, up to its verb. */
function withSpan(parsed: ParsedStatement, stmt: Obj): Span | undefined {
  if (stmt.withClause === undefined) return undefined;
  const verb = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE' }[parsed.kind];
  const tokens = parsed.tokens;
  const first = tokens.findIndex((t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT');
  const verbAt = verb ? findTopLevel(tokens, (t) => isKeyword(t, verb), Math.max(0, first)) : -1;
  if (first < 0 || verbAt < 0) return undefined;
  return { start: tokens[first]!.start, end: tokens[verbAt]!.start };
}

function afterTarget(parsed: ParsedStatement, target: TableRefNode): number {
  return Math.max(
    0,
    parsed.tokens.findIndex((t) => t.start >= target.span.end),
  );
}

function returningSpan(parsed: ParsedStatement, stmt: Obj, target: TableRefNode): Span | undefined {
  if (stmt.returningClause === undefined && stmt.returningList === undefined) return undefined;
  return clauseSpan(parsed, 'RETURNING', [], afterTarget(parsed, target));
}

function whereSpan(parsed: ParsedStatement, target: TableRefNode): Span | undefined {
  return clauseSpan(parsed, 'WHERE', ['RETURNING'], afterTarget(parsed, target));
}

/** INSERT's VALUES/SELECT: after the column list, up to RETURNING. */
function selectSpan(parsed: ParsedStatement, target: TableRefNode): Span {
  const tokens = parsed.tokens;
  const open = tokens.findIndex((t) => t.start >= target.span.end && t.text === '(');
  let depth = 0;
  let close = -1;
  for (let i = open; i >= 0 && i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const start = close >= 0 ? tokens[close]!.end : target.span.end;
  const ret = findTopLevel(tokens, (t) => isKeyword(t, 'RETURNING'), close + 1);
  return { start, end: ret >= 0 ? tokens[ret]!.start : parsed.text.length };
}

/** The value expressions of `SET a = …, b = …`. */
function setSpans(parsed: ParsedStatement, target: TableRefNode, count: number): Span[] {
  const tokens = parsed.tokens;
  const set = findTopLevel(tokens, (t) => isKeyword(t, 'SET'), afterTarget(parsed, target));
  const spans: Span[] = [];
  let i = set + 1;
  for (let n = 0; n < count && set >= 0; n++) {
    const eq = findTopLevel(tokens, (t) => t.text === '=', i);
    if (eq < 0) break;
    const stop = findTopLevel(tokens, (t) => t.text === ',' || isKeyword(t, 'WHERE') || isKeyword(t, 'FROM') || isKeyword(t, 'RETURNING'), eq + 1);
    spans.push({ start: tokens[eq]!.end, end: stop < 0 ? parsed.text.length : tokens[stop]!.start });
    i = stop + 1;
    if (stop < 0) break;
  }
  while (spans.length < count) spans.push({ start: target.span.end, end: target.span.end });
  return spans;
}

/** The text after a top-level keyword up to the next of `stops` (or the end). */
function clauseSpan(parsed: ParsedStatement, keyword: string, stops: readonly string[], from: number): Span | undefined {
  const tokens = parsed.tokens;
  const i = findTopLevel(tokens, (t) => isKeyword(t, keyword), from);
  if (i < 0) return undefined;
  const j = findTopLevel(tokens, (t) => stops.some((s) => isKeyword(t, s)), i + 1);
  return { start: tokens[i]!.end, end: j < 0 ? parsed.text.length : tokens[j]!.start };
}

/**
 * COPY has nowhere to go: there is no client stream for FROM STDIN / TO STDOUT through ccql,
 * and FROM/TO PROGRAM or a file would run on the machine as ccql's user.
 */
function copyRefused(copy: Obj): CcqlError {
  const from = copy.is_from === true;
  return new CcqlError('not_supported', `COPY ${from ? 'FROM' : 'TO'} is not supported`, {
    hint: from ? 'load rows with INSERT … VALUES or INSERT … SELECT' : 'run the SELECT; ccql exec -o csv writes CSV',
    location: { offset: 0 },
  });
}

/** Whether the statement opens or closes a transaction block (BEGIN, COMMIT, ROLLBACK…). */
function transactionEffect(parsed: ParsedStatement): 'begin' | 'end' | undefined {
  if (parsed.kind !== 'TransactionStmt') return undefined;
  const kind = str((parsed.stmt.TransactionStmt as Obj).kind);
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return 'begin';
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_COMMIT_PREPARED' || kind === 'TRANS_STMT_ROLLBACK_PREPARED') return 'end';
  return undefined;
}

/** Postgres' full command tag where the engine reports only the verb (`CREATE` → `CREATE TABLE`). */
function commandTag(kind: string, stmt: unknown): string | undefined {
  const b = isObj(stmt) ? stmt : {};
  const objectWord: Record<string, string> = {
    OBJECT_TABLE: 'TABLE',
    OBJECT_VIEW: 'VIEW',
    OBJECT_INDEX: 'INDEX',
    OBJECT_SEQUENCE: 'SEQUENCE',
    OBJECT_SCHEMA: 'SCHEMA',
    OBJECT_FUNCTION: 'FUNCTION',
    OBJECT_TYPE: 'TYPE',
    OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  };
  switch (kind) {
    case 'CreateStmt':
      return 'CREATE TABLE';
    case 'ViewStmt':
      return 'CREATE VIEW';
    case 'IndexStmt':
      return 'CREATE INDEX';
    case 'CreateSchemaStmt':
      return 'CREATE SCHEMA';
    case 'CreateFunctionStmt':
      return 'CREATE FUNCTION';
    case 'DropStmt': {
      const word = objectWord[String(b.removeType)];
      return word ? `DROP ${word}` : undefined;
    }
    case 'AlterTableStmt': {
      const word = objectWord[String(b.objtype)];
      return word ? `ALTER ${word}` : undefined;
    }
    default:
      return undefined;
  }
}
