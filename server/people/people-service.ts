import {
  ACCOUNT_DEACTIVATED_MESSAGE,
  BullpenError,
  PASSWORD_RESET_SIGNED_OUT_MESSAGE,
  type DeleteMemberBody,
  type DeleteMemberReply,
  type Member,
  type PasswordResetIssuedReply,
  type PasswordResetState,
  type SignedOutReason,
  type Team,
} from '../../contract';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/auth-service';
import { hashPassword } from '../auth/password';
import { assertStrongPassword } from '../auth/password-policy';
import type { ClipService } from '../clips/clip-service';
import type { Logger } from '../logger';
import type { PeopleStore } from '../store/people-store';
import type { TeamStore } from '../store/team-store';
import { actorOf, assertNotSelf, assertPeopleAdmin } from './people-policy';

export interface PeopleServiceDeps {
  teams: TeamStore;
  people: PeopleStore;
  clips: Pick<ClipService, 'delete'>;
  audit: AuditLog;
  log: Logger;
  /**
   * A person's sessions were ended by the server: close their sockets telling them why, and end
   * the call they host (the socket server and call registry do this).
   */
  signedOut(userId: string, reason: SignedOutReason, message: string): void;
  /** Membership changed: rosters reload, listens whose rights ended stop, boards refresh. */
  teamChanged(teamId: string): void;
  /** The team's name changed: members' windows are told. */
  teamRenamed?(team: Team): void;
  /** scrypt cost of new password hashes (see auth/password.ts); only tests lower it. */
  passwordCost?: number;
}

/** Two typings of a name are the same confirmation when they differ only in case and spacing. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * People's lifecycle: the admin's actions on members (deactivate, reactivate, delete, password
 * reset links) and the team's name. Every method checks the caller's role and team at the
 * moment it acts (people-policy.ts) and writes its audit row.
 */
export class PeopleService {
  readonly #d: PeopleServiceDeps;

  constructor(deps: PeopleServiceDeps) {
    this.#d = deps;
  }

  async deactivate(caller: Caller, memberId: string): Promise<Member> {
    assertPeopleAdmin(caller);
    assertNotSelf(caller, memberId, 'deactivate');
    const { member, invitesVoided } = await this.#d.people.deactivate(caller.team.id, memberId);
    // Sessions are revoked in the store; now their sockets close, their call and listens end.
    this.#d.signedOut(memberId, 'deactivated', ACCOUNT_DEACTIVATED_MESSAGE);
    this.#d.teamChanged(caller.team.id);
    this.#d.log.info('member deactivated', { teamId: caller.team.id, memberId, by: caller.user.id });
    await this.#d.audit.record(caller.team.id, {
      kind: 'member-deactivated',
      actor: actorOf(caller),
      subject: { id: member.id, name: member.name },
      detail: invitesVoided > 0 ? `${invitesVoided} open invite${invitesVoided === 1 ? '' : 's'} voided` : '',
    });
    return member;
  }

  async reactivate(caller: Caller, memberId: string): Promise<Member> {
    assertPeopleAdmin(caller);
    assertNotSelf(caller, memberId, 'reactivate');
    const member = await this.#d.people.reactivate(caller.team.id, memberId);
    this.#d.teamChanged(caller.team.id);
    await this.#d.audit.record(caller.team.id, { kind: 'member-reactivated', actor: actorOf(caller), subject: { id: member.id, name: member.name } });
    return member;
  }

  /**
   * Deletes a deactivated member once the admin typed their name. Their clips are kept (credited
   * to "Former member") or deleted through the clip service, as their maker would delete them
   * (files too), before the member's name and email are erased.
   */
  async delete(caller: Caller, memberId: string, body: DeleteMemberBody): Promise<DeleteMemberReply> {
    assertPeopleAdmin(caller);
    assertNotSelf(caller, memberId, 'delete');
    const member = await this.#d.teams.member(caller.team.id, memberId);
    if (member.deactivatedAt === null) throw new BullpenError('CONFLICT', 'Deactivate this member before deleting them.');
    if (!sameName(body.confirmName, member.name)) {
      throw new BullpenError('BAD_REQUEST', `Invalid request: confirmName: type ${member.name} exactly to confirm`);
    }
    const clipIds = await this.#d.people.clipIdsBy(caller.team.id, memberId);
    let deletedClips = 0;
    if (body.clips === 'delete') {
      const asMaker: Caller = { ...caller, user: { id: member.id, teamId: member.teamId, name: member.name, email: member.email, role: member.role } };
      for (const clipId of clipIds) {
        await this.#d.clips.delete(asMaker, clipId);
        deletedClips++;
      }
    }
    await this.#d.people.erase(caller.team.id, memberId);
    this.#d.teamChanged(caller.team.id);
    const keptClips = clipIds.length - deletedClips;
    this.#d.log.info('member deleted', { teamId: caller.team.id, memberId, by: caller.user.id, deletedClips, keptClips });
    await this.#d.audit.record(caller.team.id, {
      kind: 'member-deleted',
      actor: actorOf(caller),
      subject: { id: member.id, name: member.name },
      detail: body.clips === 'delete' ? `${deletedClips} clips deleted` : `${keptClips} clips kept as Former member`,
    });
    return { deletedClips, keptClips };
  }

  /** A one-time reset link for an active member, valid 24 hours; an earlier one stops working. */
  async issuePasswordReset(caller: Caller, memberId: string): Promise<PasswordResetIssuedReply> {
    assertPeopleAdmin(caller);
    const member = await this.#d.teams.member(caller.team.id, memberId);
    const issued = await this.#d.people.issueReset(caller.team.id, memberId, caller.user.id);
    await this.#d.audit.record(caller.team.id, {
      kind: 'password-reset-issued',
      actor: actorOf(caller),
      subject: { id: member.id, name: member.name },
      detail: `expires ${new Date(issued.expiresAt).toISOString()}`,
    });
    return issued;
  }

  /** Anyone holding a link: whether it works (and for whom). */
  resetState(token: string): Promise<PasswordResetState> {
    return this.#d.people.resetState(token);
  }

  /**
   * Sets a new password with a reset link (the sign-up password policy applies), uses the link up
   * and ends every session of the account.
   */
  async completePasswordReset(token: string, password: string): Promise<{ email: string }> {
    const state = await this.#d.people.resetState(token);
    if (state.status === 'valid') assertStrongPassword(password, { name: state.name, email: state.email, teamName: state.teamName });
    // A link that is not valid is refused by the store, saying how (used, expired, invalid).
    const account = await this.#d.people.completeReset(token, await hashPassword(password, this.#d.passwordCost));
    this.#d.signedOut(account.userId, 'password-reset', PASSWORD_RESET_SIGNED_OUT_MESSAGE);
    await this.#d.audit.record(account.teamId, { kind: 'password-reset-used', actor: { id: account.userId, name: account.name } });
    return { email: account.email };
  }

  async renameTeam(caller: Caller, name: string): Promise<Team> {
    assertPeopleAdmin(caller);
    const before = await this.#d.teams.team(caller.team.id);
    await this.#d.people.renameTeam(caller.team.id, name);
    const team = await this.#d.teams.team(caller.team.id);
    if (before.name !== name) {
      this.#d.teamRenamed?.(team);
      await this.#d.audit.record(caller.team.id, { kind: 'team-renamed', actor: actorOf(caller), detail: `${before.name} → ${name}` });
    }
    return team;
  }
}
