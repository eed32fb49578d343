import { describe, expect, it } from 'vitest';
import type { Assignment, StepProgress } from '../../../../contract';
import { dayEnd, dayStart, dueLabel, isActive, nextStep, percentDone, progressSummary, stepLabel, stepStateLabel } from '../../../../renderer/src/onboarding/progress';

const base = { title: null, doneAt: null, unavailable: null, have: null, opened: false, playedShare: null } as const;
const task = (id: string, state: StepProgress['state']): StepProgress => ({ ...base, id, kind: 'task', text: `Task ${id}`, state });

function assignment(steps: StepProgress[], over: Partial<Assignment> = {}): Assignment {
  const done = steps.filter((s) => s.state === 'done').length;
  const unavailable = steps.filter((s) => s.state === 'unavailable').length;
  return {
    id: 'a',
    pathId: 'p',
    pathName: 'Ramp',
    userId: 'u',
    userName: 'Nina',
    startAt: 0,
    dueAt: new Date(2026, 2, 12, 23, 59).getTime(),
    assignedAt: 0,
    steps,
    done,
    total: steps.length - unavailable,
    unavailable,
    overdue: false,
    ...over,
  };
}

describe('onboarding progress', () => {
  it('the next step is the first to do, skipping done and unavailable ones', () => {
    expect(nextStep(assignment([task('1', 'done'), task('2', 'unavailable'), task('3', 'todo'), task('4', 'todo')]))?.id).toBe('3');
    expect(nextStep(assignment([task('1', 'done'), task('2', 'unavailable')]))).toBeNull();
  });

  it('sums up done out of total, naming unavailable steps apart', () => {
    expect(progressSummary(assignment([task('1', 'done'), task('2', 'todo'), task('3', 'todo')]))).toBe('1 of 3 steps done');
    expect(progressSummary(assignment([task('1', 'done'), task('2', 'unavailable')]))).toBe('All 1 step done · 1 unavailable');
    expect(progressSummary(assignment([]))).toBe('No steps to do');
    expect(percentDone(assignment([task('1', 'done'), task('2', 'todo'), task('3', 'todo')]))).toBe(33);
    expect(percentDone(assignment([]))).toBe(0);
  });

  it('is active while steps are left; overdue says since when, finished says so', () => {
    const open = assignment([task('1', 'todo')]);
    expect(isActive(open)).toBe(true);
    expect(dueLabel(open)).toMatch(/^Due /);
    expect(dueLabel({ ...open, overdue: true })).toMatch(/^Overdue since /);
    const finished = assignment([task('1', 'done'), task('2', 'unavailable')]);
    expect(isActive(finished)).toBe(false);
    expect(dueLabel({ ...finished, overdue: false })).toBe('Finished');
  });

  it('words each kind of step and its state', () => {
    expect(stepLabel({ kind: 'shadow', count: 3, callKind: 'demo', title: null })).toBe('Shadow 3 demo calls');
    expect(stepLabel({ kind: 'shadow', count: 1, callKind: 'any', title: null })).toBe('Shadow 1 live call');
    expect(stepLabel({ kind: 'clip', clipId: 'c', title: 'Opener' })).toBe('Hear “Opener”');
    expect(stepLabel({ kind: 'talk-track', trackId: 't', title: null })).toBe('Read a talk track');
    expect(stepLabel({ kind: 'host-with-mentor', title: null })).toBe('Host a call with your mentor listening');
    expect(stepStateLabel({ ...base, id: 's', kind: 'shadow', count: 3, callKind: 'any', state: 'todo', have: 1 })).toBe('1 of 3 so far');
    expect(stepStateLabel({ ...base, id: 'c', kind: 'clip', clipId: 'c', state: 'todo', playedShare: 0.456 })).toBe('45 % played');
    expect(stepStateLabel({ ...base, id: 'c', kind: 'clip', clipId: 'c', state: 'unavailable', unavailable: 'not-visible' })).toMatch(/not shared/);
    expect(stepStateLabel(task('1', 'done'))).toBe('Done');
  });

  it('a due date input means the end of that local day; a start date its beginning', () => {
    expect(dayStart('2026-03-12')).toBe(new Date(2026, 2, 12).getTime());
    expect(dayEnd('2026-03-12')).toBe(new Date(2026, 2, 13).getTime() - 1);
  });
});
