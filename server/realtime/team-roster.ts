/**
 * What boards need to know about a team's people, kept in memory: each member's role and who
 * mentors them. Boards are rebuilt from this (and the live calls), never from SQL per viewer;
 * it is loaded when a member's socket connects and reloaded when roles or mentorships change.
 */
import type { Member, Role } from '../../contract';

/** Where rosters come from (the team store). */
export interface RosterSource {
  members(teamId: string): Promise<Member[]>;
}

export interface RosterEntry {
  role: Role;
  /** Ids of the people who mentor this member. */
  mentorIds: ReadonlySet<string>;
}

export type Roster = ReadonlyMap<string, RosterEntry>;

export class TeamRosters {
  readonly #source: RosterSource;
  readonly #rosters = new Map<string, Roster>();
  /** Per team: the newest load requested and the newest applied, so a slow old load never wins. */
  readonly #generations = new Map<string, { requested: number; applied: number }>();
  readonly #inFlight = new Map<string, Promise<Roster>>();

  constructor(source: RosterSource) {
    this.#source = source;
  }

  /** The team's roster if loaded. */
  get(teamId: string): Roster | undefined {
    return this.#rosters.get(teamId);
  }

  /** (Re)loads a team's roster from the store; resolves with the newest one. */
  async load(teamId: string): Promise<Roster> {
    const gen = this.#generations.get(teamId) ?? { requested: 0, applied: 0 };
    this.#generations.set(teamId, gen);
    const mine = ++gen.requested;
    const members = await this.#source.members(teamId);
    if (mine > gen.applied) {
      gen.applied = mine;
      this.#rosters.set(
        teamId,
        // A deactivated member is off the team for boards and listens (their audio stops).
        new Map(members.filter((m) => m.deactivatedAt === null).map((m) => [m.id, { role: m.role, mentorIds: new Set(m.mentorIds) }])),
      );
    }
    return this.#rosters.get(teamId)!;
  }

  /**
   * A roster holding `userId` (a member who joined since the last load triggers one reload;
   * concurrent callers share it).
   */
  async ensure(teamId: string, userId: string): Promise<Roster> {
    const current = this.#rosters.get(teamId);
    if (current?.has(userId)) return current;
    let pending = this.#inFlight.get(teamId);
    if (!pending) {
      pending = this.load(teamId).finally(() => this.#inFlight.delete(teamId));
      this.#inFlight.set(teamId, pending);
    }
    return pending;
  }

  /** Drops a team nobody is connected to any more. */
  forget(teamId: string): void {
    this.#rosters.delete(teamId);
    this.#generations.delete(teamId);
  }
}
