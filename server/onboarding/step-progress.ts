/**
 * Progress of one assignment's steps, computed from what is stored (clip, talk track and task
 * steps) and from the listens the server recorded (shadow and host-with-mentor steps), at read
 * time. Pure: the service gathers the inputs.
 */
import { CLIP_PLAYED_SHARE, MIN_COUNTED_LISTEN_MS, coveredSeconds, type StepConfig, type StepProgress } from '../../contract';
import type { ListenRecord, ProgressRecord } from '../store/onboarding-store';

/** Whether what a step points to can still be used by the assignee, and its title. */
export interface StepTarget {
  title: string | null;
  unavailable: 'deleted' | 'not-visible' | null;
  /** Clip steps: the clip's length. */
  durationMs?: number;
}

export interface StepFacts {
  id: string;
  config: StepConfig;
  progress: ProgressRecord | undefined;
  target: StepTarget;
  /** The assignee's listens since the assignment's start (any call kind). */
  listens: readonly ListenRecord[];
  /** Listens by the assignee's mentors to calls the assignee hosted since the start. */
  mentorListens: readonly ListenRecord[];
  now: number;
}

/**
 * When each call first had a listen of at least five minutes (one entry per call, oldest first):
 * a call counts once however often its listener dropped and rejoined.
 */
export function countedCalls(listens: readonly ListenRecord[], now: number, kind: string = 'any'): number[] {
  const byCall = new Map<string, number>();
  for (const l of listens) {
    if (kind !== 'any' && l.callKind !== kind) continue;
    if ((l.leftAt ?? now) - l.joinedAt < MIN_COUNTED_LISTEN_MS) continue;
    const reachedAt = l.joinedAt + MIN_COUNTED_LISTEN_MS;
    const seen = byCall.get(l.callId);
    if (seen === undefined || reachedAt < seen) byCall.set(l.callId, reachedAt);
  }
  return [...byCall.values()].sort((a, b) => a - b);
}

/** One step's progress for its assignee. */
export function stepProgress(f: StepFacts): StepProgress {
  const base = { id: f.id, title: f.target.title, unavailable: null, have: null, opened: f.progress?.openedAt != null, playedShare: null };
  const c = f.config;
  if (c.kind === 'shadow' || c.kind === 'host-with-mentor') {
    const need = c.kind === 'shadow' ? c.count : 1;
    const times = c.kind === 'shadow' ? countedCalls(f.listens, f.now, c.callKind) : countedCalls(f.mentorListens, f.now);
    const doneAt = times.length >= need ? times[need - 1]! : null;
    return { ...base, ...c, state: doneAt !== null ? 'done' : 'todo', doneAt, have: Math.min(times.length, need) };
  }
  const doneAt = f.progress?.doneAt ?? null;
  const playedShare =
    c.kind === 'clip' && f.target.durationMs ? Math.min(1, coveredSeconds(f.progress?.played ?? []) / (f.target.durationMs / 1000)) : null;
  // Done stays done (and counted) even if its clip or track went away afterwards.
  const state = doneAt !== null ? 'done' : f.target.unavailable ? 'unavailable' : 'todo';
  return { ...base, ...c, state, doneAt, unavailable: f.target.unavailable, playedShare };
}

/**
 * An assignment's totals: `done` steps out of `total`, where a step that became unavailable
 * before it was done leaves the total (it cannot block completion) and is counted apart.
 */
export function summarize(steps: readonly StepProgress[], dueAt: number, now: number): { done: number; total: number; unavailable: number; overdue: boolean } {
  const done = steps.filter((s) => s.state === 'done').length;
  const unavailable = steps.filter((s) => s.state === 'unavailable').length;
  const total = steps.length - unavailable;
  return { done, total, unavailable, overdue: now > dueAt && done < total };
}

/** Whether a played set of seconds covers enough of a clip of `durationMs`. */
export function playedEnough(played: readonly [number, number][], durationMs: number): boolean {
  return coveredSeconds(played) >= CLIP_PLAYED_SHARE * (durationMs / 1000) - 1e-6;
}
