import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { openRedis } from './redis';

/**
 * socket.io's official Redis adapter (pub/sub): a room emit on one node reaches the sockets of
 * every node, and `fetchSockets`, `socketsJoin`, `disconnectSockets` and `serverSideEmit` work
 * across nodes. It needs two connections of its own (one is held in subscriber mode).
 *
 * Chosen over the Redis Streams adapter: what Bullpen pushes are refresh hints and whole-state
 * snapshots (a board, a listener list) that the next push or a re-announce replaces, so a push
 * lost while Redis restarts costs nothing a later one does not repair; pub/sub adds no stream
 * to trim and no polling delay on the board's path.
 */
export function redisSocketAdapter(url: string, log: Logger): { adapter: ReturnType<typeof createAdapter>; close(): void } {
  const pub: Redis = openRedis(url, log, 'adapter-pub');
  const sub: Redis = openRedis(url, log, 'adapter-sub');
  return {
    adapter: createAdapter(pub, sub, { key: 'bullpen:io', requestsTimeout: 3000, publishOnSpecificResponseChannel: true }),
    close() {
      // QUIT after what is queued: socket.io's close has just sent the adapter's unsubscribes,
      // which a bare disconnect would reject (unhandled, inside the adapter).
      for (const client of [pub, sub]) client.quit().catch(() => client.disconnect());
    },
  };
}
