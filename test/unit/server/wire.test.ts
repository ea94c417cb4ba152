import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ScramExchange, scramSecret } from '../../../src/server/scram.js';
import { FrameReader } from '../../../src/server/wire/frames.js';
import { readBind } from '../../../src/server/wire/frontend.js';

const require = createRequire(import.meta.url);

/** node-postgres' own SCRAM client: the oracle for the server side. */
const sasl = require('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[]): { mechanism: string; clientNonce: string; response: string; message: string };
  continueSession(session: object, password: string, serverData: string): Promise<void>;
  finalizeSession(session: object, serverData: string): void;
};

describe('SCRAM-SHA-256', () => {
  const secret = scramSecret('pencil');

  async function exchange(user: string, known: boolean, password: string): Promise<{ final: string | undefined; session: { response: string } }> {
    const server = new ScramExchange(known ? secret : undefined, user, Buffer.alloc(32, 7));
    const session = sasl.startSession(['SCRAM-SHA-256']) as unknown as { response: string };
    const serverFirst = server.first(session.response);
    await sasl.continueSession(session, password, serverFirst);
    return { final: server.final(session.response), session };
  }

  it('authenticates node-postgres with the right password, and its client checks our server signature', async () => {
    const { final, session } = await exchange('user', true, 'pencil');
    expect(final).toMatch(/^v=/);
    expect(() => sasl.finalizeSession(session, final!)).not.toThrow();
  });

  it('fails a wrong password and an unknown user the same way, with a stable salt for the unknown one', async () => {
    expect((await exchange('user', true, 'wrong')).final).toBeUndefined();
    expect((await exchange('nobody', false, 'pencil')).final).toBeUndefined();
    const a = new ScramExchange(undefined, 'nobody', Buffer.alloc(32, 7)).first('n,,n=,r=abc');
    const b = new ScramExchange(undefined, 'nobody', Buffer.alloc(32, 7)).first('n,,n=,r=abc');
    expect(a.split(',')[1]).toBe(b.split(',')[1]);
    expect(a).toMatch(/^r=abc.+,s=.+,i=4096$/);
  });

  it('refuses malformed messages and channel binding it does not offer', () => {
    expect(() => new ScramExchange(secret, 'u', Buffer.alloc(32)).first('garbage')).toThrow(/malformed SCRAM/);
    expect(() => new ScramExchange(secret, 'u', Buffer.alloc(32)).first('p=tls-server-end-point,,n=,r=abc')).toThrow(/channel binding/);
    const s = new ScramExchange(secret, 'u', Buffer.alloc(32));
    s.first('n,,n=,r=abc');
    expect(() => s.final('c=biws,r=other,p=AAAA')).toThrow(/nonce/);
  });
});

describe('FrameReader', () => {
  it('joins messages split across chunks and splits several in one chunk', () => {
    const r = new FrameReader(1024);
    r.startup = false;
    const msg = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 13]), Buffer.from('select 1\0')]);
    r.push(msg.subarray(0, 3));
    expect(r.next()).toBeUndefined();
    r.push(Buffer.concat([msg.subarray(3), msg]));
    expect(r.next()?.body.toString()).toBe('select 1\0');
    expect(r.next()?.type).toBe('Q');
    expect(r.next()).toBeUndefined();
  });

  it('refuses an oversized message from its header, before its body arrives', () => {
    const r = new FrameReader(1024);
    r.startup = false;
    r.push(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
    expect(() => r.next()).toThrow(/more than the 1024/);
  });

  it('reads Bind formats given once for all parameters, and refuses counts that do not fit', () => {
    const body = Buffer.concat([Buffer.from('\0\0'), Buffer.from([0, 1, 0, 1]), Buffer.from([0, 2]), Buffer.from([0, 0, 0, 1, 65]), Buffer.from([255, 255, 255, 255]), Buffer.from([0, 0])]);
    expect(readBind(body)).toMatchObject({ paramFormats: [1, 1], values: [Buffer.from('A'), null], resultFormats: [] });
    expect(() => readBind(body.subarray(0, body.length - 3))).toThrow(/invalid Bind message format/);
  });
});
