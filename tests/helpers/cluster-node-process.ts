/**
 * A cluster member in a process of its own, for tests that kill it with SIGKILL (a node that
 * dies without leaving). Run with tsx: `REDIS_URL=… NODE_ID=… CALLS=a,b tsx cluster-node-process.ts`;
 * prints `ready` once its heartbeat and call claims are in Redis.
 */
import { ClusterNodes } from '../../server/cluster/cluster-nodes';
import { createLogger } from '../../server/logger';

const nodes = await ClusterNodes.start({
  redisUrl: process.env.REDIS_URL!,
  nodeId: process.env.NODE_ID!,
  log: createLogger({ level: 'silent' }),
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 100),
  ttlMs: Number(process.env.TTL_MS ?? 300),
});
for (const callId of (process.env.CALLS ?? '').split(',').filter(Boolean)) await nodes.claimCall(callId);
process.stdout.write('ready\n');
// Stays alive (the heartbeat timer is unref'd) until killed.
setInterval(() => undefined, 60_000);
