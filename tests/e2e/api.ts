import { resultSchema, routes, type AuthReply } from '../../contract';

/** Seeds the server through its REST API (for tests whose subject is not the seeded part). */
async function call<R extends (typeof routes)[keyof typeof routes]>(
  base: string,
  route: R,
  body: unknown,
  token?: string,
  path: string = route.path,
): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method: route.method, headers, body: JSON.stringify(body) });
  const result = resultSchema(route.reply).parse(await res.json());
  if (!result.ok) throw new Error(`${route.path}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export const PASSWORD = 'correct horse battery';

/** Creates the team; returns the admin's auth. */
export async function seedTeam(base: string, admin = { name: 'Alice Ace', email: 'alice@acme.test' }): Promise<AuthReply> {
  return (await call(base, routes.setup, { teamName: 'Acme West', ...admin, password: PASSWORD })) as AuthReply;
}

/** Invites and signs up a teammate with `role`. */
export async function seedMember(
  base: string,
  adminToken: string,
  person: { name: string; email: string; role: 'rep' | 'mentor' | 'manager' | 'admin' },
): Promise<AuthReply> {
  const { invite } = (await call(base, routes.createInvite, { role: person.role }, adminToken)) as { invite: { code: string } };
  return (await call(base, routes.signup, { inviteCode: invite.code, name: person.name, email: person.email, password: PASSWORD })) as AuthReply;
}

/** Sets a teammate's role as the admin would on the Team page. */
export async function setRole(base: string, adminToken: string, userId: string, role: 'rep' | 'mentor' | 'manager' | 'admin'): Promise<void> {
  await call(base, routes.updateMember, { role }, adminToken, routes.updateMember.path.replace(':id', encodeURIComponent(userId)));
}
