import { z } from 'zod';
import { ClipSummary } from './clips';
import { Id } from './team';
import { multiLineText, singleLineText } from './text';

/**
 * Silent questions, the debrief and whispers.
 *
 * A question's `atMs` is the moment of the call it refers to: ms since the call started as the
 * ASKER heard it (their playout position), not the server's clock when it arrived.
 */

/** Whether the host sees questions while live (a quiet counter) or only after the call. */
export const QuestionsMode = z.enum(['after-call', 'live']);
export type QuestionsMode = z.infer<typeof QuestionsMode>;

/**
 * The host's go-live choices for questions and whispers. Optional in `call:start` (older
 * clients): questions after the call, whispers off.
 */
export const CallAudienceOptions = z.object({
  questions: QuestionsMode.default('after-call'),
  whispers: z.boolean().default(false),
});
export type CallAudienceOptions = z.infer<typeof CallAudienceOptions>;
export const DEFAULT_CALL_AUDIENCE_OPTIONS: CallAudienceOptions = { questions: 'after-call', whispers: false };

export const QUESTION_MAX_CHARS = 1000;
export const ANSWER_MAX_CHARS = 4000;
export const WHISPER_MAX_CHARS = 200;
/**
 * How far past the server's elapsed time a moment may be. The asker's clock and the server's
 * differ by network delay and clock skew; more than this is not a moment of the call.
 */
export const QUESTION_MOMENT_SLACK_MS = 5_000;

export const QuestionText = multiLineText().trim().min(1, 'is required').max(QUESTION_MAX_CHARS, `must be at most ${QUESTION_MAX_CHARS} characters`);
export const AnswerText = multiLineText().trim().min(1, 'is required').max(ANSWER_MAX_CHARS, `must be at most ${ANSWER_MAX_CHARS} characters`);
export const WhisperText = singleLineText().trim().min(1, 'is required').max(WHISPER_MAX_CHARS, `must be at most ${WHISPER_MAX_CHARS} characters`);
/** A moment of a call in ms since it started (upper bound checked by the server against the call). */
export const CallMomentMs = z.number().int().min(0).max(24 * 3_600_000);

/** `question:ask`: a current listener asks the host. */
export const AskQuestionPayload = z.object({
  callId: Id,
  text: QuestionText,
  atMs: CallMomentMs,
  /** The host never learns who asked. */
  anonymous: z.boolean().default(false),
  /** Managers (other than the host) may read it. */
  shareWithManagers: z.boolean().default(false),
});
export type AskQuestionInput = z.input<typeof AskQuestionPayload>;

export const QuestionStatus = z.enum(['open', 'answered', 'dismissed']);
export type QuestionStatus = z.infer<typeof QuestionStatus>;

/**
 * A question as one reader sees it. `askerId`/`askerName` are null whenever the reader may not
 * know who asked (an anonymous question read by anyone but its asker).
 */
export const QuestionView = z.object({
  id: Id,
  callId: Id,
  callTitle: z.string(),
  hostId: Id,
  hostName: z.string(),
  askerId: Id.nullable(),
  askerName: z.string().nullable(),
  text: z.string(),
  atMs: z.number(),
  anonymous: z.boolean(),
  shareWithManagers: z.boolean(),
  status: QuestionStatus,
  answer: z.string().nullable(),
  answeredAt: z.number().nullable(),
  createdAt: z.number(),
  /** Whether the call's recording is kept (the moment can be played). */
  recorded: z.boolean(),
  /** The call's recording starts this many ms after the call (play `atMs - offset`). */
  recordingOffsetMs: z.number(),
  /** Whether the reader is the asker. */
  mine: z.boolean(),
});
export type QuestionView = z.infer<typeof QuestionView>;

/** Who listened to a call, in total. */
export const DebriefListener = z.object({ userId: Id, name: z.string(), listenedMs: z.number(), joins: z.number() });
export type DebriefListener = z.infer<typeof DebriefListener>;

export const DebriefReply = z.object({
  call: z.object({
    id: Id,
    title: z.string(),
    account: z.string().nullable(),
    hostId: Id,
    hostName: z.string(),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
  }),
  /** Whether the reader is the host (may answer and dismiss). */
  isHost: z.boolean(),
  recorded: z.boolean(),
  recordingOffsetMs: z.number(),
  /** In call order (by moment). Managers see only the questions shared with them. */
  questions: z.array(QuestionView),
  clips: z.array(ClipSummary),
  /** Who listened (host and managers only). */
  listeners: z.array(DebriefListener),
});
export type DebriefReply = z.infer<typeof DebriefReply>;

export const QuestionsReply = z.object({ questions: z.array(QuestionView) });
export const QuestionReply = z.object({ question: QuestionView });
export const AnswerQuestionBody = z.object({ answer: AnswerText });
export type AnswerQuestionBody = z.input<typeof AnswerQuestionBody>;

/** `whisper:send`: a manager riding along whispers to the host. Never stored. */
export const WhisperPayload = z.object({ callId: Id, text: WhisperText });
export type WhisperInput = z.input<typeof WhisperPayload>;
/** To the host only. */
export const WhisperPush = z.object({ callId: Id, fromName: z.string(), text: z.string(), at: z.number() });
export type WhisperPush = z.infer<typeof WhisperPush>;
