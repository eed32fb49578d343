import type { z } from 'zod';
import {
  BullpenError,
  PLAYBACK_PACE,
  PLAYBACK_SLACK_MS,
  coveredSeconds,
  mergeRanges,
  type AssignBody,
  type Assignment,
  type Path,
  type PathBody,
  type PlayedRange,
  type StepActionBody,
  type StepConfig,
  type User,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import { maySeeClip } from '../clips/clip-visibility';
import { newId } from '../ids';
import type { RateLimits } from '../limits/rate-limits';
import type { Logger } from '../logger';
import type { NotificationService } from '../notifications/notification-service';
import type { ClipRecord } from '../store/clip-store';
import type { AssignmentRecord, OnboardingStore, PathRecord, StepRecord } from '../store/onboarding-store';
import { onboardingPolicy } from './onboarding-policy';
import { ProgressReader } from './progress-reader';
import { playedEnough } from './step-progress';

export interface OnboardingServiceDeps {
  store: OnboardingStore;
  /** A clip of the team by id (deleted: undefined). */
  clipById(teamId: string, clipId: string): Promise<ClipRecord | undefined>;
  /** A talk track's title, if the team still has it. */
  trackTitle(teamId: string, trackId: string): Promise<string | undefined>;
  userById(userId: string): Promise<User | undefined>;
  notifications: Pick<NotificationService, 'notify'>;
  limits: Pick<RateLimits, 'take'>;
  /** Tells the assignee and the team's managers that an assignment's progress changed. */
  onChanged?(e: { teamId: string; userId: string; assignmentId: string; pathId: string }): void;
  log: Logger;
  now?: () => number;
}

const onlyManagers = () => new BullpenError('FORBIDDEN', 'Only managers can build, assign and follow onboarding paths.');
const noPath = () => new BullpenError('NOT_FOUND', 'This path was deleted or is not on your team.');
const noAssignment = () => new BullpenError('NOT_FOUND', 'This onboarding assignment is gone or is not yours.');

/** Onboarding paths: building, assigning, progress and nudges, with every role and team check. */
export class OnboardingService {
  readonly #deps: OnboardingServiceDeps;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #progress: ProgressReader;

  constructor(deps: OnboardingServiceDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ component: 'onboarding' });
    // Whole milliseconds: times are BIGINT columns on PostgreSQL.
    const clock = deps.now ?? Date.now;
    this.#now = () => Math.floor(clock());
    this.#progress = new ProgressReader(deps);
  }

  async paths(caller: Caller): Promise<Path[]> {
    this.#mustManage(caller);
    const paths = await this.#deps.store.paths(caller.team.id);
    return await Promise.all(paths.map((p) => this.#pathView(p)));
  }

  async createPath(caller: Caller, body: z.output<typeof PathBody>): Promise<Path> {
    this.#mustManage(caller);
    const steps = body.steps.map((s) => ({ id: newId(), config: configOf(s) }));
    for (const s of steps) await this.#mayUse(caller, s.config);
    const id = newId();
    await this.#deps.store.createPath({ id, teamId: caller.team.id, name: body.name, description: body.description, createdBy: caller.user.id, at: this.#now(), steps });
    this.#log.info('path created', { pathId: id, userId: caller.user.id, steps: steps.length });
    return await this.#pathView((await this.#deps.store.path(caller.team.id, id))!);
  }

  /** A path and each assignee's progress. */
  async path(caller: Caller, pathId: string): Promise<{ path: Path; assignments: Assignment[] }> {
    this.#mustManage(caller);
    const path = await this.#deps.store.path(caller.team.id, pathId);
    if (!path) throw noPath();
    const assignments = await this.#deps.store.assignments(caller.team.id, { pathId });
    return { path: await this.#pathView(path), assignments: await this.#progress.views(assignments, this.#now()) };
  }

  /**
   * Edits a path. A step sent with the id of a current step and the same settings is kept (its
   * progress with it); anything else is a new step, and current steps not kept are removed.
   */
  async updatePath(caller: Caller, pathId: string, body: z.output<typeof PathBody>): Promise<Path> {
    this.#mustManage(caller);
    const path = await this.#deps.store.path(caller.team.id, pathId);
    if (!path) throw noPath();
    const current = new Map(path.steps.map((s) => [s.id, s]));
    const seen = new Set<string>();
    const steps: { id: string; config: StepConfig; keep: boolean }[] = [];
    for (const input of body.steps) {
      const config = configOf(input);
      if (input.id && seen.has(input.id)) throw new BullpenError('BAD_REQUEST', 'Invalid request: a step appears twice.');
      if (input.id) seen.add(input.id);
      const old = input.id ? current.get(input.id) : undefined;
      if (old && sameConfig(old, config)) {
        steps.push({ id: old.id, config, keep: true });
      } else {
        await this.#mayUse(caller, config);
        steps.push({ id: newId(), config, keep: false });
      }
    }
    await this.#deps.store.updatePath(caller.team.id, pathId, { name: body.name, description: body.description, at: this.#now(), steps });
    this.#log.info('path edited', { pathId, userId: caller.user.id, kept: steps.filter((s) => s.keep).length, added: steps.filter((s) => !s.keep).length });
    for (const a of await this.#deps.store.assignments(caller.team.id, { pathId })) this.#changed(a);
    return await this.#pathView((await this.#deps.store.path(caller.team.id, pathId))!);
  }

  /** Assigns a path to teammates (again: new dates, progress kept); each new assignee is told. */
  async assign(caller: Caller, pathId: string, body: z.output<typeof AssignBody>): Promise<Assignment[]> {
    this.#mustManage(caller);
    const path = await this.#deps.store.path(caller.team.id, pathId);
    if (!path) throw noPath();
    const people: User[] = [];
    for (const id of new Set(body.userIds)) {
      const person = await this.#deps.userById(id);
      if (!person || person.teamId !== caller.team.id) throw new BullpenError('NOT_FOUND', 'No such person on your team; nobody was assigned.');
      people.push(person);
    }
    const ids: string[] = [];
    for (const person of people) {
      const at = this.#now();
      const { id, created } = await this.#deps.store.assign({
        id: newId(),
        teamId: caller.team.id,
        pathId,
        userId: person.id,
        assignedBy: caller.user.id,
        startAt: body.startAt,
        dueAt: body.dueAt,
        at,
      });
      ids.push(id);
      this.#log.info('path assigned', { pathId, assignmentId: id, userId: person.id, by: caller.user.id, created });
      await this.#deps.notifications.notify(caller.team.id, person.id, { kind: 'path-assigned', payload: { assignmentId: id, pathId, pathName: path.name } }, caller.user.id);
      this.#changed({ id, teamId: caller.team.id, userId: person.id, pathId });
    }
    const assignments = (await this.#deps.store.assignments(caller.team.id, { pathId })).filter((a) => ids.includes(a.id));
    return await this.#progress.views(assignments, this.#now());
  }

  /** The caller's own assignments, oldest first. */
  async mine(caller: Caller): Promise<Assignment[]> {
    const assignments = await this.#deps.store.assignments(caller.team.id, { userId: caller.user.id });
    return await this.#progress.views(assignments, this.#now());
  }

  /** The assignee opens or acknowledges a talk track step, or ticks or unticks a task step. */
  async stepAction(caller: Caller, assignmentId: string, stepId: string, action: StepActionBody['action']): Promise<Assignment> {
    const { assignment, step } = await this.#ownStep(caller, assignmentId, stepId);
    const [view] = await this.#progress.views([assignment], this.#now());
    const progress = view!.steps.find((s) => s.id === stepId)!;
    const now = this.#now();
    const kind = step.config!.kind;
    if (kind === 'task' && (action === 'tick' || action === 'untick')) {
      await this.#deps.store.saveProgress(assignmentId, stepId, { doneAt: action === 'tick' ? (progress.doneAt ?? now) : null });
    } else if (kind === 'talk-track' && (action === 'open' || action === 'acknowledge')) {
      if (progress.state === 'unavailable') throw new BullpenError('NOT_FOUND', 'This talk track was deleted; your manager sees the step as unavailable.');
      if (action === 'open') {
        if (!progress.opened) await this.#deps.store.saveProgress(assignmentId, stepId, { openedAt: now });
      } else {
        if (!progress.opened) throw new BullpenError('CONFLICT', 'Open the talk track and read it before acknowledging it.');
        if (progress.doneAt === null) await this.#deps.store.saveProgress(assignmentId, stepId, { doneAt: now });
      }
    } else {
      throw new BullpenError('BAD_REQUEST', `Invalid request: a ${kind} step cannot be marked with “${action}”.`);
    }
    this.#changed(assignment);
    return (await this.#progress.views([assignment], this.#now()))[0]!;
  }

  /**
   * The assignee's player reports the seconds of a clip step it played. The step is done once
   * the merged report covers 90 % of the clip AND enough wall time has passed since the step's
   * first report to have played that much (PLAYBACK_PACE): a claim faster than real time is
   * stored but does not complete the step.
   */
  async playback(caller: Caller, assignmentId: string, stepId: string, ranges: PlayedRange[]): Promise<Assignment> {
    const { assignment, step } = await this.#ownStep(caller, assignmentId, stepId);
    const config = step.config!;
    if (config.kind !== 'clip') throw new BullpenError('BAD_REQUEST', 'Invalid request: only clip steps take playback reports.');
    const clip = await this.#deps.clipById(caller.team.id, config.clipId);
    if (!clip || clip.status !== 'ready' || !maySeeClip(caller.user, clip)) {
      throw new BullpenError('FORBIDDEN', 'You cannot hear this clip (it was deleted or is not shared with you); your manager sees the step as unavailable.');
    }
    const stored = (await this.#deps.store.progress([assignmentId])).get(`${assignmentId}/${stepId}`);
    const now = this.#now();
    const firstReportAt = stored?.firstReportAt ?? now;
    const played = mergeRanges([...(stored?.played ?? []), ...ranges], clip.durationMs / 1000);
    const plausible = now - firstReportAt >= PLAYBACK_PACE * coveredSeconds(played) * 1000 - PLAYBACK_SLACK_MS;
    const done = stored?.doneAt ?? (playedEnough(played, clip.durationMs) && plausible ? now : null);
    await this.#deps.store.saveProgress(assignmentId, stepId, { played, firstReportAt, doneAt: done });
    if (done !== null && stored?.doneAt == null) {
      this.#log.info('clip step played', { assignmentId, stepId, userId: caller.user.id });
      this.#changed(assignment);
    }
    return (await this.#progress.views([assignment], this.#now()))[0]!;
  }

  /** A manager nudges an assignee (a few times a day per assignee at most). */
  async nudge(caller: Caller, assignmentId: string, note: string): Promise<void> {
    this.#mustManage(caller);
    const [assignment] = await this.#deps.store.assignments(caller.team.id, { id: assignmentId });
    if (!assignment) throw noAssignment();
    if (assignment.userId === caller.user.id) throw new BullpenError('BAD_REQUEST', 'You cannot nudge yourself.');
    await this.#deps.limits.take('onboardingNudge', assignment.userId);
    const payload = { assignmentId, pathId: assignment.pathId, note };
    await this.#deps.notifications.notify(caller.team.id, assignment.userId, { kind: 'onboarding-nudge', payload }, caller.user.id);
    this.#log.info('assignee nudged', { assignmentId, by: caller.user.id });
  }

  /** How many steps each person of the team completed in `[fromMs, toMs)` (metrics). */
  async stepsCompletedBetween(teamId: string, fromMs: number, toMs: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const a of await this.#progress.views(await this.#deps.store.assignments(teamId), this.#now())) {
      const n = a.steps.filter((s) => s.state === 'done' && s.doneAt !== null && s.doneAt >= fromMs && s.doneAt < toMs).length;
      out.set(a.userId, (out.get(a.userId) ?? 0) + n);
    }
    return out;
  }

  /** Each assignee's done and total steps over all their assignments (metrics; totals as {@link summarize}). */
  async progressOf(teamId: string): Promise<Map<string, { done: number; total: number }>> {
    const out = new Map<string, { done: number; total: number }>();
    for (const a of await this.#progress.views(await this.#deps.store.assignments(teamId), this.#now())) {
      const sum = out.get(a.userId) ?? { done: 0, total: 0 };
      out.set(a.userId, { done: sum.done + a.done, total: sum.total + a.total });
    }
    return out;
  }

  #mustManage(caller: Caller): void {
    if (!onboardingPolicy.mayManage(caller.user)) throw onlyManagers();
  }

  /** The caller's own assignment and one of its current steps; others' are refused. */
  async #ownStep(caller: Caller, assignmentId: string, stepId: string): Promise<{ assignment: AssignmentRecord; step: StepRecord }> {
    const [assignment] = await this.#deps.store.assignments(caller.team.id, { id: assignmentId });
    if (!assignment || !onboardingPolicy.maySeeAssignment(caller.user, assignment)) throw noAssignment();
    if (!onboardingPolicy.mayWorkOn(caller.user, assignment)) throw new BullpenError('FORBIDDEN', 'Only the person a path is assigned to can work on its steps.');
    const step = (await this.#deps.store.stepsOf([assignment.pathId])).get(assignment.pathId)?.find((s) => s.id === stepId);
    if (!step?.config) throw new BullpenError('NOT_FOUND', 'This step was removed from the path.');
    return { assignment, step };
  }

  /** A builder may only put in a path a clip they can see and a talk track of the team. */
  async #mayUse(caller: Caller, config: StepConfig): Promise<void> {
    if (config.kind === 'clip') {
      const clip = await this.#deps.clipById(caller.team.id, config.clipId);
      if (!clip || !maySeeClip(caller.user, clip)) throw new BullpenError('NOT_FOUND', 'A clip of this path was deleted or you cannot see it.');
    } else if (config.kind === 'talk-track') {
      if ((await this.#deps.trackTitle(caller.team.id, config.trackId)) === undefined) throw new BullpenError('NOT_FOUND', 'A talk track of this path was deleted.');
    }
  }

  async #pathView(p: PathRecord): Promise<Path> {
    const steps = [];
    for (const s of p.steps) {
      if (!s.config) continue;
      const target = await this.#progress.target(p.teamId, s.config, undefined);
      steps.push({ ...s.config, id: s.id, title: target.title, available: target.unavailable === null });
    }
    const { teamId: _team, steps: _steps, ...rest } = p;
    return { ...rest, steps };
  }

  #changed(a: { id: string; teamId: string; userId: string; pathId: string }): void {
    this.#deps.onChanged?.({ teamId: a.teamId, userId: a.userId, assignmentId: a.id, pathId: a.pathId });
  }
}

/** A step's settings without its id. */
function configOf(input: StepConfig & { id?: string }): StepConfig {
  const { id: _id, ...config } = input;
  return config as StepConfig;
}

/** Whether a stored step asks exactly what `config` asks (same kind and settings). */
function sameConfig(step: StepRecord, config: StepConfig): boolean {
  return step.config !== null && JSON.stringify(canonical(step.config)) === JSON.stringify(canonical(config));
}

function canonical(config: StepConfig): [string, unknown][] {
  return Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
}
