import type { Assignment, StepConfig, User } from '../../contract';
import { maySeeClip } from '../clips/clip-visibility';
import type { ClipRecord } from '../store/clip-store';
import { progressKey, type AssignmentRecord, type OnboardingStore } from '../store/onboarding-store';
import { stepProgress, summarize, type StepTarget } from './step-progress';

export interface ProgressReaderDeps {
  store: OnboardingStore;
  clipById(teamId: string, clipId: string): Promise<ClipRecord | undefined>;
  trackTitle(teamId: string, trackId: string): Promise<string | undefined>;
  userById(userId: string): Promise<User | undefined>;
}

/**
 * Reads assignments with their progress: stored step progress, the listens behind computed
 * steps, and whether each step's clip or talk track is still there for its assignee.
 */
export class ProgressReader {
  readonly #deps: ProgressReaderDeps;

  constructor(deps: ProgressReaderDeps) {
    this.#deps = deps;
  }

  async views(assignments: readonly AssignmentRecord[], now: number): Promise<Assignment[]> {
    if (assignments.length === 0) return [];
    const steps = await this.#deps.store.stepsOf(assignments.map((a) => a.pathId));
    const progress = await this.#deps.store.progress(assignments.map((a) => a.id));
    const out: Assignment[] = [];
    for (const a of assignments) {
      const assignee = await this.#deps.userById(a.userId);
      const current = (steps.get(a.pathId) ?? []).filter((s) => s.config !== null);
      const computed = current.some((s) => s.config!.kind === 'shadow' || s.config!.kind === 'host-with-mentor');
      // Only listens after the assignment's start count.
      const listens = computed ? await this.#deps.store.listensOf(a.teamId, a.userId, a.startAt) : [];
      const mentorListens = computed ? await this.#deps.store.mentorListensOn(a.teamId, a.userId, a.startAt) : [];
      const stepViews = [];
      for (const s of current) {
        stepViews.push(
          stepProgress({
            id: s.id,
            config: s.config!,
            progress: progress.get(progressKey(a.id, s.id)),
            target: await this.target(a.teamId, s.config!, assignee),
            listens,
            mentorListens,
            now,
          }),
        );
      }
      out.push({
        id: a.id,
        pathId: a.pathId,
        pathName: a.pathName,
        userId: a.userId,
        userName: a.userName,
        startAt: a.startAt,
        dueAt: a.dueAt,
        assignedAt: a.createdAt,
        steps: stepViews,
        ...summarize(stepViews, a.dueAt, now),
      });
    }
    return out;
  }

  /**
   * What a step points to and whether it is usable: by `assignee` when given (a clip they may not
   * see is `not-visible`), otherwise only whether it still exists.
   */
  async target(teamId: string, config: StepConfig, assignee: User | undefined): Promise<StepTarget> {
    if (config.kind === 'clip') {
      const clip = await this.#deps.clipById(teamId, config.clipId);
      if (!clip || clip.status === 'failed') return { title: clip?.title || null, unavailable: 'deleted' };
      const title = clip.title || clip.callTitle;
      if (assignee && !maySeeClip(assignee, clip)) return { title, unavailable: 'not-visible' };
      return { title, unavailable: null, durationMs: clip.durationMs };
    }
    if (config.kind === 'talk-track') {
      const title = await this.#deps.trackTitle(teamId, config.trackId);
      return title === undefined ? { title: null, unavailable: 'deleted' } : { title, unavailable: null };
    }
    return { title: null, unavailable: null };
  }
}
