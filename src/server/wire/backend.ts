/**
 * Backend (server → client) messages of PostgreSQL's protocol 3.0, each built as one Buffer:
 * a type byte, an int32 length that counts itself, then the body.
 */

/**
 * Builds one message: the body is written after five bytes left for the type and length, into
 * one buffer that grows when needed (a message of many small parts would otherwise be as many
 * allocations: a statement's replies are a good part of the server's time per `select 1`).
 */
export class MessageBuilder {
  private buf = Buffer.allocUnsafe(64);
  private at = 5;

  int8(n: number): this {
    this.room(1);
    this.buf.writeUInt8(n & 0xff, this.at);
    this.at += 1;
    return this;
  }

  int16(n: number): this {
    this.room(2);
    this.buf.writeInt16BE(n, this.at);
    this.at += 2;
    return this;
  }

  int32(n: number): this {
    this.room(4);
    this.buf.writeInt32BE(n, this.at);
    this.at += 4;
    return this;
  }

  uint32(n: number): this {
    this.room(4);
    this.buf.writeUInt32BE(n >>> 0, this.at);
    this.at += 4;
    return this;
  }

  /** A NUL-terminated UTF-8 string (a NUL inside would end it early: replaced by U+FFFD). */
  cstring(s: string): this {
    const text = s.includes('\0') ? s.replace(/\0/g, '\ufffd') : s;
    this.room(Buffer.byteLength(text, 'utf8') + 1);
    this.at += this.buf.write(text, this.at, 'utf8');
    this.buf[this.at++] = 0;
    return this;
  }

  bytes(b: Buffer): this {
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
    return this;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  finish(type: string): Buffer {
    this.buf.write(type, 0, 'latin1');
    this.buf.writeInt32BE(this.at - 1, 1);
    return this.buf.subarray(0, this.at);
  }
}

const empty = (type: string): Buffer => new MessageBuilder().finish(type);

export const authenticationOk = (): Buffer => new MessageBuilder().int32(0).finish('R');
export const authenticationSasl = (mechanisms: readonly string[]): Buffer => {
  const m = new MessageBuilder().int32(10);
  for (const name of mechanisms) m.cstring(name);
  return m.int8(0).finish('R');
};
export const authenticationSaslContinue = (data: string): Buffer => new MessageBuilder().int32(11).bytes(Buffer.from(data, 'utf8')).finish('R');
export const authenticationSaslFinal = (data: string): Buffer => new MessageBuilder().int32(12).bytes(Buffer.from(data, 'utf8')).finish('R');
export const parameterStatus = (name: string, value: string): Buffer => new MessageBuilder().cstring(name).cstring(value).finish('S');
export const backendKeyData = (pid: number, secret: number): Buffer => new MessageBuilder().int32(pid).int32(secret).finish('K');
export const readyForQuery = (status: 'I' | 'T' | 'E'): Buffer => new MessageBuilder().bytes(Buffer.from(status, 'latin1')).finish('Z');
export const commandComplete = (tag: string): Buffer => new MessageBuilder().cstring(tag).finish('C');
export const emptyQueryResponse = (): Buffer => empty('I');
export const parseComplete = (): Buffer => empty('1');
export const bindComplete = (): Buffer => empty('2');
export const closeComplete = (): Buffer => empty('3');
export const noData = (): Buffer => empty('n');
export const portalSuspended = (): Buffer => empty('s');

/** NegotiateProtocolVersion: the newest minor version we speak and the options we did not know. */
export const negotiateProtocolVersion = (minor: number, unknownOptions: readonly string[]): Buffer => {
  const m = new MessageBuilder().int32((3 << 16) | minor).int32(unknownOptions.length);
  for (const o of unknownOptions) m.cstring(o);
  return m.finish('v');
};

export const parameterDescription = (oids: readonly number[]): Buffer => {
  const m = new MessageBuilder().int16(oids.length);
  for (const oid of oids) m.uint32(oid);
  return m.finish('t');
};

export interface FieldDescription {
  name: string;
  tableOid: number;
  columnNumber: number;
  typeOid: number;
  typlen: number;
  typmod: number;
  format: 0 | 1;
}

export const rowDescription = (fields: readonly FieldDescription[]): Buffer => {
  const m = new MessageBuilder().int16(fields.length);
  for (const f of fields) m.cstring(f.name).uint32(f.tableOid).int16(f.columnNumber).uint32(f.typeOid).int16(f.typlen).int32(f.typmod).int16(f.format);
  return m.finish('T');
};

/** A DataRow of already-encoded values (null for SQL NULL). */
export function dataRow(values: ReadonlyArray<Buffer | null>): Buffer {
  let size = 2;
  for (const v of values) size += 4 + (v ? v.length : 0);
  const b = Buffer.allocUnsafe(size + 5);
  b.write('D', 0, 'latin1');
  b.writeInt32BE(size + 4, 1);
  b.writeInt16BE(values.length, 5);
  let at = 7;
  for (const v of values) {
    if (v === null) {
      b.writeInt32BE(-1, at);
      at += 4;
    } else {
      b.writeInt32BE(v.length, at);
      v.copy(b, at + 4);
      at += 4 + v.length;
    }
  }
  return b;
}

/** The fields of an ErrorResponse or NoticeResponse, by their one-letter codes. */
export interface ErrorFields {
  /** Localized severity (ERROR, FATAL, NOTICE, WARNING…) */
  S: string;
  /** Severity, never localized */
  V: string;
  C: string;
  M: string;
  D?: string;
  H?: string;
  /** 1-based character position in the query string */
  P?: number;
}

function fieldsMessage(type: 'E' | 'N', f: ErrorFields): Buffer {
  const m = new MessageBuilder();
  const put = (code: string, value: string | number | undefined): void => {
    if (value === undefined || value === '') return;
    m.int8(code.charCodeAt(0)).cstring(String(value));
  };
  put('S', f.S);
  put('V', f.V);
  put('C', f.C);
  put('M', f.M);
  put('D', f.D);
  put('H', f.H);
  put('P', f.P);
  return m.int8(0).finish(type);
}

export const errorResponse = (f: ErrorFields): Buffer => fieldsMessage('E', f);
export const noticeResponse = (f: ErrorFields): Buffer => fieldsMessage('N', f);
