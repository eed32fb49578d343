/**
 * A node that dies (SIGKILL: it never says goodbye): the calls it owned stay on the other
 * nodes' boards with host state `reconnecting` (seen within 5 s of the kill) for the host grace,
 * the time another node has to adopt them, and are gone from boards once it runs out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCall } from '../../../contract';
import { clusterMember, clusterTeam } from '../../helpers/cluster-team';
import { goLive, onCleanup, runCleanups, socketFor } from '../../helpers/live-call';
import { spawnServer } from '../../helpers/server-process';
import { clusterTests, startTestCluster, type ClusterNode, type TestCluster } from '../../helpers/test-cluster';
import { nextEvent, request, unwrap } from '../../helpers/test-server';

const GRACE_MS = 4000;

describe.runIf(clusterTests.enabled)('the board when a node dies', () => {
  let cluster: TestCluster;
  let survivor: ClusterNode;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 1, options: { hostGraceMs: GRACE_MS } });
    [survivor] = cluster.nodes as [ClusterNode];
  });
  afterEach(runCleanups);
  afterAll(() => cluster?.stop());

  it('shows a dead node’s call reconnecting within 5 s, then drops it when the grace runs out', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-doomed-'));
    onCleanup(() => rm(dataDir, { recursive: true, force: true }));
    const doomed = await spawnServer({
      dataDir,
      databaseUrl: cluster.databaseUrl,
      logLevel: 'warn',
      args: ['--redis-url', cluster.redis.url, '--node-id', 'doomed-node', ...cluster.s3.args()],
    });
    onCleanup(() => doomed.kill('SIGKILL'));
    const admin = await clusterTeam(cluster, survivor);
    const host = await clusterMember(cluster, survivor, admin, 'Hana Host', 'mentor');
    const viewer = await socketFor(survivor, admin);
    const live = nextEvent(viewer, 'board:update', (u) => openCall(u.calls[0])?.hostState === 'live');
    const { call } = await goLive(await socketFor(doomed, host));
    expect((await live).calls.map((c) => c.id)).toEqual([call.id]);

    const reconnecting = nextEvent(viewer, 'board:update', (u) => openCall(u.calls[0])?.hostState === 'reconnecting');
    const gone = nextEvent(viewer, 'board:update', (u) => u.calls.length === 0);
    const killedAt = performance.now();
    await doomed.kill('SIGKILL');
    const shown = await reconnecting;
    const lostAfter = performance.now() - killedAt;
    expect(lostAfter).toBeLessThan(5000);
    // Everything else about the call is as it was; asked for, the board says the same.
    expect(openCall(shown.calls[0])).toMatchObject({ id: call.id, hostId: host.user.id, canListen: true });
    expect(unwrap(await request(viewer, 'board:get', {})).calls).toEqual(shown.calls);

    await gone;
    expect(performance.now() - killedAt).toBeGreaterThanOrEqual(lostAfter + GRACE_MS - 100);
    expect(unwrap(await request(viewer, 'board:get', {})).calls).toEqual([]);
  });
});

describe.skipIf(clusterTests.enabled)('the board when a node dies', () => {
  it.skip(clusterTests.skipReason, () => {});
});
