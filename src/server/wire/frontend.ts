/**
 * Frontend (client → server) messages, read from one frame's body. A body that ends early or
 * carries a count that does not fit is a protocol violation (08P01), never an exception of
 * another kind: the connection answers it with an ErrorResponse and closes.
 */
import { ProtocolViolation } from './frames.js';

/** Reads the fields of one message body in order. */
export class BodyReader {
  private at = 0;

  constructor(
    private readonly body: Buffer,
    private readonly what: string,
  ) {}

  private need(n: number): void {
    if (n < 0 || this.at + n > this.body.length) throw new ProtocolViolation(`invalid ${this.what} message format`);
  }

  int8(): number {
    this.need(1);
    return this.body[this.at++]!;
  }

  int16(): number {
    this.need(2);
    const v = this.body.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.body.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.body.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.at);
    if (end < 0) throw new ProtocolViolation(`invalid string in ${this.what} message`);
    const s = this.body.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.body.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  rest(): Buffer {
    const b = this.body.subarray(this.at);
    this.at = this.body.length;
    return b;
  }

  /** Every byte has been read (PostgreSQL refuses trailing garbage in most messages). */
  end(): void {
    if (this.at !== this.body.length) throw new ProtocolViolation(`invalid ${this.what} message format`);
  }
}

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

export type StartupPacket =
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; pid: number; secret: number }
  | { kind: 'startup'; major: number; minor: number; params: Map<string, string> };

export function readStartupPacket(body: Buffer): StartupPacket {
  const r = new BodyReader(body, 'startup packet');
  const code = r.int32();
  if (code === SSL_REQUEST) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST) {
    const pid = r.int32();
    // protocol 3.2 allows a longer key; 3.0's is four bytes
    const secret = r.int32();
    return { kind: 'cancel', pid, secret };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  const params = new Map<string, string>();
  if (major === 3) {
    for (;;) {
      const name = r.cstring();
      if (name === '') break;
      params.set(name, r.cstring());
    }
  }
  return { kind: 'startup', major, minor, params };
}

export interface ParseMessage {
  name: string;
  text: string;
  paramTypes: number[];
}

export function readParse(body: Buffer): ParseMessage {
  const r = new BodyReader(body, 'Parse');
  const name = r.cstring();
  const text = r.cstring();
  const n = r.int16();
  if (n < 0) throw new ProtocolViolation('invalid Parse message format');
  const paramTypes: number[] = [];
  for (let i = 0; i < n; i++) paramTypes.push(r.uint32());
  r.end();
  return { name, text, paramTypes };
}

export interface BindMessage {
  portal: string;
  statement: string;
  /** 0 text, 1 binary, per parameter (already expanded from the 0/1/n form). */
  paramFormats: number[];
  values: Array<Buffer | null>;
  /** As sent: empty (all text), one (for all), or one per column. */
  resultFormats: number[];
}

export function readBind(body: Buffer): BindMessage {
  const r = new BodyReader(body, 'Bind');
  const portal = r.cstring();
  const statement = r.cstring();
  const nFormats = r.int16();
  if (nFormats < 0) throw new ProtocolViolation('invalid Bind message format');
  const formats: number[] = [];
  for (let i = 0; i < nFormats; i++) formats.push(r.int16());
  const nValues = r.int16();
  if (nValues < 0) throw new ProtocolViolation('invalid Bind message format');
  if (nFormats > 1 && nFormats !== nValues) {
    throw new ProtocolViolation(`bind message has ${nFormats} parameter formats but ${nValues} parameters`);
  }
  const values: Array<Buffer | null> = [];
  for (let i = 0; i < nValues; i++) {
    const len = r.int32();
    if (len < -1) throw new ProtocolViolation('invalid Bind message format');
    values.push(len === -1 ? null : Buffer.from(r.bytes(len)));
  }
  const nResult = r.int16();
  if (nResult < 0) throw new ProtocolViolation('invalid Bind message format');
  const resultFormats: number[] = [];
  for (let i = 0; i < nResult; i++) resultFormats.push(r.int16());
  r.end();
  const paramFormats = values.map((_, i) => (nFormats === 0 ? 0 : nFormats === 1 ? formats[0]! : formats[i]!));
  for (const f of [...paramFormats, ...resultFormats]) {
    if (f !== 0 && f !== 1) throw new ProtocolViolation(`unsupported format code: ${f}`);
  }
  return { portal, statement, paramFormats, values, resultFormats };
}

export function readDescribeOrClose(body: Buffer, what: 'Describe' | 'Close'): { kind: 'S' | 'P'; name: string } {
  const r = new BodyReader(body, what);
  const kind = String.fromCharCode(r.int8());
  const name = r.cstring();
  r.end();
  if (kind !== 'S' && kind !== 'P') throw new ProtocolViolation(`invalid ${what.toUpperCase()} message subtype ${kind.charCodeAt(0)}`);
  return { kind, name };
}

export function readExecute(body: Buffer): { portal: string; maxRows: number } {
  const r = new BodyReader(body, 'Execute');
  const portal = r.cstring();
  const maxRows = r.int32();
  r.end();
  return { portal, maxRows: maxRows <= 0 ? 0 : maxRows };
}

export function readQuery(body: Buffer): string {
  const r = new BodyReader(body, 'Query');
  const text = r.cstring();
  r.end();
  return text;
}

/** SASLInitialResponse: the mechanism and the client-first message. */
export function readSaslInitial(body: Buffer): { mechanism: string; data: Buffer } {
  const r = new BodyReader(body, 'SASLInitialResponse');
  const mechanism = r.cstring();
  const len = r.int32();
  const data = len === -1 ? Buffer.alloc(0) : r.bytes(len);
  r.end();
  return { mechanism, data };
}
