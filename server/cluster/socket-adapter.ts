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
  // The adapter publishes without awaiting: while Redis is away a publish fails after one retry
  // and nothing handles it, and an unhandled rejection ends a Node process. Those pushes are
  // hints or snapshots a later one repairs (see above), so their failure is handled here.
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  pub.publish = ((channel: string, message: string | Buffer) => {
    const sent = publish(channel, message);
    sent.catch(() => undefined);
    return sent;
  }) as Redis['publish'];
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
