/**
 * Onboarding paths over real HTTP: building and editing paths, assigning them, progress from the
 * player's playback reports, talk tracks and tasks, unavailable steps, nudges, and every refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYBACK_PACE, PLAYBACK_SLACK_MS, routes, type Assignment, type AuthReply, type PathBody } from '../../contract';
import { rivalTeam, runCleanups } from '../helpers/live-call';
import { call, expectRefused, onboardingTeam, type OnboardingTeam } from '../helpers/onboarding-team';
import { unwrap } from '../helpers/test-server';

let t: OnboardingTeam;
let rival: AuthReply;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  t = await onboardingTeam();
  rival = await rivalTeam(t.server);
}, 120_000);
afterAll(runCleanups);

const body = (over: Partial<PathBody> = {}): PathBody => ({
  name: 'First week',
  description: 'What every new rep does first.',
  steps: [
    { kind: 'clip', clipId: t.clips.opener.id },
    { kind: 'talk-track', trackId: t.track.id },
    { kind: 'shadow', count: 2, callKind: 'demo' },
    { kind: 'host-with-mentor' },
    { kind: 'task', text: 'Set up your CRM login' },
  ],
  ...over,
});
const mine = async (who: AuthReply) => unwrap((await call(t, who, routes.myOnboarding)).result).assignments;
const detail = async (pathId: string) => unwrap((await call(t, t.mia, routes.path, { params: { id: pathId } })).result);
const assign = (who: AuthReply, pathId: string, userIds: string[], dueAt = t.now() + 7 * DAY) =>
  call(t, who, routes.assignPath, { params: { id: pathId }, body: { userIds, startAt: t.now() - HOUR, dueAt } });
const stepOf = (a: Assignment, kind: string) => a.steps.find((s) => s.kind === kind)!;
const notificationsOf = async (who: AuthReply) => unwrap((await call(t, who, routes.notifications)).result).notifications;

async function newAssignedPath(over: Partial<PathBody> = {}, who: AuthReply = t.nina) {
  const path = unwrap((await call(t, t.mia, routes.createPath, { body: body(over) })).result).path;
  const [assignment] = unwrap((await assign(t.mia, path.id, [who.user.id])).result).assignments;
  return { path, assignment: assignment! };
}

describe('building and assigning paths', () => {
  it('a manager builds a path of every kind of step, lists it, and assigning tells the assignee', async () => {
    const path = unwrap((await call(t, t.mia, routes.createPath, { body: body() })).result).path;
    expect(path.steps.map((s) => [s.kind, s.title, s.available])).toEqual([
      ['clip', 'Opener', true],
      ['talk-track', 'Price objection', true],
      ['shadow', null, true],
      ['host-with-mentor', null, true],
      ['task', null, true],
    ]);
    expect(unwrap((await call(t, t.admin, routes.paths)).result).paths.map((p) => p.id)).toContain(path.id);

    const assigned = unwrap((await assign(t.mia, path.id, [t.nina.user.id])).result).assignments;
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({ userId: t.nina.user.id, pathName: 'First week', done: 0, total: 5, unavailable: 0, overdue: false });
    expect((await mine(t.nina)).map((a) => a.pathId)).toContain(path.id);
    expect(await mine(t.tom)).toEqual([]);
    const note = (await notificationsOf(t.nina)).find((n) => n.kind === 'path-assigned');
    expect(note).toMatchObject({ actorId: t.mia.user.id, payload: { pathId: path.id, pathName: 'First week', assignmentId: assigned[0]!.id } });
    expect((await detail(path.id)).assignments.map((a) => a.userName)).toEqual(['Nina New']);
    expect((await detail(path.id)).path.assigneeCount).toBe(1);
  });

  it('a path past its due date with steps left is overdue; re-assigning moves the dates, keeping one assignment', async () => {
    const { path, assignment } = await newAssignedPath({ name: 'Late one', steps: [{ kind: 'task', text: 'Read the handbook' }] });
    const late = unwrap((await assign(t.mia, path.id, [t.nina.user.id], t.now() - 1000)).result).assignments[0]!;
    expect(late).toMatchObject({ id: assignment.id, overdue: true });
    const done = unwrap((await call(t, t.nina, routes.stepAction, { params: { id: assignment.id, stepId: late.steps[0]!.id }, body: { action: 'tick' } })).result);
    expect(done.assignment).toMatchObject({ done: 1, total: 1, overdue: false });
    expect((await detail(path.id)).assignments).toHaveLength(1);
  });

  it('refuses: bad input (no steps, a shadow count of 0, a due date before the start) and nothing is created', async () => {
    const before = unwrap((await call(t, t.mia, routes.paths)).result).paths.length;
    expectRefused(await call(t, t.mia, routes.createPath, { body: body({ steps: [] }) }), 'BAD_REQUEST');
    expectRefused(await call(t, t.mia, routes.createPath, { body: body({ steps: [{ kind: 'shadow', count: 0, callKind: 'demo' }] }) }), 'BAD_REQUEST');
    expectRefused(await call(t, t.mia, routes.createPath, { body: body({ steps: [{ kind: 'clip', clipId: 'no-such-clip' }] }) }), 'NOT_FOUND');
    expect(unwrap((await call(t, t.mia, routes.paths)).result).paths).toHaveLength(before);
    const { path } = await newAssignedPath({ name: 'Dates' }, t.tom);
    const r = await call(t, t.mia, routes.assignPath, { params: { id: path.id }, body: { userIds: [t.nina.user.id], startAt: t.now(), dueAt: t.now() - DAY } });
    expectRefused(r, 'BAD_REQUEST');
    expect((await detail(path.id)).assignments.map((a) => a.userName)).toEqual(['Tom Rep']);
  });

  it('refuses: a rep or mentor builds, lists, reads, edits or assigns paths, and nothing changes', async () => {
    const { path } = await newAssignedPath({ name: 'Managers only' }, t.tom);
    for (const who of [t.nina, t.max]) {
      expectRefused(await call(t, who, routes.createPath, { body: body() }), 'FORBIDDEN');
      expectRefused(await call(t, who, routes.paths), 'FORBIDDEN');
      expectRefused(await call(t, who, routes.path, { params: { id: path.id } }), 'FORBIDDEN');
      expectRefused(await call(t, who, routes.updatePath, { params: { id: path.id }, body: body({ name: 'Hijacked' }) }), 'FORBIDDEN');
      expectRefused(await assign(who, path.id, [who.user.id]), 'FORBIDDEN');
    }
    const after = await detail(path.id);
    expect(after.path.name).toBe('Managers only');
    expect(after.assignments.map((a) => a.userName)).toEqual(['Tom Rep']);
    expect(await mine(t.max)).toEqual([]);
  });

  it('refuses: another team sees, edits or assigns our paths, or is assigned one; nothing changes', async () => {
    const { path, assignment } = await newAssignedPath({ name: 'Ours' }, t.tom);
    expectRefused(await call(t, rival, routes.path, { params: { id: path.id } }), 'NOT_FOUND');
    expectRefused(await call(t, rival, routes.updatePath, { params: { id: path.id }, body: body({ name: 'Theirs' }) }), 'NOT_FOUND');
    expectRefused(await assign(rival, path.id, [rival.user.id]), 'NOT_FOUND');
    expect(unwrap((await call(t, rival, routes.paths)).result).paths).toEqual([]);
    expectRefused(await call(t, rival, routes.nudge, { params: { id: assignment.id }, body: { note: 'hi' } }), 'NOT_FOUND');
    expectRefused(await call(t, rival, routes.stepAction, { params: { id: assignment.id, stepId: assignment.steps[4]!.id }, body: { action: 'tick' } }), 'NOT_FOUND');
    expectRefused(await assign(t.mia, path.id, [rival.user.id]), 'NOT_FOUND');
    const after = await detail(path.id);
    expect(after.path.name).toBe('Ours');
    expect(after.assignments.map((a) => [a.userName, a.done])).toEqual([['Tom Rep', 0]]);
  });
});

describe('progress', () => {
  it('a clip step is done only once the player reported 90 % played, at a pace real playback allows', async () => {
    const { path, assignment } = await newAssignedPath({ name: 'Hear it' });
    const step = stepOf(assignment, 'clip');
    const seconds = t.clips.opener.durationMs / 1000;
    const report = (ranges: [number, number][]) => call(t, t.nina, routes.stepPlayback, { params: { id: assignment.id, stepId: step.id }, body: { ranges } });
    // Opening it (the first report, nothing played yet) is not enough.
    expect(stepOf(unwrap((await report([])).result).assignment, 'clip')).toMatchObject({ state: 'todo', playedShare: 0 });
    // A claim of the whole clip at once, faster than it can be played even at 2×: stored, not believed.
    const rushed = stepOf(unwrap((await report([[0, seconds]])).result).assignment, 'clip');
    expect(rushed).toMatchObject({ state: 'todo', doneAt: null, playedShare: 1 });
    // Half the time playing it at the player's fastest speed takes: still too soon.
    const fastest = PLAYBACK_PACE * t.clips.opener.durationMs - PLAYBACK_SLACK_MS;
    t.advance(Math.floor(fastest / 2));
    expect(stepOf(unwrap((await report([])).result).assignment, 'clip').state).toBe('todo');
    // Once as much time passed as playing it takes, the stored claim is believed.
    t.advance(t.clips.opener.durationMs);
    const done = unwrap((await report([])).result).assignment;
    expect(stepOf(done, 'clip')).toMatchObject({ state: 'done', playedShare: 1, doneAt: t.now() });
    expect(done.done).toBe(1);
    // The manager sees it.
    const seen = (await detail(path.id)).assignments.find((a) => a.id === assignment.id)!;
    expect(stepOf(seen, 'clip')).toMatchObject({ state: 'done', doneAt: t.now() });
  });

  it('a clip played to less than 90 % is not done, however long it took', async () => {
    const { assignment } = await newAssignedPath({ name: 'Most of it' });
    const step = stepOf(assignment, 'clip');
    const seconds = t.clips.opener.durationMs / 1000;
    const report = (ranges: [number, number][]) => call(t, t.nina, routes.stepPlayback, { params: { id: assignment.id, stepId: step.id }, body: { ranges } });
    unwrap((await report([])).result);
    t.advance(10 * t.clips.opener.durationMs);
    // Two stretches with a gap: 0–30 % and 60–90 %.
    const partial = stepOf(unwrap((await report([[0, seconds * 0.3], [seconds * 0.6, seconds * 0.9]])).result).assignment, 'clip');
    expect(partial.state).toBe('todo');
    expect(partial.playedShare).toBeCloseTo(0.6, 2);
  });

  it('a talk track step needs opening, then acknowledging; a task is ticked and unticked by its assignee', async () => {
    const { assignment } = await newAssignedPath({ name: 'Read it' });
    const track = stepOf(assignment, 'talk-track');
    const task = stepOf(assignment, 'task');
    const act = (stepId: string, action: string) => call(t, t.nina, routes.stepAction, { params: { id: assignment.id, stepId }, body: { action } });
    expectRefused(await act(track.id, 'acknowledge'), 'CONFLICT');
    expect(stepOf(unwrap((await act(track.id, 'open')).result).assignment, 'talk-track')).toMatchObject({ opened: true, state: 'todo' });
    expect(stepOf(unwrap((await act(track.id, 'acknowledge')).result).assignment, 'talk-track').state).toBe('done');
    expectRefused(await act(track.id, 'tick'), 'BAD_REQUEST');
    expect(stepOf(unwrap((await act(task.id, 'tick')).result).assignment, 'task').state).toBe('done');
    const undone = unwrap((await act(task.id, 'untick')).result).assignment;
    expect(stepOf(undone, 'task').state).toBe('todo');
    expect(undone.done).toBe(1);
  });

  it('refuses: a rep (or a manager) marks another person’s step or reports their playback; nothing changes', async () => {
    const { path, assignment } = await newAssignedPath({ name: 'Not yours' });
    const task = stepOf(assignment, 'task');
    const clip = stepOf(assignment, 'clip');
    for (const who of [t.tom, t.mia]) {
      expectRefused(await call(t, who, routes.stepAction, { params: { id: assignment.id, stepId: task.id }, body: { action: 'tick' } }), who === t.tom ? 'NOT_FOUND' : 'FORBIDDEN');
      expectRefused(
        await call(t, who, routes.stepPlayback, { params: { id: assignment.id, stepId: clip.id }, body: { ranges: [[0, 1]] } }),
        who === t.tom ? 'NOT_FOUND' : 'FORBIDDEN',
      );
    }
    const seen = (await detail(path.id)).assignments.find((a) => a.id === assignment.id)!;
    expect(seen.steps.map((s) => [s.state, s.playedShare ?? null])).toEqual(assignment.steps.map((s) => [s.state, s.playedShare ?? null]));
    expect(seen.done).toBe(0);
  });

  it('refuses: claiming a clip the assignee may not hear; the step shows unavailable to both and leaves the total', async () => {
    const { path, assignment } = await newAssignedPath({
      name: 'Private clip',
      steps: [{ kind: 'clip', clipId: t.clips.secret.id }, { kind: 'task', text: 'Say hello' }],
    });
    const step = assignment.steps[0]!;
    expect(step).toMatchObject({ state: 'unavailable', unavailable: 'not-visible', title: 'Secret' });
    expect(assignment).toMatchObject({ total: 1, unavailable: 1, done: 0 });
    expectRefused(await call(t, t.nina, routes.stepPlayback, { params: { id: assignment.id, stepId: step.id }, body: { ranges: [[0, 1]] } }), 'FORBIDDEN');
    const seen = (await detail(path.id)).assignments[0]!;
    expect(seen.steps[0]).toMatchObject({ state: 'unavailable', unavailable: 'not-visible', playedShare: null });
    // The remaining step completes the path.
    const done = unwrap((await call(t, t.nina, routes.stepAction, { params: { id: assignment.id, stepId: assignment.steps[1]!.id }, body: { action: 'tick' } })).result);
    expect(done.assignment).toMatchObject({ done: 1, total: 1, unavailable: 1 });
  });

  it('a deleted clip or talk track shows as unavailable to the manager and the assignee, never dropped', async () => {
    const track = unwrap((await call(t, t.max, routes.createTalkTrack, { body: { title: 'Short-lived', situation: 'x', whatToSay: 'y' } })).result).track;
    const { path, assignment } = await newAssignedPath({
      name: 'Gone',
      steps: [{ kind: 'clip', clipId: t.clips.spare.id }, { kind: 'talk-track', trackId: track.id }, { kind: 'task', text: 'Stay' }],
    });
    expect(assignment.total).toBe(3);
    unwrap((await call(t, t.max, routes.deleteClip, { params: { id: t.clips.spare.id } })).result);
    unwrap((await call(t, t.max, routes.deleteTalkTrack, { params: { id: track.id } })).result);
    const seen = await detail(path.id);
    expect(seen.path.steps.map((s) => [s.kind, s.available])).toEqual([['clip', false], ['talk-track', false], ['task', true]]);
    expect(seen.assignments[0]!.steps.map((s) => [s.kind, s.state, s.unavailable])).toEqual([
      ['clip', 'unavailable', 'deleted'],
      ['talk-track', 'unavailable', 'deleted'],
      ['task', 'todo', null],
    ]);
    const own = (await mine(t.nina)).find((a) => a.id === assignment.id)!;
    expect(own).toMatchObject({ total: 1, unavailable: 2 });
  });

  it('editing a path keeps progress on unchanged steps; changed and removed steps no longer count', async () => {
    const { path, assignment } = await newAssignedPath({ name: 'Edit me' });
    const act = (a: Assignment, stepId: string, action: string) => call(t, t.nina, routes.stepAction, { params: { id: a.id, stepId }, body: { action } });
    const task = stepOf(assignment, 'task');
    const track = stepOf(assignment, 'talk-track');
    unwrap((await act(assignment, task.id, 'tick')).result);
    unwrap((await act(assignment, track.id, 'open')).result);
    unwrap((await act(assignment, track.id, 'acknowledge')).result);
    const steps = path.steps;
    const edited = unwrap(
      (
        await call(t, t.mia, routes.updatePath, {
          params: { id: path.id },
          body: {
            name: 'Edited',
            steps: [
              { id: task.id, kind: 'task', text: 'Set up your CRM login' }, // unchanged, moved first
              { id: steps[0]!.id, kind: 'clip', clipId: t.clips.opener.id },
              { id: track.id, kind: 'task', text: 'Changed into a task' }, // same id, new settings: a new step
            ],
          },
        })
      ).result,
    ).path;
    expect(edited.steps.map((s) => s.kind)).toEqual(['task', 'clip', 'task']);
    expect(edited.steps[0]!.id).toBe(task.id);
    expect(edited.steps[1]!.id).toBe(steps[0]!.id);
    expect(edited.steps[2]!.id).not.toBe(track.id);
    const after = (await mine(t.nina)).find((a) => a.id === assignment.id)!;
    expect(after.steps.map((s) => s.state)).toEqual(['done', 'todo', 'todo']);
    expect(after).toMatchObject({ done: 1, total: 3, pathName: 'Edited' });
    // The removed step is gone from the path for good.
    expectRefused(await act(assignment, track.id, 'acknowledge'), 'NOT_FOUND');
  });
});

describe('nudges and metrics', () => {
  it('a manager nudges an assignee with a note, at most 3 times a day per assignee', async () => {
    const { assignment } = await newAssignedPath({ name: 'Nudged' }, t.tom);
    for (const note of ['one', 'two', '']) unwrap((await call(t, t.mia, routes.nudge, { params: { id: assignment.id }, body: { note } })).result);
    const r = await call(t, t.admin, routes.nudge, { params: { id: assignment.id }, body: { note: 'four' } });
    expectRefused(r, 'RATE_LIMITED');
    const nudges = (await notificationsOf(t.tom)).filter((n) => n.kind === 'onboarding-nudge');
    expect(nudges.map((n) => (n.kind === 'onboarding-nudge' ? n.payload.note : null)).sort()).toEqual(['', 'one', 'two']);
    expect(nudges[0]).toMatchObject({ actorId: t.mia.user.id, payload: { assignmentId: assignment.id } });
  });

  it('refuses: a rep nudges (even their own assignment); nobody is notified', async () => {
    const { assignment } = await newAssignedPath({ name: 'No rep nudges' });
    const before = (await notificationsOf(t.nina)).filter((n) => n.kind === 'onboarding-nudge').length;
    expectRefused(await call(t, t.tom, routes.nudge, { params: { id: assignment.id }, body: { note: 'hey' } }), 'FORBIDDEN');
    expectRefused(await call(t, t.nina, routes.nudge, { params: { id: assignment.id }, body: { note: 'hey' } }), 'FORBIDDEN');
    expect((await notificationsOf(t.nina)).filter((n) => n.kind === 'onboarding-nudge')).toHaveLength(before);
  });

  it('exposes steps completed in a window and each person’s progress for the metrics', async () => {
    const from = t.now();
    const { assignment } = await newAssignedPath({ name: 'Metrics', steps: [{ kind: 'task', text: 'A' }, { kind: 'task', text: 'B' }] }, t.max);
    unwrap((await call(t, t.max, routes.stepAction, { params: { id: assignment.id, stepId: assignment.steps[0]!.id }, body: { action: 'tick' } })).result);
    const to = t.now() + 1;
    expect((await t.server.onboarding.stepsCompletedBetween(t.admin.team.id, from, to)).get(t.max.user.id)).toBe(1);
    expect((await t.server.onboarding.stepsCompletedBetween(t.admin.team.id, to, to + DAY)).get(t.max.user.id) ?? 0).toBe(0);
    expect((await t.server.onboarding.progressOf(t.admin.team.id)).get(t.max.user.id)).toEqual({ done: 1, total: 2 });
    expect((await t.server.onboarding.progressOf(rival.team.id)).size).toBe(0);
  });
});
