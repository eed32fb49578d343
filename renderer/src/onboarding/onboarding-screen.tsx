import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { audioPaths, type Assignment, type PlayedRange, type StepProgress } from '../../../contract';
import { describeError } from '../api/errors';
import { restQueries, unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { formatDate } from '../labels';
import { useClipAudio } from '../player/use-clip-audio';
import { usePlaybackReport } from '../player/use-playback-report';
import { WaveformPlayer } from '../player/waveform-player';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';
import { onboardingQueries } from './onboarding-queries';
import { AssignmentHead, StepBadge } from './path-parts';
import { nextStep, stepLabel } from './progress';

/** "My onboarding": the caller's assigned paths, what is next, what is done, what is overdue. */
export function OnboardingScreen() {
  const session = useSession();
  // `onboarding:changed` pushes refresh this query through the session.
  const mine = useQuery(onboardingQueries.mine(session.rest));
  return (
    <section className="page page-medium" aria-labelledby="onboarding-title">
      <div className="page-head">
        <div>
          <h1 id="onboarding-title">My onboarding</h1>
          <p className="muted">The paths your manager assigned you. Listens of 5 minutes or more count toward shadowing steps on their own.</p>
        </div>
      </div>
      {mine.isError ? (
        <RetryNote error={mine.error} onRetry={() => void mine.refetch()} />
      ) : !mine.data ? (
        <LoadingBlock label="Loading your onboarding…" />
      ) : mine.data.assignments.length === 0 ? (
        <EmptyState title="Nothing assigned yet" testId="onboarding-empty">
          <p>When a manager assigns you an onboarding path, its steps show here.</p>
          <a className="btn btn-secondary" href={routeHref({ name: 'board' })}>
            Go to the board
          </a>
        </EmptyState>
      ) : (
        mine.data.assignments.map((a) => <AssignmentPanel key={a.id} assignment={a} />)
      )}
    </section>
  );
}

function AssignmentPanel({ assignment }: { assignment: Assignment }) {
  const next = nextStep(assignment);
  return (
    <article className="panel onboarding-path" data-testid="onboarding-assignment" aria-labelledby={`assignment-${assignment.id}`}>
      <AssignmentHead assignment={assignment} headingId={`assignment-${assignment.id}`} title={assignment.pathName} />
      {next ? (
        <p className="onboarding-next" data-testid="onboarding-next">
          <strong>Next:</strong> {stepLabel(next)}
        </p>
      ) : null}
      <ol className="onboarding-steps" aria-label={`Steps of ${assignment.pathName}`}>
        {assignment.steps.map((step) => (
          <li key={step.id} className={`onboarding-step is-${step.state}`} data-testid="onboarding-step" data-state={step.state} data-kind={step.kind}>
            <div className="onboarding-step-main">
              <span className="onboarding-step-label">{stepLabel(step)}</span>
              <StepBadge step={step} />
            </div>
            <StepWork assignment={assignment} step={step} />
          </li>
        ))}
      </ol>
    </article>
  );
}

/** Updates the cached "My onboarding" with an assignment the server returned. */
function useStepMutation<V>(call: (v: V) => Promise<{ ok: true; value: { assignment: Assignment } } | { ok: false; error: import('../../../contract').AppError }>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => unwrap(call(v)),
    onSuccess: ({ assignment }) => {
      queries.setQueryData(queryKeys.onboarding.mine, (old: { assignments: Assignment[] } | undefined) =>
        old ? { assignments: old.assignments.map((a) => (a.id === assignment.id ? assignment : a)) } : old,
      );
    },
    onError: (error) => notify(describeError(error), 'error'),
  });
}

/** What the assignee can do on a step: play the clip, open and acknowledge the track, tick the task. */
function StepWork({ assignment, step }: { assignment: Assignment; step: StepProgress }) {
  const session = useSession();
  const act = useStepMutation((action: 'open' | 'acknowledge' | 'tick' | 'untick') =>
    session.rest.call('stepAction', { params: { id: assignment.id, stepId: step.id }, body: { action } }),
  );
  if (step.state === 'unavailable') {
    return <p className="muted onboarding-step-hint">Your manager sees this step as unavailable; it does not count against you.</p>;
  }
  switch (step.kind) {
    case 'clip':
      return <ClipStep assignment={assignment} step={step} clipId={step.clipId} />;
    case 'talk-track':
      return (
        <div className="onboarding-step-actions">
          <a className="btn btn-secondary btn-sm" href={routeHref({ name: 'talk-track', id: step.trackId })} onClick={() => step.opened || act.mutate('open')}>
            Open talk track
          </a>
          {step.state === 'done' ? null : (
            <Button
              variant="secondary"
              busy={act.isPending}
              disabled={!step.opened}
              title={step.opened ? undefined : 'Open the talk track first'}
              onClick={() => act.mutate('acknowledge')}
            >
              I’ve read it
            </Button>
          )}
        </div>
      );
    case 'task':
      return (
        <label className="onboarding-task">
          <input type="checkbox" checked={step.state === 'done'} disabled={act.isPending} onChange={(e) => act.mutate(e.currentTarget.checked ? 'tick' : 'untick')} />
          <span>{step.state === 'done' ? 'Done' : 'Mark as done'}</span>
        </label>
      );
    case 'shadow':
      return <p className="muted onboarding-step-hint">Counts listens of 5 minutes or more since {formatDate(assignment.startAt)}; each call once.</p>;
    case 'host-with-mentor':
      return <p className="muted onboarding-step-hint">Go live while one of your mentors listens for 5 minutes or more.</p>;
  }
}

/** A clip step: its player, which reports what is really played (opening it is not enough). */
function ClipStep({ assignment, step, clipId }: { assignment: Assignment; step: StepProgress; clipId: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="onboarding-step-actions">
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {step.state === 'done' ? 'Listen again' : 'Listen'}
        </Button>
      </div>
    );
  }
  return <ClipStepPlayer assignment={assignment} step={step} clipId={clipId} />;
}

function ClipStepPlayer({ assignment, step, clipId }: { assignment: Assignment; step: StepProgress; clipId: string }) {
  const session = useSession();
  const clip = useQuery(restQueries.clip(session.rest, clipId));
  const durationMs = clip.data?.clip.durationMs ?? 0;
  const [audio, retry] = useClipAudio(clip.data ? audioPaths.clip(clipId) : null, durationMs);
  const played = useStepMutation((ranges: PlayedRange[]) =>
    session.rest.call('stepPlayback', { params: { id: assignment.id, stepId: step.id }, body: { ranges } }),
  );
  const { mutateAsync } = played;
  const report = useCallback((ranges: PlayedRange[]) => mutateAsync(ranges), [mutateAsync]);
  usePlaybackReport(audio.status === 'ready' ? audio.player : null, step.state === 'done' ? null : report);
  if (clip.isError) return <RetryNote error={clip.error} onRetry={() => void clip.refetch()} />;
  return (
    <div className="onboarding-player" data-testid="onboarding-player" data-state={audio.status}>
      <WaveformPlayer audio={audio} durationMs={durationMs} label={`Player: ${stepLabel(step)}`} onRetry={retry} commentShortcut={false} />
      <p className="muted onboarding-step-hint">Done once you have played at least 90 % of it.</p>
    </div>
  );
}
