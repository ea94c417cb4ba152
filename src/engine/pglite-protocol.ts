/**
 * The part of PostgreSQL's protocol the engine's worker speaks with PGlite: the frontend messages
 * that run one statement, and a reader of the backend's answer as it streams out of the WASM
 * (RowDescription, DataRow, CommandComplete, ErrorResponse, NoticeResponse; the rest is not
 * needed). PGlite's own parser builds an object per message and its serializer writes byte by
 * byte; for a short statement the two cost about as much as running it.
 */
import type { ErrorInfo, RunResult } from './pglite-messages.js';
import type { FieldDescription } from './values.js';

/** A simple Query: `sql` is one statement (the session splits scripts with the parser). */
export function queryMessage(sql: string): Uint8Array {
  return message('Q', [Buffer.from(`${sql}\0`, 'utf8')]);
}

/** Parse/Bind/Describe/Execute/Sync of `sql` with text parameters, unnamed statement and portal. */
export function extendedMessages(sql: string, params: readonly string[]): Uint8Array {
  const parse = message('P', [Buffer.from(`\0${sql}\0`, 'utf8'), int16(0)]);
  const values: Buffer[] = [];
  for (const p of params) {
    const v = Buffer.from(p, 'utf8');
    values.push(int32(v.length), v);
  }
  // Portal "", statement "", no parameter format codes (all text), the values, no result format codes (all text).
  const bind = message('B', [Buffer.from([0, 0]), int16(0), int16(params.length), ...values, int16(0)]);
  const describe = message('D', [Buffer.from('P\0', 'latin1')]);
  const execute = message('E', [Buffer.from([0]), int32(0)]);
  const sync = message('S', []);
  return Buffer.concat([parse, bind, describe, execute, sync]);
}

function message(type: string, parts: readonly Buffer[]): Buffer {
  const size = parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.allocUnsafe(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(size + 4, 1);
  return Buffer.concat([head, ...parts], size + 5);
}

function int16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
}

export interface BackendNotice {
  severity: string | undefined;
  message: string | undefined;
  hint: string | undefined;
}

/**
 * Reads the backend's messages from the chunks PGlite writes (a message may span chunks) into
 * the statement's result: the last RowDescription's rows, the command tag, the first error.
 */
export class BackendReader {
  readonly result: RunResult = { rows: [], command: '' };
  error: ErrorInfo | undefined;
  private pending: Buffer | undefined;

  constructor(private readonly onNotice: (n: BackendNotice) => void) {}

  /** `chunk` may be a view of PGlite's memory: what is kept is copied. */
  push(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pending) data = Buffer.concat([this.pending, data]);
    this.pending = undefined;
    let at = 0;
    while (data.length - at >= 5) {
      const end = at + 1 + data.readInt32BE(at + 1);
      if (end > data.length) break;
      this.read(data[at]!, data, at + 5, end);
      at = end;
    }
    if (at < data.length) this.pending = Buffer.from(data.subarray(at));
  }

  private read(type: number, data: Buffer, start: number, end: number): void {
    switch (String.fromCharCode(type)) {
      case 'T':
        this.result.fields = rowDescription(data, start);
        this.result.rows = [];
        return;
      case 'D':
        this.result.rows.push(dataRow(data, start));
        return;
      case 'C':
        this.result.command = data.toString('utf8', start, end - 1);
        return;
      case 'E':
        this.error ??= errorInfo(fields(data, start, end));
        return;
      case 'N': {
        const f = fields(data, start, end);
        this.onNotice({ severity: f.get('S'), message: f.get('M'), hint: f.get('H') });
        return;
      }
    }
  }
}

function cstringEnd(data: Buffer, at: number): number {
  const nul = data.indexOf(0, at);
  return nul === -1 ? data.length : nul;
}

function rowDescription(data: Buffer, start: number): FieldDescription[] {
  const count = data.readInt16BE(start);
  const out: FieldDescription[] = [];
  let at = start + 2;
  for (let i = 0; i < count; i++) {
    const nameEnd = cstringEnd(data, at);
    const name = data.toString('utf8', at, nameEnd);
    at = nameEnd + 1;
    // table OID (4), column number (2), type OID (4), type size (2), type modifier (4), format (2)
    out.push({ name, typeOid: data.readUInt32BE(at + 6), typeSize: data.readInt16BE(at + 10), typeModifier: data.readInt32BE(at + 12) });
    at += 18;
  }
  return out;
}

function dataRow(data: Buffer, start: number): Array<string | null> {
  const count = data.readInt16BE(start);
  const cells: Array<string | null> = new Array(count);
  let at = start + 2;
  for (let i = 0; i < count; i++) {
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0) cells[i] = null;
    else {
      cells[i] = data.toString('utf8', at, at + length);
      at += length;
    }
  }
  return cells;
}

/** An ErrorResponse's or NoticeResponse's fields by their one-letter codes. */
function fields(data: Buffer, start: number, end: number): Map<string, string> {
  const out = new Map<string, string>();
  let at = start;
  while (at < end && data[at] !== 0) {
    const code = String.fromCharCode(data[at]!);
    const valueEnd = cstringEnd(data, at + 1);
    out.set(code, data.toString('utf8', at + 1, valueEnd));
    at = valueEnd + 1;
  }
  return out;
}

function errorInfo(f: Map<string, string>): ErrorInfo {
  const get = (code: string): string | undefined => {
    const v = f.get(code);
    return v === undefined || v === '' ? undefined : v;
  };
  return { message: get('M') ?? 'the engine reported an error', code: get('C'), position: get('P'), hint: get('H'), detail: get('D') };
}
