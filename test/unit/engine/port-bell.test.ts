import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { bellCounts, FROM_WORKER, PortBell, TO_WORKER } from '../../../src/engine/port-bell.js';

const channels: MessageChannel[] = [];
function channel(): MessageChannel {
  const c = new MessageChannel();
  channels.push(c);
  return c;
}
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('PortBell', () => {
  it('takes a message only once it has been rung, in the order posted', () => {
    const counts = bellCounts();
    const sender = new PortBell(counts, TO_WORKER);
    const receiver = new PortBell(counts, TO_WORKER);
    const { port1, port2 } = channel();
    expect(receiver.take(port2)).toBeUndefined();
    port1.postMessage({ n: 1 });
    // Posted but not rung: the receiver does not look at the port.
    expect(receiver.take(port2)).toBeUndefined();
    sender.rang();
    port1.postMessage({ n: 2 });
    sender.rang();
    expect(receiver.take(port2)).toEqual({ n: 1 });
    expect(receiver.take(port2)).toEqual({ n: 2 });
    expect(receiver.take(port2)).toBeUndefined();
  });

  it('counts a message the event loop delivered, so that it is not looked for again', async () => {
    const counts = bellCounts();
    const sender = new PortBell(counts, FROM_WORKER);
    const receiver = new PortBell(counts, FROM_WORKER);
    const { port1, port2 } = channel();
    const delivered = new Promise<unknown>((resolve) => port2.once('message', (m) => resolve(m)));
    port1.postMessage('by the event loop');
    sender.rang();
    expect(await delivered).toBe('by the event loop');
    receiver.took();
    port1.postMessage('on the spot');
    sender.rang();
    expect(receiver.take(port2)).toBe('on the spot');
    expect(receiver.take(port2)).toBeUndefined();
  });

  it('keeps the two directions apart', () => {
    const counts = bellCounts();
    new PortBell(counts, TO_WORKER).rang();
    const { port1, port2 } = channel();
    port1.postMessage('x');
    expect(new PortBell(counts, FROM_WORKER).take(port2)).toBeUndefined();
    expect(new PortBell(counts, TO_WORKER).take(port2)).toBe('x');
  });
});
