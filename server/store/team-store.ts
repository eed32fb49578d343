import { sql, type Transaction } from 'kysely';
import { BullpenError, inviteGrant, Role, type Invite, type Member, type Team, type User } from '../../contract';
import { newId, newInviteCode } from '../ids';
import type { Db, Engine, Store } from './db';
import type { Database } from './schema';

interface UserRow {
  id: string;
  team_id: string;
  name: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: number;
  deactivated_at: number | null;
  deleted_at: number | null;
}

function toUser(row: UserRow): User {
  return { id: row.id, teamId: row.team_id, name: row.name, email: row.email, role: Role.parse(row.role) };
}

/**
 * The same words whichever team holds the email: a sign-up must not tell an invite holder
 * whether someone has an account elsewhere on this server.
 */
const emailTaken = () =>
  new BullpenError(
    'EMAIL_TAKEN',
    'This account could not be created with this email. If you already have a Bullpen account, sign in with it; otherwise use another email.',
  );

/** A unique-constraint violation on either engine (a concurrent insert won the race). */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Serialises check-then-write transactions on one key. SQLite runs one transaction at a time
 * already; PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function lockKey(trx: Transaction<Database>, engine: Engine, key: string): Promise<void> {
  if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/** Teams, people, roles, mentorships and invites. Every query is scoped to a team. */
export class TeamStore {
  readonly #db: Db;
  readonly #engine: Engine;

  constructor(store: Store) {
    this.#db = store.db;
    this.#engine = store.engine;
  }

  async hasAnyTeam(db: Db = this.#db): Promise<boolean> {
    return (await db.selectFrom('teams').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async team(teamId: string): Promise<Team> {
    const row = await this.#db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst();
    if (!row) throw new BullpenError('NOT_FOUND', 'Team not found');
    return row;
  }

  /**
   * Creates a team and its admin atomically. First-run set-up passes `onlyIfFirst` (the
   * default), which is refused once any team exists; hosting tools may add more teams.
   */
  async createTeamWithAdmin(
    input: { teamName: string; name: string; email: string; passwordHash: string },
    { onlyIfFirst = true } = {},
  ): Promise<User> {
    return this.#db.transaction().execute(async (trx) => {
      // Two set-ups at once: the second waits here, then sees the first team.
      await lockKey(trx, this.#engine, 'setup');
      if (onlyIfFirst && (await this.hasAnyTeam(trx))) {
        throw new BullpenError('SETUP_DONE', 'This server is already set up. Sign in instead.');
      }
      const now = Date.now();
      const teamId = newId();
      await trx.insertInto('teams').values({ id: teamId, name: input.teamName, created_at: now }).execute();
      return this.#insertUser(trx, { id: newId(), teamId, ...input, role: 'admin', now });
    });
  }

  async #insertUser(
    trx: Db,
    u: { id: string; teamId: string; name: string; email: string; passwordHash: string; role: Role; now: number },
  ): Promise<User> {
    if (await trx.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst()) throw emailTaken();
    try {
      await trx
        .insertInto('users')
        .values({ id: u.id, team_id: u.teamId, name: u.name, email: u.email, password_hash: u.passwordHash, role: u.role, created_at: u.now })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    return { id: u.id, teamId: u.teamId, name: u.name, email: u.email, role: u.role };
  }

  /**
   * An active member by id: a deactivated (or deleted) one is undefined, so every check that
   * reads the caller as the store holds them now (sessions, listens) refuses them at once.
   */
  async userById(userId: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .where('deactivated_at', 'is', null)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** The user and stored password hash for a sign-in attempt, and whether they are deactivated. */
  async credentialsByEmail(email: string): Promise<{ user: User; passwordHash: string; deactivated: boolean } | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email).where('deleted_at', 'is', null).executeTakeFirst();
    return row ? { user: toUser(row), passwordHash: row.password_hash, deactivated: row.deactivated_at !== null } : undefined;
  }

  async members(teamId: string, db: Db = this.#db): Promise<Member[]> {
    const [rows, links] = await Promise.all([
      // Deleted people are gone from the team; deactivated ones stay listed (admins reactivate them).
      db.selectFrom('users').selectAll().where('team_id', '=', teamId).where('deleted_at', 'is', null).orderBy(sql`lower(name)`).orderBy('id').execute(),
      db.selectFrom('mentorships').select(['mentor_id', 'mentee_id']).where('team_id', '=', teamId).execute(),
    ]);
    return rows.map((row) => ({
      ...toUser(row),
      createdAt: row.created_at,
      menteeIds: links.filter((l) => l.mentor_id === row.id).map((l) => l.mentee_id),
      mentorIds: links.filter((l) => l.mentee_id === row.id).map((l) => l.mentor_id),
      deactivatedAt: row.deactivated_at,
    }));
  }

  async member(teamId: string, userId: string, db: Db = this.#db): Promise<Member> {
    const member = (await this.members(teamId, db)).find((m) => m.id === userId);
    if (!member) throw new BullpenError('NOT_FOUND', 'No such person on your team');
    return member;
  }

  async setRole(teamId: string, userId: string, role: Role): Promise<Member> {
    await this.#db.transaction().execute(async (trx) => {
      // Two admins demoting each other at once must not leave the team without one.
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const target = await this.member(teamId, userId, trx);
      if (target.role === 'admin' && role !== 'admin') {
        const admins = await trx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('team_id', '=', teamId)
          .where('role', '=', 'admin')
          // A deactivated admin cannot act: only active ones keep the team run.
          .where('deactivated_at', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(admins.n) <= 1) throw new BullpenError('CONFLICT', 'A team needs at least one admin. Make someone else admin first.');
      }
      await trx.updateTable('users').set({ role }).where('id', '=', userId).where('team_id', '=', teamId).execute();
    });
    return this.member(teamId, userId);
  }

  /** Replaces the mentees of `mentorId`; every id must be a teammate other than the mentor. */
  async setMentees(teamId: string, mentorId: string, menteeIds: string[]): Promise<Member> {
    await this.#db.transaction().execute(async (trx) => {
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const members = await this.members(teamId, trx);
      const isMember = (id: string) => members.some((m) => m.id === id);
      if (!isMember(mentorId)) throw new BullpenError('NOT_FOUND', 'No such person on your team');
      const unique = [...new Set(menteeIds)];
      for (const id of unique) {
        if (id === mentorId) throw new BullpenError('BAD_REQUEST', 'A person cannot mentor themselves');
        if (!isMember(id)) throw new BullpenError('NOT_FOUND', 'No such person on your team');
      }
      await trx.deleteFrom('mentorships').where('team_id', '=', teamId).where('mentor_id', '=', mentorId).execute();
      const now = Date.now();
      if (unique.length > 0) {
        await trx
          .insertInto('mentorships')
          .values(unique.map((id) => ({ team_id: teamId, mentor_id: mentorId, mentee_id: id, created_at: now })))
          .execute();
      }
    });
    return this.member(teamId, mentorId);
  }

  async isMentorOf(mentorId: string, menteeId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('mentorships')
      .select('mentor_id')
      .where('mentor_id', '=', mentorId)
      .where('mentee_id', '=', menteeId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async createInvite(teamId: string, createdBy: string, role: Role, expiresInDays: number): Promise<Invite> {
    const id = newId();
    const now = Date.now();
    await this.#db
      .insertInto('invites')
      .values({
        id,
        team_id: teamId,
        code: newInviteCode(),
        role,
        created_by: createdBy,
        created_at: now,
        expires_at: now + expiresInDays * 86_400_000,
      })
      .execute();
    return (await this.invites(teamId)).find((i) => i.id === id)!;
  }

  /** Open and used invites of the team, newest first (revoked ones are gone). */
  async invites(teamId: string): Promise<Invite[]> {
    const rows = await this.#db
      .selectFrom('invites as i')
      .leftJoin('users as u', 'u.id', 'i.used_by')
      // A creator who was deactivated counts as gone: their invites are void.
      .leftJoin('users as c', (j) => j.onRef('c.id', '=', 'i.created_by').onRef('c.team_id', '=', 'i.team_id').on('c.deactivated_at', 'is', null))
      .select(['i.id', 'i.code', 'i.role', 'i.created_at', 'i.expires_at', 'i.used_at', 'u.name as used_by_name', 'c.role as creator_role'])
      .where('i.team_id', '=', teamId)
      .where('i.revoked_at', 'is', null)
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      code: row.code,
      role: Role.parse(row.role),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      usedByName: row.used_by_name,
      grants: inviteGrant(Role.parse(row.role), creatorRole(row.creator_role)),
    }));
  }

  async revokeInvite(teamId: string, inviteId: string): Promise<void> {
    const res = await this.#db
      .updateTable('invites')
      .set({ revoked_at: Date.now() })
      .where('id', '=', inviteId)
      .where('team_id', '=', teamId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new BullpenError('NOT_FOUND', 'No such invite');
  }

  /**
   * The team and role an open invite code grants now (capped by what its creator holds now, see
   * `inviteGrant`), or INVITE_INVALID.
   */
  async previewInvite(code: string, db: Db = this.#db): Promise<{ teamId: string; teamName: string; role: Role; inviteId: string }> {
    const row = await db
      .selectFrom('invites as i')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      // A creator who was deactivated counts as gone: their invites are void.
      .leftJoin('users as c', (j) => j.onRef('c.id', '=', 'i.created_by').onRef('c.team_id', '=', 'i.team_id').on('c.deactivated_at', 'is', null))
      .select(['i.id', 'i.team_id', 'i.role', 'i.expires_at', 'i.used_at', 'i.revoked_at', 't.name as team_name', 'c.role as creator_role'])
      .where('i.code', '=', code.trim().toUpperCase())
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) throw new BullpenError('INVITE_INVALID', 'This invite code is not valid. Ask your admin for a new one.');
    if (row.used_at !== null) throw usedInvite();
    if (row.expires_at < Date.now()) throw new BullpenError('INVITE_INVALID', 'This invite has expired. Ask your admin for a new one.');
    const role = inviteGrant(Role.parse(row.role), creatorRole(row.creator_role));
    if (!role) {
      throw new BullpenError('INVITE_INVALID', 'This invite no longer works: the person who made it can no longer invite. Ask your admin for a new one.');
    }
    return { teamId: row.team_id, teamName: row.team_name, role, inviteId: row.id };
  }

  /** Signs a person up with an invite; the invite is used up in the same transaction. */
  async redeemInvite(input: { code: string; name: string; email: string; passwordHash: string }): Promise<User> {
    return this.#db.transaction().execute(async (trx) => {
      // The creator's role is read under the team's lock, so a demotion racing this sign-up
      // either lands first (and caps the grant) or waits for it.
      const { teamId } = await this.previewInvite(input.code, trx);
      await lockKey(trx, this.#engine, `team:${teamId}`);
      const invite = await this.previewInvite(input.code, trx);
      const userId = newId();
      const now = Date.now();
      const user = await this.#insertUser(trx, { id: userId, teamId: invite.teamId, ...input, role: invite.role, now });
      // Only one of two people redeeming the same code at once gets it.
      const res = await trx
        .updateTable('invites')
        .set({ used_at: now, used_by: userId })
        .where('id', '=', invite.inviteId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw usedInvite();
      return user;
    });
  }
}

/** A creator's role as stored, or undefined when the creator is no longer on the team. */
function creatorRole(role: string | null): Role | undefined {
  return role === null ? undefined : Role.parse(role);
}

const usedInvite = () => new BullpenError('INVITE_INVALID', 'This invite has already been used. Ask your admin for a new one.');
