import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterNodes } from '../../../server/cluster/cluster-nodes';
import { createLogger } from '../../../server/logger';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function redis(): Promise<TestRedis> {
  const r = await startTestRedis();
  cleanups.push(() => r.stop());
  return r;
}

async function node(redisUrl: string, nodeId: string): Promise<ClusterNodes> {
  const n = await ClusterNodes.start({ redisUrl, nodeId, log, heartbeatMs: 100, ttlMs: 300 });
  cleanups.push(() => n.close());
  return n;
}

// Needs only redis-server (no PostgreSQL), so it runs on both runs of the suite.
describe('ClusterNodes: who is alive and who owns which call', () => {
  it('knows every live node and the owner of a call; a released call has none', async () => {
    const r = await redis();
    const a = await node(r.url, 'a');
    const b = await node(r.url, 'b');
    expect((await a.aliveNodes()).sort()).toEqual(['a', 'b']);
    await a.claimCall('call-1');
    expect(await b.ownerOf('call-1')).toBe('a');
    await a.releaseCall('call-1');
    expect(await b.ownerOf('call-1')).toBeUndefined();
  });

  it('tells the others when a node dies, with the calls it owned, and forgets its claims', async () => {
    const r = await redis();
    const b = await node(r.url, 'b');
    // Node a in a process of its own, killed with SIGKILL: it never leaves the cluster itself.
    const a = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../helpers/cluster-node-process.ts', import.meta.url))], {
      env: { ...process.env, REDIS_URL: r.url, NODE_ID: 'a', CALLS: 'call-1,call-2' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => void a.kill('SIGKILL'));
    await new Promise<void>((resolve) => a.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    expect(await b.ownerOf('call-1')).toBe('a');
    const lost = new Promise<[string, string[]]>((resolve) => b.on('node-lost', (id, calls) => resolve([id, calls])));
    a.kill('SIGKILL');
    const [id, calls] = await lost;
    expect(id).toBe('a');
    expect(calls.sort()).toEqual(['call-1', 'call-2']);
    expect(await b.ownerOf('call-1')).toBeUndefined();
    expect(await b.aliveNodes()).toEqual(['b']);
  });

  it('re-asserts its heartbeat and its calls after Redis restarts empty', async () => {
    const r = await redis();
    const a = await node(r.url, 'a');
    const b = await node(r.url, 'b');
    await a.claimCall('call-1');
    const lost: string[] = [];
    a.on('node-lost', (id) => lost.push(id));
    b.on('node-lost', (id) => lost.push(id));
    const back = Promise.all([a, b].map((n) => new Promise<void>((resolve) => n.on('reconnected', resolve))));
    await r.restart();
    await back;
    expect(await b.ownerOf('call-1')).toBe('a');
    expect(await b.isAlive('a')).toBe(true);
    // Six beats (100 ms each here) after both are back: neither took the other for dead while
    // their heartbeats were missing from the empty Redis. An absence can only be watched for a time.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(lost).toEqual([]);
  });
});
