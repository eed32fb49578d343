import { BullpenError, Role, type Invite, type Member, type Team, type User } from '../../contract';
import { newId, newInviteCode } from '../ids';
import type { Db } from './db';

interface UserRow {
  id: string;
  team_id: string;
  name: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: number;
}

interface InviteRow {
  id: string;
  code: string;
  role: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by_name: string | null;
}

function toUser(row: UserRow): User {
  return { id: row.id, teamId: row.team_id, name: row.name, email: row.email, role: Role.parse(row.role) };
}

function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    code: row.code,
    role: Role.parse(row.role),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    usedByName: row.used_by_name,
  };
}

/** Teams, people, roles, mentorships and invites. Every query is scoped to a team. */
export class TeamStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  hasAnyTeam(): boolean {
    return this.#db.prepare('SELECT 1 FROM teams LIMIT 1').get() !== undefined;
  }

  team(teamId: string): Team {
    const row = this.#db.prepare('SELECT id, name FROM teams WHERE id = ?').get(teamId) as Team | undefined;
    if (!row) throw new BullpenError('NOT_FOUND', 'Team not found');
    return row;
  }

  /**
   * Creates a team and its admin atomically. First-run set-up passes `onlyIfFirst` (the
   * default), which is refused once any team exists; hosting tools may add more teams.
   */
  createTeamWithAdmin(
    input: { teamName: string; name: string; email: string; passwordHash: string },
    { onlyIfFirst = true } = {},
  ): User {
    return this.#db.transaction(() => {
      if (onlyIfFirst && this.hasAnyTeam()) throw new BullpenError('SETUP_DONE', 'This server is already set up. Sign in instead.');
      const now = Date.now();
      const teamId = newId();
      this.#db.prepare('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)').run(teamId, input.teamName, now);
      return this.#insertUser(teamId, input.name, input.email, input.passwordHash, 'admin', now);
    })();
  }

  #insertUser(teamId: string, name: string, email: string, passwordHash: string, role: Role, now: number): User {
    if (this.#db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) {
      throw new BullpenError('EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.');
    }
    const id = newId();
    this.#db
      .prepare(
        'INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, teamId, name, email, passwordHash, role, now);
    return { id, teamId, name, email, role };
  }

  userById(userId: string): User | undefined {
    const row = this.#db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  /** The user and stored password hash for a sign-in attempt. */
  credentialsByEmail(email: string): { user: User; passwordHash: string } | undefined {
    const row = this.#db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
  }

  members(teamId: string): Member[] {
    const rows = this.#db
      .prepare('SELECT * FROM users WHERE team_id = ? ORDER BY name COLLATE NOCASE')
      .all(teamId) as UserRow[];
    const links = this.#db
      .prepare('SELECT mentor_id, mentee_id FROM mentorships WHERE team_id = ?')
      .all(teamId) as { mentor_id: string; mentee_id: string }[];
    return rows.map((row) => ({
      ...toUser(row),
      createdAt: row.created_at,
      menteeIds: links.filter((l) => l.mentor_id === row.id).map((l) => l.mentee_id),
      mentorIds: links.filter((l) => l.mentee_id === row.id).map((l) => l.mentor_id),
    }));
  }

  member(teamId: string, userId: string): Member {
    const member = this.members(teamId).find((m) => m.id === userId);
    if (!member) throw new BullpenError('NOT_FOUND', 'No such person on your team');
    return member;
  }

  setRole(teamId: string, userId: string, role: Role): Member {
    this.#db.transaction(() => {
      const target = this.member(teamId, userId);
      if (target.role === 'admin' && role !== 'admin') {
        const admins = this.#db
          .prepare("SELECT COUNT(*) AS n FROM users WHERE team_id = ? AND role = 'admin'")
          .get(teamId) as { n: number };
        if (admins.n <= 1) throw new BullpenError('CONFLICT', 'A team needs at least one admin. Make someone else admin first.');
      }
      this.#db.prepare('UPDATE users SET role = ? WHERE id = ? AND team_id = ?').run(role, userId, teamId);
    })();
    return this.member(teamId, userId);
  }

  /** Replaces the mentees of `mentorId`; every id must be a teammate other than the mentor. */
  setMentees(teamId: string, mentorId: string, menteeIds: string[]): Member {
    this.#db.transaction(() => {
      this.member(teamId, mentorId);
      const unique = [...new Set(menteeIds)];
      for (const id of unique) {
        if (id === mentorId) throw new BullpenError('BAD_REQUEST', 'A person cannot mentor themselves');
        this.member(teamId, id);
      }
      this.#db.prepare('DELETE FROM mentorships WHERE team_id = ? AND mentor_id = ?').run(teamId, mentorId);
      const insert = this.#db.prepare(
        'INSERT INTO mentorships (team_id, mentor_id, mentee_id, created_at) VALUES (?, ?, ?, ?)',
      );
      const now = Date.now();
      for (const id of unique) insert.run(teamId, mentorId, id, now);
    })();
    return this.member(teamId, mentorId);
  }

  isMentorOf(mentorId: string, menteeId: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM mentorships WHERE mentor_id = ? AND mentee_id = ?').get(mentorId, menteeId) !==
      undefined
    );
  }

  createInvite(teamId: string, createdBy: string, role: Role, expiresInDays: number): Invite {
    const id = newId();
    const now = Date.now();
    this.#db
      .prepare(
        'INSERT INTO invites (id, team_id, code, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, teamId, newInviteCode(), role, createdBy, now, now + expiresInDays * 86_400_000);
    return this.invites(teamId).find((i) => i.id === id)!;
  }

  /** Open and used invites of the team, newest first (revoked ones are gone). */
  invites(teamId: string): Invite[] {
    const rows = this.#db
      .prepare(
        `SELECT i.id, i.code, i.role, i.created_at, i.expires_at, i.used_at, u.name AS used_by_name
         FROM invites i LEFT JOIN users u ON u.id = i.used_by
         WHERE i.team_id = ? AND i.revoked_at IS NULL ORDER BY i.created_at DESC`,
      )
      .all(teamId) as InviteRow[];
    return rows.map(toInvite);
  }

  revokeInvite(teamId: string, inviteId: string): void {
    const res = this.#db
      .prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND team_id = ? AND revoked_at IS NULL')
      .run(Date.now(), inviteId, teamId);
    if (res.changes === 0) throw new BullpenError('NOT_FOUND', 'No such invite');
  }

  /** The team and role an open invite code grants, or INVITE_INVALID. */
  previewInvite(code: string): { teamId: string; teamName: string; role: Role; inviteId: string } {
    const row = this.#db
      .prepare(
        `SELECT i.id, i.team_id, i.role, i.expires_at, i.used_at, i.revoked_at, t.name AS team_name
         FROM invites i JOIN teams t ON t.id = i.team_id WHERE i.code = ?`,
      )
      .get(code.trim().toUpperCase()) as
      | { id: string; team_id: string; role: string; expires_at: number; used_at: number | null; revoked_at: number | null; team_name: string }
      | undefined;
    if (!row || row.revoked_at !== null) throw new BullpenError('INVITE_INVALID', 'This invite code is not valid. Ask your admin for a new one.');
    if (row.used_at !== null) throw new BullpenError('INVITE_INVALID', 'This invite has already been used. Ask your admin for a new one.');
    if (row.expires_at < Date.now()) throw new BullpenError('INVITE_INVALID', 'This invite has expired. Ask your admin for a new one.');
    return { teamId: row.team_id, teamName: row.team_name, role: Role.parse(row.role), inviteId: row.id };
  }

  /** Signs a person up with an invite; the invite is used up in the same transaction. */
  redeemInvite(input: { code: string; name: string; email: string; passwordHash: string }): User {
    return this.#db.transaction(() => {
      const invite = this.previewInvite(input.code);
      const user = this.#insertUser(invite.teamId, input.name, input.email, input.passwordHash, invite.role, Date.now());
      this.#db.prepare('UPDATE invites SET used_at = ?, used_by = ? WHERE id = ?').run(Date.now(), user.id, invite.inviteId);
      return user;
    })();
  }
}
