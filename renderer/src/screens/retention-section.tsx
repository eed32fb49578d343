import { useId, useState } from 'react';
import { can, DEFAULT_RETENTION_DAYS, type AppError } from '../../../contract';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { useLoad } from '../components/use-load';
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
  const [settings, reload] = useLoad('team-settings', () => session.rest.call('teamSettings'));
  const isAdmin = role ? can.manageTeam(role) : false;

  return (
    <div className="panel" aria-labelledby="retention-title" data-testid="retention">
      <h2 id="retention-title">Recordings</h2>
      <p className="muted">
        Calls are recorded only when the host turns recording on and confirms the customer was told. Clips stay until someone deletes
        them; full recordings are deleted after the period below.
      </p>
      {settings.status === 'loading' ? (
        <LoadingBlock label="Loading recording settings…" />
      ) : settings.status === 'error' ? (
        <ErrorNote error={settings.error}>
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </ErrorNote>
      ) : isAdmin ? (
        <RetentionForm retentionDays={settings.value.settings.retentionDays} />
      ) : (
        <p data-testid="retention-days" data-days={settings.value.settings.retentionDays}>
          Full recordings are kept for <strong>{days(settings.value.settings.retentionDays)}</strong>.
        </p>
      )}
    </div>
  );
}

function RetentionForm({ retentionDays }: { retentionDays: number }) {
  const session = useSession();
  const id = useId();
  /** The value the server has. */
  const [current, setCurrent] = useState(retentionDays);
  const [value, setValue] = useState(String(retentionDays));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > 3650) {
      setFieldError('Keep full recordings for a whole number of days from 1 to 3650.');
      return;
    }
    setFieldError(null);
    setError(null);
    setSaved(false);
    setBusy(true);
    const reply = await session.rest.call('updateTeamSettings', { body: { retentionDays: n } });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    setCurrent(reply.value.settings.retentionDays);
    setValue(String(reply.value.settings.retentionDays));
    setSaved(true);
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
          value={value}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy}
          data-testid="retention-input"
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setFieldError(null);
            setSaved(false);
          }}
        />
        <span aria-hidden="true">days</span>
        <Button type="submit" busy={busy} busyLabel="Saving…" disabled={value.trim() === String(current)}>
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
      <ErrorNote error={error} />
    </form>
  );
}
