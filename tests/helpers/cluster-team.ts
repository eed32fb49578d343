/**
 * A fresh team on a test cluster (its own admin, signed in through `node`), so the tests of one
 * cluster file do not see each other's calls on their boards. The first team of a database is
 * made by `setup`; later ones are written straight into the shared PostgreSQL store.
 */
import { routes, type AuthReply } from '../../contract';
import { hashPassword } from '../../server/auth/password';
import { TeamStore } from '../../server/store/team-store';
import type { ClusterNode, TestCluster } from './test-cluster';
import { openTestStore } from './test-database';
import { api, unwrap } from './test-server';

let counter = 0;

export async function clusterTeam(cluster: TestCluster, node: ClusterNode, teamName = 'Acme Sales'): Promise<AuthReply> {
  const email = `admin${Date.now()}-${++counter}@acme.test`;
  const store = await openTestStore({ dataDir: node.dataDir, databaseUrl: cluster.databaseUrl });
  try {
    await new TeamStore(store).createTeamWithAdmin(
      { teamName, name: 'Alice Admin', email, passwordHash: await hashPassword('correct horse battery') },
      { onlyIfFirst: false },
    );
  } finally {
    await store.close();
  }
  return unwrap((await api(node.url, routes.login, { body: { email, password: 'correct horse battery' } })).result);
}
