import { QuestionStatus } from '../../contract';
import type { Db, Store } from './db';

/** A question row joined with its call, host, asker and the call's recording. */
export interface QuestionRecord {
  id: string;
  teamId: string;
  callId: string;
  callTitle: string;
  callEndedAt: number | null;
  questionsMode: string;
  hostId: string;
  hostName: string;
  askerId: string;
  askerName: string;
  text: string;
  atMs: number;
  anonymous: boolean;
  shareWithManagers: boolean;
  status: QuestionStatus;
  answer: string | null;
  answeredAt: number | null;
  createdAt: number;
  /** Whether the call's full recording is kept (playable). */
  recorded: boolean;
  /** How long after the call started its recording began. */
  recordingOffsetMs: number;
}

/** An ended (or live) call as the debrief shows it. */
export interface DebriefCallRecord {
  id: string;
  teamId: string;
  title: string;
  account: string | null;
  hostId: string;
  hostName: string;
  startedAt: number;
  endedAt: number | null;
  questionsMode: string;
  /** Whether its full recording is kept, and how long after the call it began. */
  recorded: boolean;
  recordingOffsetMs: number;
}

/** Silent questions and what the debrief reads about a call. Every query is scoped to a team. */
export class QuestionStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  #select() {
    return this.#db
      .selectFrom('questions as q')
      .innerJoin('calls as k', 'k.id', 'q.call_id')
      .innerJoin('users as h', 'h.id', 'k.host_id')
      .innerJoin('users as a', 'a.id', 'q.asker_id')
      .leftJoin('recordings as r', 'r.call_id', 'q.call_id')
      .select([
        'q.id',
        'q.team_id',
        'q.call_id',
        'k.title as call_title',
        'k.ended_at as call_ended_at',
        'k.started_at as call_started_at',
        'k.questions_mode',
        'k.host_id',
        'h.name as host_name',
        'q.asker_id',
        'a.name as asker_name',
        'q.body',
        'q.at_ms',
        'q.anonymous',
        'q.share_with_managers',
        'q.status',
        'q.answer',
        'q.answered_at',
        'q.created_at',
        'r.state as recording_state',
        'r.started_at as recording_started_at',
      ]);
  }

  async insert(q: {
    id: string;
    teamId: string;
    callId: string;
    askerId: string;
    text: string;
    atMs: number;
    anonymous: boolean;
    shareWithManagers: boolean;
    at: number;
  }): Promise<void> {
    await this.#db
      .insertInto('questions')
      .values({
        id: q.id,
        team_id: q.teamId,
        call_id: q.callId,
        asker_id: q.askerId,
        body: q.text,
        at_ms: q.atMs,
        anonymous: q.anonymous ? 1 : 0,
        share_with_managers: q.shareWithManagers ? 1 : 0,
        created_at: q.at,
      })
      .execute();
  }

  async byId(teamId: string, id: string): Promise<QuestionRecord | undefined> {
    const row = await this.#select().where('q.team_id', '=', teamId).where('q.id', '=', id).executeTakeFirst();
    return row && toQuestion(row);
  }

  /** A call's questions in call order (by moment, then arrival). */
  async forCall(teamId: string, callId: string): Promise<QuestionRecord[]> {
    const rows = await this.#select()
      .where('q.team_id', '=', teamId)
      .where('q.call_id', '=', callId)
      .orderBy('q.at_ms')
      .orderBy('q.created_at')
      .orderBy('q.id')
      .execute();
    return rows.map(toQuestion);
  }

  /**
   * Open questions waiting for a host: those of its ended calls, and of a live call only when
   * its questions are live (otherwise they wait until the call ends). Oldest call first.
   */
  async openForHost(teamId: string, hostId: string): Promise<QuestionRecord[]> {
    const rows = await this.#select()
      .where('q.team_id', '=', teamId)
      .where('k.host_id', '=', hostId)
      .where('q.status', '=', 'open')
      .where((eb) => eb.or([eb('k.ended_at', 'is not', null), eb('k.questions_mode', '=', 'live')]))
      .orderBy('k.started_at')
      .orderBy('q.at_ms')
      .orderBy('q.id')
      .execute();
    return rows.map(toQuestion);
  }

  /** The questions one person asked, newest first. */
  async byAsker(teamId: string, askerId: string, limit = 200): Promise<QuestionRecord[]> {
    const rows = await this.#select()
      .where('q.team_id', '=', teamId)
      .where('q.asker_id', '=', askerId)
      .orderBy('q.created_at', 'desc')
      .orderBy('q.id')
      .limit(limit)
      .execute();
    return rows.map(toQuestion);
  }

  /** How many questions a call has. */
  async countForCall(callId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('questions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Stores the answer unless the question was dismissed; returns whether it did. */
  async answer(teamId: string, id: string, answer: string, at: number): Promise<boolean> {
    const res = await this.#db
      .updateTable('questions')
      .set({ status: 'answered', answer, answered_at: at })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .where('status', '!=', 'dismissed')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Dismisses an open question; returns whether it did. */
  async dismiss(teamId: string, id: string): Promise<boolean> {
    const res = await this.#db
      .updateTable('questions')
      .set({ status: 'dismissed' })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** A call of the team (live or ended) with its host, for the debrief. */
  async call(teamId: string, callId: string): Promise<DebriefCallRecord | undefined> {
    const row = await this.#db
      .selectFrom('calls as k')
      .innerJoin('users as h', 'h.id', 'k.host_id')
      .leftJoin('recordings as r', 'r.call_id', 'k.id')
      .select([
        'k.id',
        'k.team_id',
        'k.title',
        'k.account',
        'k.host_id',
        'h.name as host_name',
        'k.started_at',
        'k.ended_at',
        'k.questions_mode',
        'r.state as recording_state',
        'r.started_at as recording_started_at',
      ])
      .where('k.team_id', '=', teamId)
      .where('k.id', '=', callId)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        teamId: row.team_id,
        title: row.title,
        account: row.account,
        hostId: row.host_id,
        hostName: row.host_name,
        startedAt: Number(row.started_at),
        endedAt: row.ended_at === null ? null : Number(row.ended_at),
        questionsMode: row.questions_mode,
        recorded: row.recording_state === 'kept',
        recordingOffsetMs: row.recording_started_at === null ? 0 : Math.max(0, Number(row.recording_started_at) - Number(row.started_at)),
      }
    );
  }

  /** Who listened to a call and for how long in total (open listens count up to `now`). */
  async listenersOf(callId: string, now: number): Promise<{ userId: string; name: string; listenedMs: number; joins: number }[]> {
    const rows = await this.#db
      .selectFrom('listens as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.user_id', 'u.name', 'l.joined_at', 'l.left_at'])
      .where('l.call_id', '=', callId)
      .orderBy('l.joined_at')
      .execute();
    const byUser = new Map<string, { userId: string; name: string; listenedMs: number; joins: number }>();
    for (const row of rows) {
      const entry = byUser.get(row.user_id) ?? { userId: row.user_id, name: row.name, listenedMs: 0, joins: 0 };
      entry.listenedMs += Math.max(0, Number(row.left_at ?? now) - Number(row.joined_at));
      entry.joins += 1;
      byUser.set(row.user_id, entry);
    }
    return [...byUser.values()];
  }
}

function toQuestion(row: {
  id: string;
  team_id: string;
  call_id: string;
  call_title: string;
  call_ended_at: number | null;
  call_started_at: number;
  questions_mode: string;
  host_id: string;
  host_name: string;
  asker_id: string;
  asker_name: string;
  body: string;
  at_ms: number;
  anonymous: number;
  share_with_managers: number;
  status: string;
  answer: string | null;
  answered_at: number | null;
  created_at: number;
  recording_state: string | null;
  recording_started_at: number | null;
}): QuestionRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    callId: row.call_id,
    callTitle: row.call_title,
    callEndedAt: row.call_ended_at === null ? null : Number(row.call_ended_at),
    questionsMode: row.questions_mode,
    hostId: row.host_id,
    hostName: row.host_name,
    askerId: row.asker_id,
    askerName: row.asker_name,
    text: row.body,
    atMs: Number(row.at_ms),
    anonymous: Number(row.anonymous) === 1,
    shareWithManagers: Number(row.share_with_managers) === 1,
    // A damaged status reads as open: it stays in the host's queue rather than vanish.
    status: QuestionStatus.catch('open').parse(row.status),
    answer: row.answer,
    answeredAt: row.answered_at === null ? null : Number(row.answered_at),
    createdAt: Number(row.created_at),
    recorded: row.recording_state === 'kept',
    recordingOffsetMs: row.recording_started_at === null ? 0 : Math.max(0, Number(row.recording_started_at) - Number(row.call_started_at)),
  };
}
