import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * A Redis connection for cluster mode (ioredis). It reconnects on its own, with a backoff
 * capped at one second so a restarted Redis is back in use within about a second; commands
 * sent while it is down wait in ioredis's offline queue for at most one retry, then fail, so a
 * caller gets an error rather than hanging. Connection state changes are logged once each.
 *
 * `role` names the connection in logs (`commands`, `adapter-pub`, `adapter-sub`, …): the
 * socket.io adapter and pub/sub need connections of their own.
 */
export function openRedis(url: string, log: Logger, role: string): Redis {
  const redis = new Redis(url, {
    connectionName: `bullpen-${role}`,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    enableReadyCheck: true,
  });
  let down = false;
  redis.on('ready', () => {
    if (down) log.info('redis connection restored', { role });
    down = false;
  });
  // ioredis emits `reconnecting` for every lost connection (an `error` only for some).
  redis.on('reconnecting', () => {
    if (!down) log.warn('redis connection lost; reconnecting', { role });
    down = true;
  });
  redis.on('error', (error: Error) => {
    if (!down) log.warn('redis connection error', { role, error: error.message });
  });
  return redis;
}
