import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import {
  BullpenError,
  can,
  QUESTION_MOMENT_SLACK_MS,
  type AskQuestionPayload,
  type ClipSummary,
  type DebriefReply,
  type QuestionView,
  type User,
  type WhisperPayload,
  type WhisperPush,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { Call } from '../calls/call';
import { newId } from '../ids';
import type { RateLimits } from '../limits/rate-limits';
import type { Logger } from '../logger';
import type { QuestionRecord, QuestionStore } from '../store/question-store';
import { assertHost, assertMayAsk, assertMayWhisper, hostReadsNow, questionReader, revealsAsker, type QuestionReader } from './question-policy';

interface QuestionServiceEvents {
  /** A question was stored; `count` is the call's total so far. */
  asked: [call: Call, count: number];
  /** A person's question lists changed (the host's queue, an asker's answers). */
  'lists-changed': [userId: string];
  /** A whisper for the host of `call` (delivered, never stored). */
  whisper: [hostId: string, whisper: WhisperPush];
}

/** What answering tells the notifier (helper D's), after the answer is stored. */
export interface AnsweredEvent {
  teamId: string;
  askerId: string;
  /** Who answered: the call's host. */
  hostId: string;
  questionId: string;
  callId: string;
}

export interface QuestionServiceDeps {
  questions: QuestionStore;
  /** The live call of the caller's team (CALL_NOT_FOUND / CALL_ENDED otherwise). */
  liveCall(caller: Caller, callId: string): Promise<Call>;
  /** The clips of a call the caller may see (for the debrief). */
  clipsOfCall(caller: Caller, callId: string): Promise<ClipSummary[]>;
  log: Logger;
  /** Per-user limits on asking and whispering (limit-policy.ts). */
  limits: Pick<RateLimits, 'take'>;
  /** Called once an answer is stored (notifications). */
  onAnswered?: (event: AnsweredEvent) => void;
  now?: () => number;
}

const notFound = () => new BullpenError('NOT_FOUND', 'This question was deleted or you cannot see it.');

/**
 * Silent questions (asked while listening, anchored at the asker's playout moment), the host's
 * queue and debrief with answers, and whispers from managers riding along.
 */
export class QuestionService {
  readonly #deps: QuestionServiceDeps;
  readonly #events = new EventEmitter<QuestionServiceEvents>();
  readonly #now: () => number;

  constructor(deps: QuestionServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  on<E extends keyof QuestionServiceEvents>(event: E, fn: (...args: QuestionServiceEvents[E]) => void): void {
    this.#events.on(event, fn as never);
  }

  /** A current listener asks the host; the moment must lie within the call so far. */
  async ask(caller: Caller, input: z.output<typeof AskQuestionPayload>): Promise<QuestionView> {
    const call = await this.#deps.liveCall(caller, input.callId);
    assertMayAsk(caller.user, call);
    await this.#deps.limits.take('question', caller.user.id);
    const now = this.#now();
    if (input.atMs > now - call.startedAt + QUESTION_MOMENT_SLACK_MS) {
      throw new BullpenError('BAD_REQUEST', 'atMs: is later than the call has lasted.');
    }
    const id = newId();
    await this.#deps.questions.insert({
      id,
      teamId: call.teamId,
      callId: call.id,
      askerId: caller.user.id,
      text: input.text,
      atMs: input.atMs,
      anonymous: input.anonymous,
      shareWithManagers: input.shareWithManagers,
      at: now,
    });
    // The call may have ended while the row was written: it still counts as asked on it.
    const count = await this.#deps.questions.countForCall(call.id);
    this.#deps.log.info('question asked', { callId: call.id, questionId: id });
    this.#events.emit('asked', call, count);
    if (call.questions === 'live') this.#events.emit('lists-changed', call.hostId);
    const record = await this.#deps.questions.byId(call.teamId, id);
    return this.#view(caller.user, record!, 'asker');
  }

  /** A manager riding along whispers to the host, if allowed. Delivered to the host only, never stored. */
  async whisper(caller: Caller, input: z.output<typeof WhisperPayload>): Promise<void> {
    const call = await this.#deps.liveCall(caller, input.callId);
    assertMayWhisper(caller.user, call);
    await this.#deps.limits.take('whisper', caller.user.id);
    this.#events.emit('whisper', call.hostId, { callId: call.id, fromName: caller.user.name, text: input.text, at: this.#now() });
  }

  /** Tells the host that a call's questions are waiting (the call ended). */
  callEnded(hostId: string): void {
    this.#events.emit('lists-changed', hostId);
  }

  /** The host's open questions: of ended calls, and of live calls whose questions are live. */
  async queue(caller: Caller): Promise<QuestionView[]> {
    const rows = await this.#deps.questions.openForHost(caller.team.id, caller.user.id);
    return rows.map((q) => this.#view(caller.user, q, 'host'));
  }

  /** The caller's own questions with answers. */
  async mine(caller: Caller): Promise<QuestionView[]> {
    const rows = await this.#deps.questions.byAsker(caller.team.id, caller.user.id);
    return rows.map((q) => this.#view(caller.user, q, 'asker'));
  }

  /**
   * A call's debrief: for its host, every question (once the host may read them), its clips and
   * who listened; for a manager, the questions shared with managers. Others: NOT_FOUND.
   */
  async debrief(caller: Caller, callId: string): Promise<DebriefReply> {
    const call = await this.#deps.questions.call(caller.team.id, callId);
    const isHost = call?.hostId === caller.user.id;
    if (!call || (!isHost && !can.seeEverything(caller.user.role))) {
      throw new BullpenError('NOT_FOUND', 'There is no debrief of this call for you.');
    }
    const all = await this.#deps.questions.forCall(caller.team.id, callId);
    const readable = isHost && !hostReadsNow(call) ? [] : all;
    const questions: QuestionView[] = [];
    for (const q of readable) {
      const reader = questionReader(caller.user, q);
      // The asker reads their own elsewhere ("My questions"); here the host's or a manager's view.
      if (reader === 'host' || reader === 'manager') questions.push(this.#view(caller.user, q, reader));
    }
    return {
      call: {
        id: call.id,
        title: call.title,
        account: call.account,
        hostId: call.hostId,
        hostName: call.hostName,
        startedAt: call.startedAt,
        endedAt: call.endedAt,
      },
      isHost,
      recorded: call.recorded,
      recordingOffsetMs: call.recordingOffsetMs,
      questions,
      clips: await this.#deps.clipsOfCall(caller, callId),
      listeners: await this.#deps.questions.listenersOf(callId, this.#now()),
    };
  }

  /** The host answers (or edits the answer to) a question of their call. */
  async answer(caller: Caller, questionId: string, text: string): Promise<QuestionView> {
    const q = await this.#hostsQuestion(caller, questionId);
    if (q.status === 'dismissed' || !(await this.#deps.questions.answer(caller.team.id, q.id, text, this.#now()))) {
      throw new BullpenError('CONFLICT', 'This question was dismissed.');
    }
    this.#deps.log.info('question answered', { callId: q.callId, questionId: q.id });
    this.#events.emit('lists-changed', q.askerId);
    this.#events.emit('lists-changed', q.hostId);
    try {
      this.#deps.onAnswered?.({ teamId: q.teamId, askerId: q.askerId, hostId: q.hostId, questionId: q.id, callId: q.callId });
    } catch (error) {
      this.#deps.log.error('question answered callback failed', { questionId: q.id, error });
    }
    return this.#view(caller.user, (await this.#deps.questions.byId(caller.team.id, q.id))!, 'host');
  }

  /** The host dismisses an open question: it leaves the queue unanswered. */
  async dismiss(caller: Caller, questionId: string): Promise<QuestionView> {
    const q = await this.#hostsQuestion(caller, questionId);
    if (q.status !== 'open' || !(await this.#deps.questions.dismiss(caller.team.id, q.id))) {
      throw new BullpenError('CONFLICT', q.status === 'answered' ? 'This question is already answered.' : 'This question is already dismissed.');
    }
    this.#events.emit('lists-changed', q.hostId);
    this.#events.emit('lists-changed', q.askerId);
    return this.#view(caller.user, (await this.#deps.questions.byId(caller.team.id, q.id))!, 'host');
  }

  /** A question of the caller's call that the host may act on now; others look absent or are refused. */
  async #hostsQuestion(caller: Caller, questionId: string): Promise<QuestionRecord> {
    const q = await this.#deps.questions.byId(caller.team.id, questionId);
    if (!q || !questionReader(caller.user, q)) throw notFound();
    assertHost(caller.user, q.hostId);
    if (!hostReadsNow({ endedAt: q.callEndedAt, questionsMode: q.questionsMode })) {
      throw new BullpenError('CONFLICT', 'Questions of this call open when it ends.');
    }
    return q;
  }

  #view(viewer: User, q: QuestionRecord, reader: Exclude<QuestionReader, null>): QuestionView {
    const named = revealsAsker(reader, q.anonymous);
    return {
      id: q.id,
      callId: q.callId,
      callTitle: q.callTitle,
      hostId: q.hostId,
      hostName: q.hostName,
      askerId: named ? q.askerId : null,
      askerName: named ? q.askerName : null,
      text: q.text,
      atMs: q.atMs,
      anonymous: q.anonymous,
      shareWithManagers: q.shareWithManagers,
      status: q.status,
      answer: q.answer,
      answeredAt: q.answeredAt,
      createdAt: q.createdAt,
      recorded: q.recorded,
      recordingOffsetMs: q.recordingOffsetMs,
      mine: q.askerId === viewer.id,
    };
  }
}
