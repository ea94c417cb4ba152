/**
 * `ccql serve` under bad input and load: 200 concurrent connections (half of them sending
 * garbage, malformed or oversized messages, or disconnecting mid-message) while a psql session
 * keeps answering, the server never exits, and its memory returns to about where it was.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, isolatedEnv } from './cli-helpers.js';
import { int32, message, RawClient, requireClient, runClient, spawnServe, startupMessage } from './server-helpers.js';

type Served = Awaited<ReturnType<typeof spawnServe>>;

let served: Served;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  env = isolatedEnv();
  served = await spawnServe(['--local', '--max-connections', '250', '--max-message-size', '65536'], env);
}, 180_000);

afterAll(async () => {
  await served?.stop();
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** One of the ways a client can misbehave, by index. */
function badBytes(i: number): Buffer {
  switch (i % 5) {
    case 0:
      return Buffer.from('GET / HTTP/1.1\r\n\r\n');
    case 1:
      return Buffer.concat([startupMessage({ user: 'ccql' }), Buffer.from('Q'), int32(1 << 30)]);
    case 2:
      return Buffer.concat([startupMessage({ user: 'ccql' }), message('B', Buffer.from([0, 0, 0, 9]))]);
    case 3:
      return Buffer.concat([startupMessage({ user: 'ccql' }), Buffer.from('Q'), int32(50), Buffer.from('sel')]);
    default:
      return startupMessage({ user: 'ccql' }, 1 << 16);
  }
}

describe('load and bad input', () => {
  const hasPsql = requireClient('psql', 'psql', ['--version'], 'postgresql-client');

  it.runIf(hasPsql)('keeps a psql session working through 200 concurrent connections, 100 of them misbehaving, and gives the memory back', async () => {
    const psql = (sql: string): ReturnType<typeof runClient> =>
      runClient('psql', ['-X', '-At', '-h', '127.0.0.1', '-p', String(served.port), '-U', 'ccql', '-d', 'ccql', '-c', sql], { env });
    // Warm up: each psql connection opens (and closes) its own engine until the shared engine lands.
    for (let i = 0; i < 3; i++) expect((await psql('select 1')).stdout.trim()).toBe('1');
    const pid = served.child.pid!;
    const before = rssMiB(pid);

    const idle: RawClient[] = [];
    const bad: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) {
      const c = await RawClient.open(served.port);
      c.parseMessages();
      if (i % 2 === 0) {
        c.write(startupMessage({ user: 'ccql', database: 'ccql' }));
        idle.push(c);
      } else {
        c.write(badBytes(i));
        bad.push(
          (async () => {
            if (i % 5 === 3) {
              await new Promise((r) => setTimeout(r, 50));
              c.end(); // gone in the middle of a message
            } else await c.until(() => c.closed, 20_000);
          })(),
        );
      }
    }
    await Promise.all(idle.map((c) => c.untilName('readyForQuery')));
    const atPeak = rssMiB(pid);
    // psql keeps working meanwhile, statements and errors alike
    const during = await psql("select count(*) from aws.ivs.stages where region = 'us-east-1'");
    expect(during.stdout.trim()).toMatch(/^\d+$/);
    expect((await psql('select 1/0')).stderr).toContain('division by zero');
    await Promise.all(bad);
    // every idle connection still answers (Sync: no engine needed)
    for (const c of idle) {
      c.messages.length = 0;
      c.write(message('S'));
    }
    await Promise.all(idle.map((c) => c.untilName('readyForQuery')));
    for (const c of idle) c.end();
    await new Promise((r) => setTimeout(r, 1000));
    expect(served.child.exitCode).toBeNull();
    expect((await psql('select 2')).stdout.trim()).toBe('2');
    // Closed engines are garbage until V8 collects them: give it a few seconds.
    let after = rssMiB(pid);
    for (let i = 0; i < 30 && after - before >= 150; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = rssMiB(pid);
    }
    console.log(`ccql serve RSS: ${before.toFixed(0)} MiB before, ${atPeak.toFixed(0)} MiB with 100 idle connections, ${after.toFixed(0)} MiB after`);
    expect(atPeak - before).toBeLessThan(200);
    expect(after - before).toBeLessThan(150);
  });
});
