import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../server/turns';

/** Spins for `ms` (stands in for a native close that takes time). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('TurnQueue with a budget (peer teardown)', () => {
  it('runs every task in order, later, a few milliseconds per event-loop turn', async () => {
    const queue = new TurnQueue(4);
    const ran: number[] = [];
    const turns: number[] = [];
    let turn = 0;
    const ticking = setInterval(() => turn++, 0);
    for (let i = 0; i < 30; i++) {
      queue.enqueue(() => {
        busy(1);
        ran.push(i);
        turns.push(turn);
      });
    }
    expect(ran).toEqual([]); // nothing runs inside the caller's turn
    while (queue.size > 0) await new Promise((resolve) => setImmediate(resolve));
    clearInterval(ticking);
    expect(ran).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // 30 ms of work at 4 ms a turn: spread over several turns, at most ~5 tasks in one.
    const perTurn = new Map<number, number>();
    for (const t of turns) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect(perTurn.size).toBeGreaterThanOrEqual(5);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(5);
  });

  it('carries on past a task that throws', async () => {
    const queue = new TurnQueue(4);
    const ran: string[] = [];
    queue.enqueue(() => {
      throw new Error('close failed');
    });
    queue.enqueue(() => ran.push('next'));
    while (queue.size > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['next']);
  });
});
