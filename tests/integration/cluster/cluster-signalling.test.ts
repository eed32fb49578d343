import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterTests, startTestCluster, type TestCluster } from '../../helpers/test-cluster';
import { addMember, connectSocket, setupTeam } from '../../helpers/test-server';

describe.runIf(clusterTests.enabled)('two nodes over one PostgreSQL and one Redis', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  });
  afterAll(() => cluster?.stop());

  it('shares accounts and rooms: a team push sent by node A reaches a socket on node B', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]];
    expect(a.nodeId).not.toBe(b.nodeId);
    const admin = await setupTeam(a.url);
    const rep = await addMember(b.url, admin.token, 'Remy Rep', 'rep');
    const onB = await connectSocket(b.url, rep.token);
    try {
      const renamed = new Promise((resolve) => onB.once('team:renamed', resolve));
      // Fetched across nodes: node A sees the socket that connected to node B.
      const sockets = await a.io.in(`user:${rep.user.id}`).fetchSockets();
      expect(sockets.map((s) => s.id)).toEqual([onB.id]);
      a.io.to(`team:${admin.team.id}`).emit('team:renamed', { team: { id: admin.team.id, name: 'Renamed' } });
      expect(await renamed).toEqual({ team: { id: admin.team.id, name: 'Renamed' } });
    } finally {
      onB.disconnect();
    }
  });
});

describe.skipIf(clusterTests.enabled)('two nodes over one PostgreSQL and one Redis', () => {
  it.skip(clusterTests.skipReason, () => {});
});
