/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: the server keeps only the salted
 * keys, never the password; the user name in the SCRAM messages is ignored (the startup
 * packet's is used). An unknown user gets a full exchange with a salt derived from the name, so
 * a client cannot tell it from a wrong password, and both end in the same 28P01 error.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CcqlError } from '../errors.js';

/** PostgreSQL's default scram_iterations. */
export const SCRAM_ITERATIONS = 4096;

export interface ScramSecret {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** The verifier PostgreSQL stores for `password` (rolpassword `SCRAM-SHA-256$…`). */
export function scramSecret(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): ScramSecret {
  // SASLprep, as far as it changes real passwords: Unicode NFKC (ASCII is left as it is).
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

function malformed(what: string): CcqlError {
  return new CcqlError('invalid_input', `malformed SCRAM message (${what})`, { sqlstate: '08P01' });
}

/** One authentication exchange: client-first → server-first, client-final → verdict. */
export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private gs2Header = '';
  private nonce = '';
  private readonly secret: ScramSecret;
  private readonly known: boolean;

  /** `secret` undefined: an unknown user, answered as if it existed (`mockKey` seeds its salt). */
  constructor(secret: ScramSecret | undefined, user: string, mockKey: Buffer) {
    this.known = secret !== undefined;
    this.secret = secret ?? {
      salt: createHmac('sha256', mockKey).update(`salt:${user}`).digest().subarray(0, 16),
      iterations: SCRAM_ITERATIONS,
      storedKey: randomBytes(32),
      serverKey: randomBytes(32),
    };
  }

  /** Reads client-first-message; returns server-first-message. */
  first(clientFirst: string): string {
    const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(n=[^,]*,r=([^,]+)(?:,.*)?)$/.exec(clientFirst);
    if (!m) throw malformed('client-first-message');
    if (m[1]!.startsWith('p=')) {
      throw new CcqlError('not_supported', 'channel binding is not supported by this server', { sqlstate: '08P01', hint: 'connect with channel_binding=prefer or disable' });
    }
    this.gs2Header = `${m[1]},${m[2] ?? ''},`;
    this.clientFirstBare = m[3]!;
    const clientNonce = m[4]!;
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw malformed('nonce');
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.serverFirst;
  }

  /** Reads client-final-message; returns server-final-message, or undefined when the proof is wrong. */
  final(clientFinal: string): string | undefined {
    const m = /^c=([^,]*),r=([^,]*)(?:,.*)?,p=([A-Za-z0-9+/=]+)$/.exec(clientFinal);
    if (!m) throw malformed('client-final-message');
    if (m[1] !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) throw malformed('channel binding');
    if (m[2] !== this.nonce) throw malformed('nonce');
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = Buffer.from(m[3]!, 'base64');
    const signature = hmac(this.secret.storedKey, authMessage);
    if (proof.length !== signature.length) return undefined;
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const ok = timingSafeEqual(sha256(clientKey), this.secret.storedKey) && this.known;
    if (!ok) return undefined;
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`;
  }
}
