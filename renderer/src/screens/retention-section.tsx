import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { can, DEFAULT_RETENTION_DAYS, RetentionDays } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote, RetryNote, LoadingBlock } from '../components/feedback';
import { daysForm } from '../forms/days-form';
import { useContractForm } from '../forms/use-contract-form';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/**
 * "Recordings": how long the full recordings of calls are kept (clips stay for good). Admins
 * change it; everyone else sees it.
 */
export function RetentionSection() {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const settings = useQuery(restQueries.teamSettings(session.rest));
  const isAdmin = role ? can.manageTeam(role) : false;

  return (
    <div className="panel" aria-labelledby="retention-title" data-testid="retention">
      <h2 id="retention-title">Recordings</h2>
      <p className="muted">
        Calls are recorded only when the host turns recording on and confirms the customer was told. Clips stay until someone deletes
        them; full recordings are deleted after the period below.
      </p>
      {settings.isPending ? (
        <LoadingBlock label="Loading recording settings…" />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : isAdmin ? (
        <RetentionDaysForm retentionDays={settings.data.settings.retentionDays} />
      ) : (
        <p data-testid="retention-days" data-days={settings.data.settings.retentionDays}>
          Full recordings are kept for <strong>{days(settings.data.settings.retentionDays)}</strong>.
        </p>
      )}
    </div>
  );
}

/** The days typed into the field, within the contract's `RetentionDays`. */
const RetentionForm = daysForm(RetentionDays);

function RetentionDaysForm({ retentionDays }: { retentionDays: number }) {
  const session = useSession();
  const queries = useQueryClient();
  const id = useId();
  const form = useContractForm(RetentionForm, { retentionDays: String(retentionDays) }, { retentionDays: 'Keep full recordings for' });
  const [saved, setSaved] = useState(false);
  const value = form.form.watch('retentionDays');
  const fieldError = form.fieldError('retentionDays') ?? null;
  const submit = form.submit(
    (body) => session.rest.call('updateTeamSettings', { body }),
    (reply) => {
      // Show what the server kept; the query's new value resets the form below.
      queries.setQueryData(queryKeys.teamSettings, reply);
      form.form.reset({ retentionDays: String(reply.settings.retentionDays) });
      setSaved(true);
    },
  );
  const save = (e: React.FormEvent) => {
    setSaved(false);
    return submit(e);
  };

  const describedBy = [fieldError ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');
  return (
    <form className="retention-form" onSubmit={(e) => void save(e)} noValidate aria-label="Recording retention">
      <div className={`retention-row${fieldError ? ' has-error' : ''}`}>
        <label htmlFor={id}>Keep full recordings for</label>
        <input
          id={id}
          className="retention-input"
          inputMode="numeric"
          maxLength={4}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy}
          data-testid="retention-input"
          {...form.form.register('retentionDays', {
            onChange: () => {
              form.form.clearErrors('retentionDays');
              setSaved(false);
            },
          })}
        />
        <span aria-hidden="true">days</span>
        <Button type="submit" busy={form.busy} busyLabel="Saving…" disabled={value.trim() === String(retentionDays)}>
          Save
        </Button>
        <span className="muted" role="status">
          {saved ? 'Saved' : ''}
        </span>
      </div>
      <p className="field-hint" id={`${id}-hint`}>
        From 1 to 3650 days (default {DEFAULT_RETENTION_DAYS}).
      </p>
      {fieldError ? (
        <p className="field-error" id={`${id}-error`}>
          {fieldError}
        </p>
      ) : null}
      <ErrorNote error={form.error} />
    </form>
  );
}
