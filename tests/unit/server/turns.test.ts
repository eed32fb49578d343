import { readFile } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../server/turns';

/** Spins for `ms`. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('TurnQueue', () => {
  it('releases waiters in order, one per event-loop turn, never inside the caller turn', async () => {
    const queue = new TurnQueue();
    const released: number[] = [];
    // A timer ticks once per turn that reaches the timers phase: it counts turns.
    let turn = 0;
    const ticking = setInterval(() => turn++, 0);
    const turnOf: number[] = [];
    const waiters = Array.from({ length: 5 }, (_, i) =>
      queue.take().then(async () => {
        released.push(i);
        turnOf.push(turn);
        // A long chain of microtasks (what a handler's SQLite queries are) stays in this turn:
        // the next waiter is not released before it ends.
        for (let k = 0; k < 100; k++) await Promise.resolve();
        expect(released).toHaveLength(i + 1);
      }),
    );
    expect(queue.size).toBe(5);
    await Promise.resolve();
    expect(released).toEqual([]);
    await Promise.all(waiters);
    clearInterval(ticking);
    expect(released).toEqual([0, 1, 2, 3, 4]);
    expect(queue.size).toBe(0);
  });

  it('lets I/O callbacks run between released waiters', async () => {
    const queue = new TurnQueue();
    const order: string[] = [];
    const waiters = Array.from({ length: 200 }, (_, i) =>
      queue.take().then(() => {
        order.push(`waiter ${i}`);
        busy(0.2); // a handler's synchronous SQLite work
        // File I/O completes on libuv's thread pool; its callback runs in a poll phase, as a
        // host packet's does. Released all in one turn, every waiter would come before it.
        if (i === 0) readFile(fileURLToPath(import.meta.url), () => order.push('io'));
      }),
    );
    await Promise.all(waiters);
    while (!order.includes('io')) await new Promise((resolve) => setImmediate(resolve));
    expect(order.indexOf('io')).toBeGreaterThan(0);
    expect(order.indexOf('io')).toBeLessThan(order.length - 1);
  });

  it('works again after it has drained', async () => {
    const queue = new TurnQueue();
    await queue.take();
    await queue.take();
    expect(queue.size).toBe(0);
  });
});
