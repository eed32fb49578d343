import type { Db, Store } from './db';

/**
 * Who follows whom. An explicit choice is a row (`following` 1 or 0); without one, a mentee
 * follows their mentors. So "a junior follows their mentors by default" needs no write when a
 * mentorship is assigned, and an unfollow (a 0 row) sticks through later assignments.
 */
export class FollowStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** The teammates `userId` follows now. */
  async followingIds(teamId: string, userId: string): Promise<string[]> {
    const explicit = await this.#db
      .selectFrom('follows')
      .select(['followee_id', 'following'])
      .where('team_id', '=', teamId)
      .where('follower_id', '=', userId)
      .execute();
    const mentors = await this.#db
      .selectFrom('mentorships')
      .select('mentor_id')
      .where('team_id', '=', teamId)
      .where('mentee_id', '=', userId)
      .execute();
    const chosen = new Map(explicit.map((r) => [r.followee_id, r.following === 1]));
    const ids = new Set(explicit.filter((r) => r.following === 1).map((r) => r.followee_id));
    for (const m of mentors) if (!chosen.has(m.mentor_id)) ids.add(m.mentor_id);
    return [...ids].sort();
  }

  /** The teammates who follow `userId` now. */
  async followerIds(teamId: string, userId: string): Promise<string[]> {
    const explicit = await this.#db
      .selectFrom('follows')
      .select(['follower_id', 'following'])
      .where('team_id', '=', teamId)
      .where('followee_id', '=', userId)
      .execute();
    const mentees = await this.#db
      .selectFrom('mentorships')
      .select('mentee_id')
      .where('team_id', '=', teamId)
      .where('mentor_id', '=', userId)
      .execute();
    const chosen = new Map(explicit.map((r) => [r.follower_id, r.following === 1]));
    const ids = new Set(explicit.filter((r) => r.following === 1).map((r) => r.follower_id));
    for (const m of mentees) if (!chosen.has(m.mentee_id)) ids.add(m.mentee_id);
    return [...ids].sort();
  }

  /** Records an explicit follow (true) or unfollow (false); the latest choice wins. */
  async set(teamId: string, followerId: string, followeeId: string, following: boolean, at: number): Promise<void> {
    const value = following ? 1 : 0;
    await this.#db
      .insertInto('follows')
      .values({ team_id: teamId, follower_id: followerId, followee_id: followeeId, following: value, updated_at: at })
      .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doUpdateSet({ following: value, updated_at: at }))
      .execute();
  }
}
