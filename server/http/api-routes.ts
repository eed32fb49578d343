import { BullpenError, can, routes, type Role } from '../../contract';
import type { AuditLog } from '../audit/audit-log';
import type { AuthService, Caller } from '../auth/auth-service';
import type { SessionStore } from '../store/session-store';
import type { TeamStore } from '../store/team-store';
import type { ContractRoutes } from './contract-routes';

export interface ApiDeps {
  auth: AuthService;
  teams: TeamStore;
  sessions: SessionStore;
  /** Called when a session is revoked, so live sockets of that session are closed. */
  onSessionRevoked(sessionId: string): void;
  /** Called when roles or mentorships change, so boards are recomputed. */
  onTeamChanged(teamId: string): void;
  /** Role changes and invites are written to the team's audit log. */
  audit: AuditLog;
}

function requireRole(caller: Caller, allowed: (role: Role) => boolean, what: string): void {
  if (!allowed(caller.user.role)) throw new BullpenError('FORBIDDEN', `Only ${what} can do that.`);
}

/** Declares the REST API of accounts and the team. */
export function registerApiRoutes(router: ContractRoutes, deps: ApiDeps): void {
  const { auth, teams, sessions, audit } = deps;
  const actor = (caller: Caller) => ({ id: caller.user.id, name: caller.user.name });

  router.public(routes.setupStatus, async () => ({ needsSetup: await auth.needsSetup() }));
  router.public(routes.setup, async ({ body, userAgent, address }) => await auth.setup(body, { userAgent, address }));
  router.public(routes.invitePreview, async ({ params, userAgent, address }) => await auth.previewInvite(params.code, { userAgent, address }), {
    secretPath: true,
  });
  router.public(routes.signup, async ({ body, userAgent, address }) => await auth.signup(body, { userAgent, address }));
  router.public(routes.login, async ({ body, userAgent, address }) => await auth.login(body, { userAgent, address }));

  router.authed(routes.logout, async ({ caller }) => {
    await sessions.revoke(caller.user.id, caller.sessionId);
    deps.onSessionRevoked(caller.sessionId);
    return {};
  });
  router.authed(routes.me, async ({ caller }) => ({ user: caller.user, team: caller.team }));
  router.authed(routes.sessions, async ({ caller }) => ({ sessions: await sessions.list(caller.user.id, caller.sessionId) }));
  router.authed(routes.revokeSession, async ({ caller, params }) => {
    await sessions.revoke(caller.user.id, params.id);
    deps.onSessionRevoked(params.id);
    return {};
  });

  router.authed(routes.invites, async ({ caller }) => {
    requireRole(caller, can.manageTeam, 'admins');
    return { invites: await teams.invites(caller.team.id) };
  });
  router.authed(routes.createInvite, async ({ caller, body }) => {
    requireRole(caller, can.manageTeam, 'admins');
    const invite = await teams.createInvite(caller.team.id, caller.user.id, body.role, body.expiresInDays);
    await audit.record(caller.team.id, { kind: 'invite-created', actor: actor(caller), target: { id: invite.id, label: invite.code }, detail: `role ${invite.role}` });
    return { invite };
  });
  router.authed(routes.revokeInvite, async ({ caller, params }) => {
    requireRole(caller, can.manageTeam, 'admins');
    await teams.revokeInvite(caller.team.id, params.id);
    await audit.record(caller.team.id, { kind: 'invite-revoked', actor: actor(caller), target: { id: params.id, label: null } });
    return {};
  });

  router.authed(routes.members, async ({ caller }) => ({ members: await teams.members(caller.team.id) }));
  router.authed(routes.updateMember, async ({ caller, params, body }) => {
    requireRole(caller, can.manageTeam, 'admins');
    const before = await teams.member(caller.team.id, params.id);
    const member = await teams.setRole(caller.team.id, params.id, body.role);
    deps.onTeamChanged(caller.team.id);
    if (before.role !== member.role) {
      await audit.record(caller.team.id, { kind: 'role-changed', actor: actor(caller), subject: { id: member.id, name: member.name }, detail: `${before.role} → ${member.role}` });
    }
    return { member };
  });
  router.authed(routes.setMentees, async ({ caller, params, body }) => {
    requireRole(caller, can.assignMentees, 'admins and managers');
    const member = await teams.setMentees(caller.team.id, params.id, body.menteeIds);
    deps.onTeamChanged(caller.team.id);
    return { member };
  });
}
