/**
 * What "My onboarding" and a manager's path page say about an assignment: the next step, the
 * summary line, what is overdue. Pure functions over the contract's `Assignment`.
 */
import type { Assignment, StepConfig, StepProgress } from '../../../contract';
import { callKindLabels, formatDate } from '../labels';

/** The first step not done and still available, or null when nothing is left. */
export function nextStep(a: Pick<Assignment, 'steps'>): StepProgress | null {
  return a.steps.find((s) => s.state === 'todo') ?? null;
}

/** Whether the assignment still has steps to do (the app opens on "My onboarding" then). */
export function isActive(a: Pick<Assignment, 'done' | 'total'>): boolean {
  return a.done < a.total;
}

/** "3 of 5 steps done", with unavailable steps named apart. */
export function progressSummary(a: Pick<Assignment, 'done' | 'total' | 'unavailable'>): string {
  const main = a.total === 0 ? 'No steps to do' : a.done >= a.total ? `All ${a.total} ${a.total === 1 ? 'step' : 'steps'} done` : `${a.done} of ${a.total} steps done`;
  return a.unavailable > 0 ? `${main} · ${a.unavailable} unavailable` : main;
}

/** Percent done for a progress bar (0 when there is nothing to do). */
export function percentDone(a: Pick<Assignment, 'done' | 'total'>): number {
  return a.total === 0 ? 0 : Math.round((100 * Math.min(a.done, a.total)) / a.total);
}

/** The due line: "Due 12 Mar", "Overdue since 12 Mar" or "Finished". */
export function dueLabel(a: Pick<Assignment, 'dueAt' | 'overdue' | 'done' | 'total'>): string {
  if (!isActive(a)) return 'Finished';
  return a.overdue ? `Overdue since ${formatDate(a.dueAt)}` : `Due ${formatDate(a.dueAt)}`;
}

/** What a step asks, in words ("Shadow 3 demo calls", "Hear “Opener”"). */
export function stepLabel(s: StepConfig & { title: string | null }): string {
  switch (s.kind) {
    case 'clip':
      return s.title ? `Hear “${s.title}”` : 'Hear a clip';
    case 'talk-track':
      return s.title ? `Read “${s.title}”` : 'Read a talk track';
    case 'shadow': {
      const what = s.callKind === 'any' ? (s.count === 1 ? 'live call' : 'live calls') : `${callKindLabels[s.callKind].toLowerCase()} ${s.count === 1 ? 'call' : 'calls'}`;
      return `Shadow ${s.count} ${what}`;
    }
    case 'host-with-mentor':
      return 'Host a call with your mentor listening';
    case 'task':
      return s.text;
  }
}

/** A step's state in words, for its badge. */
export function stepStateLabel(s: StepProgress): string {
  if (s.state === 'done') return 'Done';
  if (s.state === 'unavailable') return s.unavailable === 'not-visible' ? 'Unavailable: not shared with the assignee' : 'Unavailable: deleted';
  if (s.kind === 'shadow') return `${s.have ?? 0} of ${s.count} so far`;
  if (s.kind === 'clip' && s.playedShare) return `${Math.floor(s.playedShare * 100)} % played`;
  return 'To do';
}

/** A date as a date input holds it (`YYYY-MM-DD`, local time). */
export function dateInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local midnight a date input's day starts at (ms). */
export function dayStart(value: string): number {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

/** The last millisecond of a date input's day, local time: a path due that day is due by its end. */
export function dayEnd(value: string): number {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d! + 1).getTime() - 1;
}
