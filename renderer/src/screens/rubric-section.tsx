import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can, DEFAULT_RUBRIC, UpdateRubricBody } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote, LoadingBlock, RetryNote } from '../components/feedback';
import { TextAreaField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/**
 * "Review rubric": the skills managers score clips on. Admins change it (one skill a line);
 * scorecards already given keep the skills they were scored on.
 */
export function RubricSection() {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const rubric = useQuery(restQueries.rubric(session.rest));
  const isAdmin = role ? can.manageTeam(role) : false;
  return (
    <div className="panel" aria-labelledby="rubric-title" data-testid="rubric">
      <h2 id="rubric-title">Review rubric</h2>
      <p className="muted">The skills managers score clips on, 1 to 5 each. Changing them leaves scorecards already given as they were.</p>
      {rubric.isPending ? (
        <LoadingBlock label="Loading the rubric…" />
      ) : rubric.isError ? (
        <RetryNote error={rubric.error} onRetry={() => void rubric.refetch()} />
      ) : isAdmin ? (
        <RubricForm key={rubric.data.skills.join('\n')} skills={rubric.data.skills} />
      ) : (
        <ul className="rubric-skills">
          {rubric.data.skills.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RubricForm({ skills }: { skills: string[] }) {
  const session = useSession();
  const queries = useQueryClient();
  const [text, setText] = useState(skills.join('\n'));
  const { error, busy, submit, form, fieldError } = useContractForm(UpdateRubricBody, { skills }, { skills: 'Skills' });
  const lines = (value: string) => value.split('\n').map((l) => l.trim()).filter(Boolean);
  const onSubmit = submit(
    (data) => session.rest.call('updateRubric', { body: data }),
    (value) => {
      queries.setQueryData(queryKeys.reviews.rubric, value);
      notify('Rubric saved.', 'success');
    },
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Review rubric">
      <TextAreaField
        label="Skills, one a line"
        rows={Math.max(5, skills.length + 1)}
        value={text}
        error={fieldError('skills')}
        onChange={(e) => {
          setText(e.currentTarget.value);
          form.setValue('skills', lines(e.currentTarget.value));
          form.clearErrors('skills');
        }}
        hint={`Up to 12 skills. The default is ${DEFAULT_RUBRIC.join(', ')}.`}
      />
      <ErrorNote error={error} />
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          Save rubric
        </Button>
        <Button variant="ghost" onClick={() => {
          setText(DEFAULT_RUBRIC.join('\n'));
          form.setValue('skills', [...DEFAULT_RUBRIC]);
        }}>
          Use the default
        </Button>
      </div>
    </form>
  );
}
