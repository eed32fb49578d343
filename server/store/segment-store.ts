import type { Db, Store } from './db';

/** One uploaded segment of a recording (see migration 014). */
export interface SegmentRecord {
  callId: string;
  seq: number;
  key: string;
  writer: string;
  /** Byte offset of the segment in the whole recording. */
  startOffset: number;
  bytes: number;
  /** Ogg stream serial, last page sequence number and granule position at the segment's end. */
  serial: number;
  lastPageSeq: number;
  granule: number;
  /** Wall-clock ms at which the segment's audio ends. */
  wallEnd: number;
  /** The recording index lines of the segment's pages (offsets in the whole recording). */
  indexLines: string;
  /** The segment ends the stream. */
  final: boolean;
}

/**
 * Segments of recordings kept in object storage and who writes each live recording. A segment is
 * recorded only after its object is stored, and only by the recording's current writer.
 */
export class SegmentStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** The current writer of a recording (undefined: no row; null: none set). */
  async writer(callId: string): Promise<string | null | undefined> {
    const row = await this.#db.selectFrom('recordings').select('writer').where('call_id', '=', callId).executeTakeFirst();
    return row ? row.writer : undefined;
  }

  /**
   * Makes `writer` the recording's writer if it is still `expected` and the recording is live;
   * returns whether it did (another node may have taken it over first).
   */
  async takeOver(callId: string, expected: string | null, writer: string): Promise<boolean> {
    let q = this.#db.updateTable('recordings').set({ writer }).where('call_id', '=', callId).where('state', '=', 'recording');
    q = expected === null ? q.where('writer', 'is', null) : q.where('writer', '=', expected);
    return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
  }

  /**
   * Records an uploaded segment if `segment.writer` still writes the recording. Returns false
   * when another writer took it over (the caller stops uploading).
   */
  async add(segment: SegmentRecord, at: number): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('recordings').select('writer').where('call_id', '=', segment.callId).executeTakeFirst();
      if (row?.writer !== segment.writer) return false;
      await trx
        .insertInto('recording_segments')
        .values({
          call_id: segment.callId,
          seq: segment.seq,
          object_key: segment.key,
          writer: segment.writer,
          start_offset: segment.startOffset,
          bytes: segment.bytes,
          serial: segment.serial,
          last_page_seq: segment.lastPageSeq,
          granule: segment.granule,
          wall_end: segment.wallEnd,
          index_lines: segment.indexLines,
          final: segment.final ? 1 : 0,
          uploaded_at: at,
        })
        .execute();
      return true;
    });
  }

  /** A recording's segments in order. */
  async list(callId: string): Promise<SegmentRecord[]> {
    const rows = await this.#db.selectFrom('recording_segments').selectAll().where('call_id', '=', callId).orderBy('seq').execute();
    return rows.map((r) => ({
      callId: r.call_id,
      seq: Number(r.seq),
      key: r.object_key,
      writer: r.writer,
      startOffset: Number(r.start_offset),
      bytes: Number(r.bytes),
      serial: Number(r.serial),
      lastPageSeq: Number(r.last_page_seq),
      granule: Number(r.granule),
      wallEnd: Number(r.wall_end),
      indexLines: r.index_lines,
      final: r.final === 1,
    }));
  }

  /** Forgets a recording's segments once their objects are deleted. */
  async remove(callId: string): Promise<void> {
    await this.#db.deleteFrom('recording_segments').where('call_id', '=', callId).execute();
  }
}
