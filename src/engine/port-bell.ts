/**
 * A count, in memory both threads share, of the messages posted on one MessagePort: the receiver
 * sees that a message is there with one atomic read, and only then takes it
 * (`receiveMessageOnPort`). A thread that waits on the spot for a message (pglite.ts and
 * pglite-worker.ts do, for a short while) reads this count in its loop, not the port: the port
 * takes a lock for every look, and a waiter looking all the time slows down the thread posting.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** The bells of the two directions between the engine and its worker, in one shared buffer. */
export const TO_WORKER = 0;
export const FROM_WORKER = 1;

export function bellCounts(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

export class PortBell {
  private readonly counts: Int32Array;
  /** Messages taken on this side, by the event loop or on the spot. */
  private taken = 0;

  constructor(
    counts: SharedArrayBuffer,
    private readonly index: number,
  ) {
    this.counts = new Int32Array(counts);
  }

  /** The sender: a message was just posted. */
  rang(): void {
    Atomics.add(this.counts, this.index, 1);
  }

  /** The receiver: the event loop delivered a message. */
  took(): void {
    this.taken = (this.taken + 1) | 0;
  }

  /** The receiver: the next message, if one was posted and not yet taken. */
  take(port: MessagePort): unknown {
    if (Atomics.load(this.counts, this.index) === this.taken) return undefined;
    const got = receiveMessageOnPort(port);
    if (!got) return undefined;
    this.took();
    return got.message;
  }
}
