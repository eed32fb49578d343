import type { Db, Store } from './db';

/** A team's audio on disk, from the sizes the store keeps as files are written and deleted. */
export interface TeamDiskUsage {
  recordingsBytes: number;
  recordings: number;
  clipsBytes: number;
  clips: number;
}

/**
 * Disk usage per team. Sizes come from the rows (a recording's bytes are saved every few
 * seconds while it records and when it ends; a clip's when it is cut), never by walking the
 * data directory per request. Recordings count while their audio exists (recording or kept),
 * clips once they are ready.
 */
export class UsageStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  async teamDiskUsage(teamId: string): Promise<TeamDiskUsage> {
    const recordings = await this.#db
      .selectFrom('recordings')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('n')])
      .where('team_id', '=', teamId)
      .where('state', 'in', ['recording', 'kept'])
      .executeTakeFirstOrThrow();
    const clips = await this.#db
      .selectFrom('clips')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('n')])
      .where('team_id', '=', teamId)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    // PostgreSQL sums and counts BIGINTs as NUMERIC/BIGINT, which arrive as strings.
    return {
      recordingsBytes: Number(recordings.bytes),
      recordings: Number(recordings.n),
      clipsBytes: Number(clips.bytes),
      clips: Number(clips.n),
    };
  }
}
