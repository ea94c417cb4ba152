/**
 * npx tsx bench/wire-floor.ts [--hop]
 *
 * The floor under `ccql serve`, for bench/server.ts: a Node server that speaks just enough of
 * the PostgreSQL protocol for pgbench and answers every Query with a canned `select 1` result,
 * from memory (no parsing, no engine). With --hop, each Query first makes one round trip to a
 * worker thread, as every engine statement of ccql does (its engine runs in a thread of its
 * own so that a running statement can be cancelled). Prints `listening on 127.0.0.1:PORT`.
 */
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';

const hop = process.argv.includes('--hop');

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (s: string): Buffer => Buffer.from(`${s}\0`);

const ready = message('Z', Buffer.from('I'));
const hello = Buffer.concat([
  message('R', int32(0)),
  message('S', Buffer.concat([cstring('server_version'), cstring('15.0')])),
  message('S', Buffer.concat([cstring('client_encoding'), cstring('UTF8')])),
  message('K', Buffer.concat([int32(1), int32(2)])),
  ready,
]);
const answer = Buffer.concat([
  message('T', Buffer.concat([int16(1), cstring('?column?'), int32(0), int16(0), int32(23), int16(4), int32(-1), int16(0)])),
  message('D', Buffer.concat([int16(1), int32(1), Buffer.from('1')])),
  message('C', cstring('SELECT 1')),
  ready,
]);

const worker = hop ? new Worker(`require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`, { eval: true }) : undefined;
const waiting: Array<() => void> = [];
worker?.on('message', () => waiting.shift()?.());
const roundTrip = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    worker!.postMessage({ type: 'run', sql: 'select 1' });
  });

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let pending = Buffer.alloc(0);
  let started = false;
  let busy = Promise.resolve();
  socket.on('error', () => socket.destroy());
  socket.on('data', (data: Buffer) => {
    pending = Buffer.concat([pending, data]);
    for (;;) {
      if (!started) {
        if (pending.length < 8 || pending.length < pending.readInt32BE(0)) return;
        const code = pending.readInt32BE(4);
        pending = pending.subarray(pending.readInt32BE(0));
        if (code === 80877103) socket.write('N'); // SSLRequest: no
        else {
          started = true;
          socket.write(hello);
        }
        continue;
      }
      if (pending.length < 5 || pending.length < 1 + pending.readInt32BE(1)) return;
      const type = String.fromCharCode(pending[0]!);
      pending = pending.subarray(1 + pending.readInt32BE(1));
      if (type === 'X') return void socket.end();
      if (type === 'Q') busy = busy.then(async () => {
        if (worker) await roundTrip();
        socket.write(answer);
      });
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
});
