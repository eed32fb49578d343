import { BullpenError, FORMER_MEMBER_NAME, type Member, type PasswordResetState } from '../../contract';
import { newId, newToken, sha256 } from '../ids';
import type { Db, Engine, Store } from './db';
import { lockKey, type TeamStore } from './team-store';

const HOUR_MS = 3_600_000;

/** What a reset link resolves to when it is redeemed (the account whose password changes). */
export interface UsableReset {
  resetId: string;
  userId: string;
  teamId: string;
  name: string;
  email: string;
}

/**
 * People's lifecycle in SQL: deactivating, reactivating and deleting members, reset links and the
 * team's name. Check-then-write steps run in one transaction under the team's lock (as roles do
 * in TeamStore), so two admins deactivating each other cannot leave a team without an admin.
 */
export class PeopleStore {
  readonly #db: Db;
  readonly #engine: Engine;
  readonly #teams: TeamStore;
  readonly #now: () => number;

  constructor(store: Store, teams: TeamStore, now: () => number = Date.now) {
    this.#db = store.db;
    this.#engine = store.engine;
    this.#teams = teams;
    this.#now = now;
  }

  /**
   * Deactivates an active member: their sessions are revoked, their open invites and reset links
   * void, in one transaction. CONFLICT when they are the team's last active admin.
   */
  async deactivate(teamId: string, userId: string): Promise<{ member: Member; invitesVoided: number }> {
    const invitesVoided = await this.#db.transaction().execute(async (trx) => {
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const target = await this.#teams.member(teamId, userId, trx);
      if (target.deactivatedAt !== null) throw new BullpenError('CONFLICT', `${target.name} is already deactivated.`);
      if (target.role === 'admin' && (await this.#activeAdmins(trx, teamId)) <= 1) {
        throw new BullpenError('CONFLICT', 'A team needs at least one active admin. Make someone else admin first.');
      }
      const now = this.#now();
      await trx.updateTable('users').set({ deactivated_at: now }).where('id', '=', userId).where('team_id', '=', teamId).execute();
      await trx.updateTable('sessions').set({ revoked_at: now, revoked_reason: 'deactivated' }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      await trx.updateTable('password_resets').set({ voided_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).where('voided_at', 'is', null).execute();
      // Void for good: reactivating them does not bring old invites back.
      const res = await trx
        .updateTable('invites')
        .set({ revoked_at: now })
        .where('team_id', '=', teamId)
        .where('created_by', '=', userId)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    });
    return { member: await this.#teams.member(teamId, userId), invitesVoided };
  }

  /** A deactivated member may sign in again; the sessions they had stay revoked. */
  async reactivate(teamId: string, userId: string): Promise<Member> {
    await this.#db.transaction().execute(async (trx) => {
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const target = await this.#teams.member(teamId, userId, trx);
      if (target.deactivatedAt === null) throw new BullpenError('CONFLICT', `${target.name} is already active.`);
      await trx.updateTable('users').set({ deactivated_at: null }).where('id', '=', userId).where('team_id', '=', teamId).execute();
    });
    return this.#teams.member(teamId, userId);
  }

  /** Ids of the clips a member made (their library entries), oldest first. */
  async clipIdsBy(teamId: string, userId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('clips').select('id').where('team_id', '=', teamId).where('clipper_id', '=', userId).orderBy('created_at').execute();
    return rows.map((r) => r.id);
  }

  /**
   * Deletes a deactivated member: the row stays (calls, clips, comments, questions and talk tracks
   * cite it) but its name becomes "Former member", its email and password are gone, and what
   * only mattered to them (mentorships, follows, notifications, reset links) is removed.
   */
  async erase(teamId: string, userId: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const target = await this.#teams.member(teamId, userId, trx);
      if (target.deactivatedAt === null) throw new BullpenError('CONFLICT', 'Deactivate this member before deleting them.');
      const now = this.#now();
      await trx
        .updateTable('users')
        // An address that can never sign in or be signed up with; frees the real one for re-use.
        .set({ name: FORMER_MEMBER_NAME, email: `deleted-${userId}@deleted.invalid`, password_hash: '!', deleted_at: now })
        .where('id', '=', userId)
        .where('team_id', '=', teamId)
        .execute();
      await trx.deleteFrom('mentorships').where('team_id', '=', teamId).where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)])).execute();
      await trx.deleteFrom('follows').where((eb) => eb.or([eb('follower_id', '=', userId), eb('followee_id', '=', userId)])).execute();
      await trx.deleteFrom('notification_settings').where('user_id', '=', userId).execute();
      await trx.deleteFrom('notifications').where('user_id', '=', userId).execute();
      await trx.updateTable('notifications').set({ actor_id: null }).where('actor_id', '=', userId).execute();
      await trx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
    });
  }

  /** A new reset link for an active member; earlier unused links of theirs stop working. */
  async issueReset(teamId: string, userId: string, createdBy: string): Promise<{ token: string; expiresAt: number }> {
    const token = newToken();
    const now = this.#now();
    const expiresAt = now + 24 * HOUR_MS;
    await this.#db.transaction().execute(async (trx) => {
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const target = await this.#teams.member(teamId, userId, trx);
      if (target.deactivatedAt !== null) throw new BullpenError('CONFLICT', 'Reactivate this member before resetting their password.');
      await trx.updateTable('password_resets').set({ voided_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).where('voided_at', 'is', null).execute();
      await trx
        .insertInto('password_resets')
        .values({ id: newId(), team_id: teamId, user_id: userId, token_hash: sha256(token), created_by: createdBy, created_at: now, expires_at: expiresAt })
        .execute();
    });
    return { token, expiresAt };
  }

  /** What a reset link is now (never says more than whose account a usable link resets). */
  async resetState(token: string): Promise<PasswordResetState> {
    const found = await this.#find(this.#db, token);
    if (found.status !== 'valid') return { status: found.status };
    return { status: 'valid', name: found.reset.name, email: found.reset.email, teamName: found.teamName, expiresAt: found.expiresAt };
  }

  /**
   * Uses a reset link: sets the password hash, marks the link used and revokes every session of
   * the account, in one transaction (a second use of the same link loses). Returns the account.
   */
  async completeReset(token: string, passwordHash: string): Promise<UsableReset> {
    return this.#db.transaction().execute(async (trx) => {
      const first = await this.#find(trx, token);
      if (first.status !== 'valid') throw resetRefused(first.status);
      await lockKey(trx, this.#engine, `team:${first.reset.teamId}`);
      const found = await this.#find(trx, token);
      if (found.status !== 'valid') throw resetRefused(found.status);
      const now = this.#now();
      const used = await trx.updateTable('password_resets').set({ used_at: now }).where('id', '=', found.reset.resetId).where('used_at', 'is', null).executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) throw resetRefused('used');
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', found.reset.userId).execute();
      await trx.updateTable('sessions').set({ revoked_at: now, revoked_reason: 'password-reset' }).where('user_id', '=', found.reset.userId).where('revoked_at', 'is', null).execute();
      return found.reset;
    });
  }

  async renameTeam(teamId: string, name: string): Promise<void> {
    await this.#db.updateTable('teams').set({ name }).where('id', '=', teamId).execute();
  }

  async #activeAdmins(db: Db, teamId: string): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId)
      .where('role', '=', 'admin')
      .where('deactivated_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async #find(
    db: Db,
    token: string,
  ): Promise<{ status: 'valid'; reset: UsableReset; teamName: string; expiresAt: number } | { status: 'used' | 'expired' | 'invalid' }> {
    const row = await db
      .selectFrom('password_resets as r')
      .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'r.user_id').onRef('u.team_id', '=', 'r.team_id'))
      .innerJoin('teams as t', 't.id', 'r.team_id')
      .select(['r.id', 'r.user_id', 'r.team_id', 'r.expires_at', 'r.used_at', 'r.voided_at', 'u.name', 'u.email', 'u.deactivated_at', 't.name as team_name'])
      .where('r.token_hash', '=', sha256(token.trim()))
      .executeTakeFirst();
    if (!row || row.voided_at !== null || row.deactivated_at !== null) return { status: 'invalid' };
    if (row.used_at !== null) return { status: 'used' };
    if (row.expires_at <= this.#now()) return { status: 'expired' };
    return {
      status: 'valid',
      reset: { resetId: row.id, userId: row.user_id, teamId: row.team_id, name: row.name, email: row.email },
      teamName: row.team_name,
      expiresAt: row.expires_at,
    };
  }
}

/** The error a reset link that cannot be used gets, saying which way it cannot. */
function resetRefused(status: 'used' | 'expired' | 'invalid'): BullpenError {
  const message = {
    used: 'This reset link was already used. Ask your admin for a new one if you still cannot sign in.',
    expired: 'This reset link has expired. Ask your admin for a new one.',
    invalid: 'This reset link is not valid. Ask your admin for a new one.',
  }[status];
  return new BullpenError('NOT_FOUND', message);
}
