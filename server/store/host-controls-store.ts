import type { Db, Store } from './db';

/** The team setting behind host controls: whether managers may always join calls. */
export class HostControlsStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** "Managers can always join calls" (on unless an admin turned it off). */
  async managersAlwaysJoin(teamId: string): Promise<boolean> {
    const row = await this.#db.selectFrom('teams').select('managers_always_join as on').where('id', '=', teamId).executeTakeFirst();
    return (row?.on ?? 1) === 1;
  }

  async setManagersAlwaysJoin(teamId: string, on: boolean): Promise<void> {
    await this.#db.updateTable('teams').set({ managers_always_join: on ? 1 : 0 }).where('id', '=', teamId).execute();
  }
}
