/**
 * Every per-user (and per-team) rate limit of the server, in one table: how many points a key
 * may spend per window and what a person is told when they hit it. Chosen so a real team never
 * hits them (a rep clips a few moments a call, a manager comments a handful a minute); a flood
 * is refused long before it costs disk, CPU or teammates' pushes. README lists them.
 */
export const LIMITS = {
  /** Clip marks per user: a burst of 20 a minute (a person presses the hotkey a few times a call). */
  clipMark: { points: 20, durationSec: 60, message: 'You are marking clips faster than Bullpen allows (20 a minute).' },
  /** Clips saved from kept recordings per user (each is cut at once, up to 10 minutes long). */
  clipFromRecording: { points: 10, durationSec: 60, message: 'You are saving clips faster than Bullpen allows (10 a minute).' },
  /** Comments written or edited per user. */
  comment: { points: 30, durationSec: 60, message: 'You are commenting faster than Bullpen allows (30 a minute).' },
  /** Calls started per user (a failed start counts too). */
  callStart: { points: 10, durationSec: 600, message: 'You started too many calls in a short time (10 in 10 minutes).' },
  /** Silent questions per listener (each lands in the host's queue). */
  question: { points: 10, durationSec: 60, message: 'You are asking questions faster than Bullpen allows (10 a minute).' },
  /** Whispers per manager: the host is on a customer call, so a few at most. */
  whisper: { points: 6, durationSec: 60, message: 'You are whispering faster than Bullpen allows (6 a minute).' },
  /** "Send to…" per user (each send notifies every recipient). */
  clipSend: { points: 20, durationSec: 600, message: 'You are sending clips faster than Bullpen allows (20 in 10 minutes).' },
  /** Onboarding nudges per assignee, from all managers together (a reminder, not a stream). */
  onboardingNudge: { points: 3, durationSec: 86_400, message: 'This person was nudged 3 times today already. Try again tomorrow.' },
  /**
   * ICE server (TURN credential) requests per user: the apps ask once per publish, republish and
   * join, so even a host and listener reconnecting often stay far below it.
   */
  iceServers: { points: 30, durationSec: 60, message: 'Your app asked for media connection settings too often (30 a minute).' },
  /** Socket events of any kind per user, all their windows together. */
  socketEvent: { points: 50, durationSec: 1, message: 'Too many requests at once.' },
} as const satisfies Record<string, LimitSpec>;

/** One limit: `points` per `durationSec` per key. */
export interface LimitSpec {
  points: number;
  durationSec: number;
  /** What the person is told (the wait is added by the client from `retryAfterSec`). */
  message: string;
}

export type LimitName = keyof typeof LIMITS;

/** Open sockets one person may hold: in the contract, as clients see the refusal. */
export { MAX_SOCKETS_PER_USER } from '../../contract';

/** Default of the team's daily clip budget (minutes of clip audio cut per team per day). */
export const DEFAULT_TEAM_CLIP_MINUTES_PER_DAY = 1440;

/**
 * Clips accepted and not yet cut, server-wide. Per-user limits bound one person; this bounds
 * many at once: a mark past it is refused rather than queued behind hundreds of cuts.
 */
export const MAX_PENDING_CUTS = 400;

/** Cuts from kept recordings waiting in the (one-at-a-time) cut queue before new ones are refused. */
export const MAX_QUEUED_CUTS = 16;
