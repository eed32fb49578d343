import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { Id, NudgeNote, type Assignment, type Path } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Button, EmptyState, ErrorNote } from '../components/feedback';
import { TextField } from '../components/field';
import { LoadStatePage } from '../components/load-state-page';
import { useContractForm } from '../forms/use-contract-form';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { onboardingQueries } from './onboarding-queries';
import { AssignmentHead, pathNotFound, StepBadge } from './path-parts';
import { dateInputValue, dayEnd, dayStart, nextStep, stepLabel } from './progress';

/** Managers: one path, its steps, assigning it, and each assignee's progress with a nudge. */
export function PathScreen({ pathId }: { pathId: string }) {
  const session = useSession();
  // `onboarding:changed` pushes refresh this query through the session.
  const detail = useQuery(onboardingQueries.path(session.rest, pathId));
  if (!detail.data) {
    return (
      <LoadStatePage
        error={detail.error}
        title="Onboarding path"
        titleId="path-title"
        loadingLabel="Loading the path…"
        notFound={pathNotFound}
        onRetry={() => void detail.refetch()}
      />
    );
  }
  const { path, assignments } = detail.data;
  return (
    <section className="page" aria-labelledby="path-title">
      <div className="page-head">
        <div>
          <h1 id="path-title">{path.name}</h1>
          {path.description ? <p className="muted">{path.description}</p> : null}
        </div>
        <a className="btn btn-secondary" href={routeHref({ name: 'path-edit', id: path.id })}>
          Edit path
        </a>
      </div>
      <PathSteps path={path} />
      <AssignForm pathId={path.id} />
      <h2>People on this path</h2>
      {assignments.length === 0 ? (
        <EmptyState title="Nobody is on this path yet" testId="path-no-assignees">
          <p>Assign it above; each person is told and sees it first when they sign in.</p>
        </EmptyState>
      ) : (
        assignments.map((a) => <AssigneeProgress key={a.id} assignment={a} />)
      )}
    </section>
  );
}

function PathSteps({ path }: { path: Path }) {
  return (
    <div className="panel">
      <h2>Steps</h2>
      <ol className="onboarding-steps" aria-label="Steps of this path">
        {path.steps.map((s) => (
          <li key={s.id} className={`onboarding-step${s.available ? '' : ' is-unavailable'}`} data-testid="path-step">
            <span className="onboarding-step-label">{stepLabel(s)}</span>
            {s.available ? null : <span className="badge onboarding-badge is-unavailable">Unavailable: deleted</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

const AssignForm_ = z
  .object({
    userIds: z.array(Id, { error: 'pick at least one person' }).min(1, 'pick at least one person'),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'pick a date'),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'pick a date'),
  })
  .refine((v) => v.due >= v.start, { message: 'must be on or after the start date', path: ['due'] });

function AssignForm({ pathId }: { pathId: string }) {
  const session = useSession();
  const members = useQuery(restQueries.members(session.rest));
  const today = new Date();
  const f = useContractForm(
    AssignForm_,
    { userIds: [], start: dateInputValue(today), due: dateInputValue(new Date(today.getTime() + 14 * 86_400_000)) },
    { userIds: 'People', start: 'Start date', due: 'Due date' },
  );
  const [assigned, setAssigned] = useState<number | null>(null);
  const submit = f.submit(
    (v) => session.rest.call('assignPath', { params: { id: pathId }, body: { userIds: v.userIds, startAt: dayStart(v.start), dueAt: dayEnd(v.due) } }),
    (reply) => {
      setAssigned(reply.assignments.length);
      f.form.reset({ ...f.form.getValues(), userIds: [] });
      void session.queries.invalidateQueries({ queryKey: queryKeys.onboarding.all });
    },
  );
  return (
    <form className="panel form" aria-label="Assign this path" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Assign</h2>
      <fieldset className="onboarding-people">
        <legend>People</legend>
        {(members.data?.members ?? []).filter((m) => m.deactivatedAt === null).map((m) => (
          <label key={m.id} className="checkbox">
            <input type="checkbox" value={m.id} {...f.form.register('userIds', { onChange: () => f.form.clearErrors('userIds') })} /> {m.name}
          </label>
        ))}
        {f.fieldError('userIds') ? <p className="field-error">{f.fieldError('userIds')}</p> : null}
      </fieldset>
      <div className="form-grid">
        <TextField label="Start date" type="date" {...f.field('start')} />
        <TextField label="Due date" type="date" {...f.field('due')} />
      </div>
      <ErrorNote error={f.error} />
      <div className="actions">
        <Button type="submit" busy={f.busy} busyLabel="Assigning…">
          Assign
        </Button>
        {assigned !== null ? <span className="muted" role="status">Assigned to {assigned === 1 ? '1 person' : `${assigned} people`}.</span> : null}
      </div>
    </form>
  );
}

function AssigneeProgress({ assignment }: { assignment: Assignment }) {
  const next = nextStep(assignment);
  return (
    <article className="panel onboarding-path" data-testid="assignee-progress" data-user={assignment.userName} aria-labelledby={`assignee-${assignment.id}`}>
      <AssignmentHead assignment={assignment} title={assignment.userName} headingId={`assignee-${assignment.id}`} />
      {next ? <p className="onboarding-next">Next: {stepLabel(next)}</p> : null}
      <ol className="onboarding-steps" aria-label={`${assignment.userName}’s steps`}>
        {assignment.steps.map((s) => (
          <li key={s.id} className={`onboarding-step is-${s.state}`} data-testid="assignee-step" data-state={s.state} data-kind={s.kind}>
            <div className="onboarding-step-main">
              <span className="onboarding-step-label">{stepLabel(s)}</span>
              <StepBadge step={s} />
            </div>
          </li>
        ))}
      </ol>
      <NudgeForm assignment={assignment} />
    </article>
  );
}

function NudgeForm({ assignment }: { assignment: Assignment }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const parsed = NudgeNote.safeParse(note);
  const nudge = useNotifiedMutation({
    call: () => session.rest.call('nudge', { params: { id: assignment.id }, body: { note } }),
    success: `${assignment.userName} was nudged.`,
    then: () => {
      setOpen(false);
      setNote('');
    },
  });
  if (!open) {
    return (
      <div className="actions">
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Nudge
        </Button>
      </div>
    );
  }
  return (
    <form
      className="onboarding-nudge"
      aria-label={`Nudge ${assignment.userName}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.success) nudge.mutate();
      }}
    >
      <TextField
        label="Note (optional)"
        value={note}
        maxLength={200}
        autoFocus
        onChange={(e) => setNote(e.currentTarget.value)}
        error={parsed.success ? undefined : parsed.error.issues[0]?.message}
      />
      <div className="actions">
        <Button type="submit" busy={nudge.isPending} busyLabel="Sending…">
          Send nudge
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
