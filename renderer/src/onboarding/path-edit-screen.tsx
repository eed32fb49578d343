import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CallKind, clipDisplayTitle, PathBody, StepKind, type Path, type StepInput } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote } from '../components/feedback';
import { SelectField, TextAreaField, TextField } from '../components/field';
import { LoadStatePage } from '../components/load-state-page';
import { useContractForm } from '../forms/use-contract-form';
import { callKindLabels } from '../labels';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { talkTrackQueries } from '../talk-tracks/talk-track-queries';
import { onboardingQueries } from './onboarding-queries';
import { pathNotFound } from './path-parts';

const stepKindLabels: Record<StepKind, string> = {
  clip: 'Hear a clip',
  'talk-track': 'Read a talk track',
  shadow: 'Shadow live calls',
  'host-with-mentor': 'Host a call with a mentor listening',
  task: 'A task',
};

/** Managers build a new path (`id` = `new`) or edit one; unchanged steps keep everyone's progress. */
export function PathEditScreen({ pathId }: { pathId: string }) {
  const session = useSession();
  const detail = useQuery({ ...onboardingQueries.path(session.rest, pathId), enabled: pathId !== 'new' });
  if (pathId === 'new') return <PathEditor path={null} />;
  if (!detail.data) {
    return (
      <LoadStatePage
        error={detail.error}
        title="Edit path"
        titleId="path-edit-title"
        loadingLabel="Loading the path…"
        notFound={pathNotFound}
        onRetry={() => void detail.refetch()}
      />
    );
  }
  return <PathEditor key={detail.data.path.id} path={detail.data.path} />;
}

/** A blank step of a kind, as the editor starts it. */
function blankStep(kind: StepKind): StepInput {
  switch (kind) {
    case 'clip':
      return { kind, clipId: '' };
    case 'talk-track':
      return { kind, trackId: '' };
    case 'shadow':
      return { kind, count: 3, callKind: 'any' };
    case 'host-with-mentor':
      return { kind };
    case 'task':
      return { kind, text: '' };
  }
}

function PathEditor({ path }: { path: Path | null }) {
  const session = useSession();
  const initial: PathBody = path
    ? { name: path.name, description: path.description, steps: path.steps.map(({ title: _t, available: _a, ...step }) => step as StepInput) }
    : { name: '', description: '', steps: [] };
  const f = useContractForm(PathBody, initial, { name: 'Name', description: 'Description', steps: 'Steps' });
  const steps = f.form.watch('steps') as StepInput[];
  const setSteps = (next: StepInput[]) => {
    f.form.setValue('steps', next);
    f.form.clearErrors('steps');
  };
  const [adding, setAdding] = useState<StepKind>('clip');
  const submit = f.submit(
    (body) => (path ? session.rest.call('updatePath', { params: { id: path.id }, body }) : session.rest.call('createPath', { body })),
    (reply) => {
      void session.queries.invalidateQueries({ queryKey: queryKeys.onboarding.all });
      navigate({ name: 'path', id: reply.path.id });
    },
  );
  const move = (i: number, by: -1 | 1) => {
    const next = steps.slice();
    const [step] = next.splice(i, 1);
    next.splice(i + by, 0, step!);
    setSteps(next);
  };
  return (
    <section className="page page-medium" aria-labelledby="path-edit-title">
      <div className="page-head">
        <h1 id="path-edit-title">{path ? `Edit “${path.name}”` : 'New onboarding path'}</h1>
      </div>
      <form className="panel form" aria-label="Path" onSubmit={(e) => void submit(e)} noValidate>
        <TextField label="Name" placeholder="e.g. First two weeks" maxLength={100} autoFocus {...f.field('name')} />
        <TextAreaField label="Description (optional)" rows={2} maxLength={2000} {...f.field('description')} />
        <fieldset className="onboarding-step-editor">
          <legend>Steps, in order</legend>
          {path ? <p className="muted">Assignees keep their progress on steps you leave unchanged. A changed or removed step no longer counts.</p> : null}
          {steps.length === 0 ? <p className="muted">No steps yet: add the first one below.</p> : null}
          <ol className="onboarding-steps">
            {steps.map((step, i) => (
              <li key={step.id ?? `new-${i}`} className="onboarding-step" data-testid="edit-step">
                <StepFields step={step} index={i} onChange={(s) => setSteps(steps.map((x, j) => (j === i ? s : x)))} />
                <div className="onboarding-step-actions">
                  <Button variant="ghost" disabled={i === 0} aria-label={`Move step ${i + 1} up`} onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button variant="ghost" disabled={i === steps.length - 1} aria-label={`Move step ${i + 1} down`} onClick={() => move(i, 1)}>
                    ↓
                  </Button>
                  <Button variant="ghost" aria-label={`Remove step ${i + 1}`} onClick={() => setSteps(steps.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
              </li>
            ))}
          </ol>
          {f.fieldError('steps') ? <p className="field-error">{f.fieldError('steps')}</p> : null}
          <div className="onboarding-add-step">
            <SelectField label="New step" value={adding} onChange={(e) => setAdding(e.currentTarget.value as StepKind)}>
              {StepKind.options.map((k) => (
                <option key={k} value={k}>
                  {stepKindLabels[k]}
                </option>
              ))}
            </SelectField>
            <Button variant="secondary" onClick={() => setSteps([...steps, blankStep(adding)])}>
              Add step
            </Button>
          </div>
        </fieldset>
        <ErrorNote error={f.error} />
        <div className="actions">
          <Button type="submit" busy={f.busy} busyLabel="Saving…">
            {path ? 'Save path' : 'Create path'}
          </Button>
          <a className="btn btn-ghost" href={path ? routeHref({ name: 'path', id: path.id }) : routeHref({ name: 'paths' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

/** The settings of one step, by kind. */
function StepFields({ step, index, onChange }: { step: StepInput; index: number; onChange(step: StepInput): void }) {
  const session = useSession();
  const clips = useQuery({ ...restQueries.clips(session.rest, {}), enabled: step.kind === 'clip' });
  const tracks = useQuery({ ...talkTrackQueries.list(session.rest, {}), enabled: step.kind === 'talk-track' });
  const label = `Step ${index + 1}: ${stepKindLabels[step.kind]}`;
  switch (step.kind) {
    case 'clip':
      return (
        <SelectField label={label} value={step.clipId} onChange={(e) => onChange({ ...step, clipId: e.currentTarget.value })}>
          <option value="">Pick a clip…</option>
          {(clips.data?.clips ?? [])
            .filter((c) => c.status === 'ready' || c.id === step.clipId)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {clipDisplayTitle(c)}
              </option>
            ))}
        </SelectField>
      );
    case 'talk-track':
      return (
        <SelectField label={label} value={step.trackId} onChange={(e) => onChange({ ...step, trackId: e.currentTarget.value })}>
          <option value="">Pick a talk track…</option>
          {(tracks.data?.tracks ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </SelectField>
      );
    case 'shadow':
      return (
        <div className="form-grid">
          <TextField
            label={`${label}: how many calls`}
            type="number"
            min={1}
            max={50}
            value={String(step.count)}
            onChange={(e) => onChange({ ...step, count: Number(e.currentTarget.value) })}
          />
          <SelectField label="Of kind" value={step.callKind} onChange={(e) => onChange({ ...step, callKind: e.currentTarget.value as CallKind | 'any' })}>
            <option value="any">Any kind</option>
            {CallKind.options.map((k) => (
              <option key={k} value={k}>
                {callKindLabels[k]}
              </option>
            ))}
          </SelectField>
        </div>
      );
    case 'host-with-mentor':
      return <p className="onboarding-step-label">{label}</p>;
    case 'task':
      return <TextField label={label} placeholder="e.g. Set up your CRM login" maxLength={300} value={step.text} onChange={(e) => onChange({ ...step, text: e.currentTarget.value })} />;
  }
}
