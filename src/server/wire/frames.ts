/**
 * Cuts the bytes a client sends into messages. Before the startup packet messages have no
 * type byte (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage); after it every message
 * has one. A length past the limits is refused from its header, before any of the body is kept:
 * a client cannot make the server allocate what it announces.
 */
import { CcqlError } from '../../errors.js';

/** PostgreSQL's own limit for a startup packet (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_PACKET = 10_000;

export interface Frame {
  /** The type byte as a character; '' for startup-phase packets. */
  type: string;
  body: Buffer;
}

export class ProtocolViolation extends CcqlError {
  constructor(message: string) {
    super('invalid_input', message, { sqlstate: '08P01' });
  }
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** True until the startup packet has been read. */
  startup = true;

  constructor(private readonly maxMessage: number) {}

  /** Bytes received and not yet taken as a message. */
  get pending(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next whole message, or undefined until more bytes arrive. Throws ProtocolViolation. */
  next(): Frame | undefined {
    const headerSize = this.startup ? 4 : 5;
    if (this.buffered < headerSize) return undefined;
    const header = this.peek(headerSize);
    const type = this.startup ? '' : String.fromCharCode(header[0]!);
    const length = header.readInt32BE(this.startup ? 0 : 1);
    if (this.startup) {
      if (length < 8 || length > MAX_STARTUP_PACKET) throw new ProtocolViolation('invalid length of startup packet');
    } else if (length < 4) {
      throw new ProtocolViolation(`invalid message length ${length} in message type "${printable(type)}"`);
    } else if (length - 4 > this.maxMessage) {
      throw new ProtocolViolation(`message of type "${printable(type)}" is ${length - 4} bytes, more than the ${this.maxMessage} this server accepts`);
    }
    const total = length + (this.startup ? 0 : 1);
    if (this.buffered < total) return undefined;
    const all = this.take(total);
    return { type, body: all.subarray(headerSize) };
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    // Only when the first chunk is shorter than a header: joining them all is cheap then.
    const out = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [out];
    return out.subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const c = this.chunks[0]!;
      if (c.length <= need) {
        parts.push(c);
        this.chunks.shift();
        need -= c.length;
      } else {
        parts.push(c.subarray(0, need));
        this.chunks[0] = c.subarray(need);
        need = 0;
      }
    }
    this.buffered -= n;
    return Buffer.concat(parts, n);
  }
}

function printable(type: string): string {
  return /^[\x20-\x7e]$/.test(type) ? type : `\\x${type.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
