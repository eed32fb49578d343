import { useId, useRef, useState } from 'react';
import { z } from 'zod';
import { AccountName, CallKind, CallTitle, ListenPolicy, type OpenBoardCall, type RecordingChoice } from '../../../contract';
import { useBoard } from '../api/use-board';
import { AudioSources } from '../components/audio-sources';
import { Button, ErrorNote } from '../components/feedback';
import { SelectField, TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { callKindLabels, policyLabels } from '../labels';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { GoLiveChoices, type AudienceChoices } from '../questions/go-live-choices';
import { HostLiveView } from './host-live-view';
import { ResumeCallPanel } from './resume-call-panel';

const GoLiveForm = z.object({ title: CallTitle, account: AccountName, kind: CallKind, policy: ListenPolicy });

/** The Go live panel, or the host's live view while a call runs. */
export function GoLiveScreen() {
  const phase = useAppStore((s) => s.host.phase);
  const myId = useAppStore((s) => s.me?.user.id);
  const openCall = useBoard((calls) => calls.find((c): c is OpenBoardCall => !c.restricted && c.hostId === myId) ?? null).data ?? null;
  if (phase === 'live' || phase === 'ending' || phase === 'ended') return <HostLiveView />;
  if (openCall) {
    return (
      <section className="page page-medium" aria-labelledby="go-live-title">
        <div className="page-head">
          <h1 id="go-live-title">Go live</h1>
        </div>
        <ResumeCallPanel call={openCall} />
      </section>
    );
  }
  return <GoLivePanel />;
}

const policyHints: Record<ListenPolicy, string> = {
  team: 'Anyone on your team can listen.',
  'mentees-and-managers': 'Only the people you mentor, plus managers and admins.',
  managers: 'Only managers and admins can ride along.',
};

const CONSENT_REQUIRED = 'Confirm that you told the customer this call is recorded, or turn recording off.';

function GoLivePanel() {
  const session = useSession();
  const starting = useAppStore((s) => s.host.phase === 'starting');
  const lastError = useAppStore((s) => s.host.error);
  const online = useAppStore((s) => s.connection === 'online');
  const form = useContractForm(GoLiveForm, { title: '', account: '', kind: 'other', policy: 'team' }, { title: 'Call title', account: 'Account', kind: 'Kind of call' });
  const [recording, setRecording] = useState<RecordingChoice>({ enabled: false, customerInformed: false });
  const [consentError, setConsentError] = useState<string | null>(null);
  const consent = useRef<HTMLInputElement>(null);
  const [audience, setAudience] = useState<AudienceChoices>({ questionsLive: false, whispers: false, managersMayJoin: true });

  const goLive = form.submit((input) =>
    session.host.goLive({ ...input, recording, questions: audience.questionsLive ? 'live' : 'after-call', whispers: audience.whispers, managersMayJoin: audience.managersMayJoin }),
  );
  const onSubmit = async (e: React.FormEvent) => {
    if (recording.enabled && !recording.customerInformed) {
      e.preventDefault();
      setConsentError(CONSENT_REQUIRED);
      consent.current?.focus();
      // Still show what else needs fixing, without going live.
      await form.form.trigger();
      return;
    }
    await goLive(e);
  };
  const policy = form.form.watch('policy');

  return (
    <section className="page page-medium" aria-labelledby="go-live-title">
      <div className="page-head">
        <div>
          <h1 id="go-live-title">Go live</h1>
          <p className="muted">Share the call you’re on. Teammates listen silently; the customer never hears them.</p>
        </div>
      </div>
      <form className="panel form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Go live">
        <div className="form-grid">
          <TextField label="Call title" placeholder="e.g. Discovery call" maxLength={120} autoFocus {...form.field('title')} />
          <TextField label="Account (optional)" placeholder="e.g. Globex" maxLength={120} {...form.field('account')} />
        </div>
        <SelectField label="Kind of call" hint="Shown on the board; onboarding counts shadowed calls by kind." {...form.field('kind')}>
          {CallKind.options.map((k) => (
            <option key={k} value={k}>
              {callKindLabels[k]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Who may listen" hint={policyHints[policy]} {...form.field('policy')}>
          {ListenPolicy.options.map((p) => (
            <option key={p} value={p}>
              {policyLabels[p]}
            </option>
          ))}
        </SelectField>
        <RecordingFields
          value={recording}
          consentError={consentError}
          consentRef={consent}
          onChange={(next) => {
            setRecording(next);
            if (next.customerInformed || !next.enabled) setConsentError(null);
          }}
        />
        <GoLiveChoices value={audience} onChange={setAudience} />
        <AudioSources />
        <ErrorNote error={form.error ?? lastError} />
        <div className="actions">
          <Button type="submit" variant="live" busy={starting || form.busy} busyLabel="Going live…" disabled={!online}>
            <span className="live-dot" aria-hidden="true" /> Go live
          </Button>
          {!online ? <span className="muted">Waiting for the connection to the server…</span> : null}
        </div>
      </form>
    </section>
  );
}

/**
 * Recording consent: off by default; on asks the host to confirm the customer was told. Without
 * recording the call can still be listened to live, but nobody can clip it.
 */
function RecordingFields({
  value,
  consentError,
  consentRef,
  onChange,
}: {
  value: RecordingChoice;
  consentError: string | null;
  consentRef: React.RefObject<HTMLInputElement | null>;
  onChange(next: RecordingChoice): void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <fieldset className="recording-fields">
      <legend className="sr-only">Recording</legend>
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={value.enabled}
          aria-describedby={hintId}
          data-testid="record-switch"
          onChange={(e) => onChange({ enabled: e.currentTarget.checked, customerInformed: false })}
        />
        <span className="switch-label">Record this call</span>
      </label>
      <p className="field-hint" id={hintId}>
        {value.enabled
          ? 'The call is recorded on your team’s server so you and your listeners can clip its best moments.'
          : 'Without recording nobody can clip this call. Listening live works either way.'}
      </p>
      {value.enabled ? (
        <div className={`consent${consentError ? ' has-error' : ''}`}>
          <label className="check">
            <input
              ref={consentRef}
              type="checkbox"
              required
              checked={value.customerInformed}
              aria-invalid={consentError ? true : undefined}
              aria-describedby={consentError ? errorId : undefined}
              data-testid="consent-checkbox"
              onChange={(e) => onChange({ enabled: true, customerInformed: e.currentTarget.checked })}
            />
            I told the customer this call is recorded
          </label>
          {consentError ? (
            <p className="field-error" id={errorId} data-testid="consent-error">
              {consentError}
            </p>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
