/**
 * Teams and members on a test cluster, written straight into its shared PostgreSQL store and
 * signed in through a node. A fresh team per test keeps the tests of one cluster file off each
 * other's boards; members are not signed up over HTTP because sign-ups are rate limited per
 * address (across the cluster once limits live in Redis).
 */
import { routes, type AuthReply, type Role } from '../../contract';
import { hashPassword } from '../../server/auth/password';
import { TeamStore } from '../../server/store/team-store';
import type { ClusterNode, TestCluster } from './test-cluster';
import { openTestStore } from './test-database';
import { api, unwrap } from './test-server';
import { TEST_PASSWORD_COST } from './test-password';

const PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
let counter = 0;

async function withTeams<T>(cluster: TestCluster, node: ClusterNode, fn: (teams: TeamStore) => Promise<T>): Promise<T> {
  const store = await openTestStore({ dataDir: node.dataDir, databaseUrl: cluster.databaseUrl });
  try {
    return await fn(new TeamStore(store));
  } finally {
    await store.close();
  }
}

const signIn = async (node: ClusterNode, email: string): Promise<AuthReply> =>
  unwrap((await api(node.url, routes.login, { body: { email, password: PASSWORD } })).result);

/** A new team with its admin, signed in through `node`. */
export async function clusterTeam(cluster: TestCluster, node: ClusterNode, teamName = 'Acme Sales'): Promise<AuthReply> {
  const email = `admin${Date.now()}-${++counter}@acme.test`;
  const hash = await (passwordHash ??= hashPassword(PASSWORD, TEST_PASSWORD_COST));
  await withTeams(cluster, node, (teams) => teams.createTeamWithAdmin({ teamName, name: 'Alice Admin', email, passwordHash: hash }, { onlyIfFirst: false }));
  return signIn(node, email);
}

/** A new member of the admin's team with `role` (through an invite of the admin's), signed in through `node`. */
export async function clusterMember(cluster: TestCluster, node: ClusterNode, admin: AuthReply, name: string, role: Role): Promise<AuthReply> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}${Date.now()}-${++counter}@acme.test`;
  const hash = await (passwordHash ??= hashPassword(PASSWORD, TEST_PASSWORD_COST));
  await withTeams(cluster, node, async (teams) => {
    const invite = await teams.createInvite(admin.team.id, admin.user.id, role, 1);
    await teams.redeemInvite({ code: invite.code, name, email, passwordHash: hash });
  });
  return signIn(node, email);
}
