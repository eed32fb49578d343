/**
 * A real cluster for a test: one PostgreSQL database, one redis-server and one S3-compatible
 * store (s3rver, with 1-s recording segments) shared by `nodes`
 * real servers (each on its own random loopback port, its own data directory and node id).
 * Cluster mode needs PostgreSQL, so these tests run on the PostgreSQL run of the suite
 * (`npm run test:pg`); `clusterTests` says so on the SQLite run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type ServerHooks } from '../../server/app';
import type { ServerConfigInput } from '../../server/config';
import { startTestRedis, type TestRedis } from './redis-server';
import { TEST_PASSWORD_COST } from './test-password';
import { startTestS3, type TestS3 } from './s3-server';
import { createTestDatabase, testEngine } from './test-database';

/** Whether this run can start a cluster (the PostgreSQL run), and why not otherwise. */
export const clusterTests = {
  enabled: testEngine === 'postgres',
  skipReason: 'cluster tests need PostgreSQL: they run in `npm run test:pg`',
};

export interface ClusterNode extends RunningServer {
  dataDir: string;
  /** Stops this node gracefully (its calls end). Idempotent. */
  stop(): Promise<void>;
}

export interface TestCluster {
  nodes: ClusterNode[];
  redis: TestRedis;
  /** The S3-compatible store every node keeps audio in (cluster mode needs one). */
  s3: TestS3;
  databaseUrl: string;
  /** Starts one more node on the same database and Redis (e.g. to replace a stopped one). */
  addNode(options?: Partial<ServerConfigInput> & ServerHooks): Promise<ClusterNode>;
  /** Stops every node, Redis, and drops the database. Idempotent. */
  stop(): Promise<void>;
}

export async function startTestCluster(
  opts: { nodes?: number; options?: Partial<ServerConfigInput> & ServerHooks } = {},
): Promise<TestCluster> {
  const database = await createTestDatabase('postgres', { migrated: true });
  const redis = await startTestRedis();
  const s3 = await startTestS3();
  const databaseUrl = database.url!;
  const nodes: ClusterNode[] = [];
  let counter = 0;

  const addNode = async (options: Partial<ServerConfigInput> & ServerHooks = {}): Promise<ClusterNode> => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-node-'));
    const nodeId = `test-node-${++counter}`;
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      passwordCost: TEST_PASSWORD_COST,
      databaseUrl,
      redisUrl: redis.url,
      nodeId,
      ...s3.config(),
      s3SegmentSec: 1,
      ...opts.options,
      ...options,
    });
    let stopped: Promise<void> | undefined;
    const node: ClusterNode = {
      ...server,
      dataDir,
      stop: () =>
        (stopped ??= (async () => {
          await server.close();
          await rm(dataDir, { recursive: true, force: true });
        })()),
    };
    nodes.push(node);
    return node;
  };

  try {
    // One after the other: the first runs the migrations.
    for (let i = 0; i < (opts.nodes ?? 2); i++) await addNode();
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
    await s3.stop();
    await database.drop();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    nodes,
    redis,
    s3,
    databaseUrl,
    addNode,
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all(nodes.map((n) => n.stop()));
        await redis.stop();
        await s3.stop();
        await database.drop();
      })()),
  };
}

/**
 * A 2-node cluster for one test file: started before its tests, stopped after them. Read its
 * parts through the returned object (they exist once `beforeAll` ran).
 */
export function useTestCluster(opts: Parameters<typeof startTestCluster>[0] = {}): { readonly cluster: TestCluster; readonly a: ClusterNode; readonly b: ClusterNode } {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster(opts);
  });
  afterAll(() => cluster?.stop());
  const started = () => {
    if (!cluster) throw new Error('the test cluster is not started yet (use it inside tests)');
    return cluster;
  };
  return {
    get cluster() {
      return started();
    },
    get a() {
      return started().nodes[0]!;
    },
    get b() {
      return started().nodes[1]!;
    },
  };
}
