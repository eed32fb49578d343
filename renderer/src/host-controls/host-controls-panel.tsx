import { useEffect, useId, useRef, useState } from 'react';
import { ListenPolicy, SetCallPolicyPayload, type CallSummary, type ListenerInfo } from '../../../contract';
import { describeError } from '../api/errors';
import { Button, ErrorNote, InfoNote } from '../components/feedback';
import { SelectField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { policyLabels } from '../labels';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';
import { managersSwitch } from './host-controls-state';

const PolicyForm = SetCallPolicyPayload.omit({ callId: true }).required();
const CONSENT_REQUIRED = 'Confirm that you told the customer this call is recorded.';

/**
 * The host's controls during a call: pause or resume sharing, who may listen (and whether
 * managers may join), and starting the recording. The server enforces each; this shows them.
 */
export function HostControlsPanel({ call, live }: { call: CallSummary; live: boolean }) {
  return (
    <div className="host-controls" data-testid="host-controls">
      <SharingControl call={call} live={live} />
      <PolicyControl call={call} live={live} />
      {call.recording ? null : <StartRecording live={live} />}
    </div>
  );
}

function SharingControl({ call, live }: { call: CallSummary; live: boolean }) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const paused = call.paused ?? false;
  const toggle = async () => {
    setBusy(true);
    const result = await session.hostControls.setPaused(!paused);
    setBusy(false);
    if (!result.ok) notify(describeError(result.error), 'error');
  };
  return (
    <section className="host-control" aria-labelledby="sharing-title">
      <h2 id="sharing-title">Sharing</h2>
      {paused ? (
        <InfoNote tone="warn">
          <span data-testid="host-paused">Sharing is paused.</span> Listeners hear silence and see “Paused by host”; nothing is recorded
          meanwhile.
        </InfoNote>
      ) : (
        <p className="field-hint">Pause to step away for a private moment: listeners hear silence and the recording pauses too.</p>
      )}
      <div className="actions">
        <Button variant={paused ? 'primary' : 'secondary'} busy={busy} busyLabel={paused ? 'Resuming…' : 'Pausing…'} disabled={!live} onClick={() => void toggle()}>
          {paused ? 'Resume sharing' : 'Pause sharing'}
        </Button>
      </div>
    </section>
  );
}

function PolicyControl({ call, live }: { call: CallSummary; live: boolean }) {
  const session = useSession();
  const managers = managersSwitch(call);
  const form = useContractForm(PolicyForm, { policy: call.policy, managersMayJoin: managers.checked }, { policy: 'Who may listen' });
  const hintId = useId();
  // The call changed elsewhere (a reply, the team setting): show it, unless the host is editing.
  const { isDirty } = form.form.formState;
  useEffect(() => {
    if (!isDirty) form.form.reset({ policy: call.policy, managersMayJoin: managers.checked });
  }, [call.policy, managers.checked, isDirty, form.form]);
  const apply = form.submit(
    (input) => session.hostControls.setPolicy(input.policy, input.managersMayJoin),
    (message) => {
      form.form.reset(form.form.getValues());
      notify(message);
    },
  );
  return (
    <form className="host-control form" aria-labelledby="policy-title" onSubmit={(e) => void apply(e)} noValidate>
      <h2 id="policy-title">Listening access</h2>
      <SelectField label="Who may listen" {...form.field('policy')}>
        {ListenPolicy.options.map((p) => (
          <option key={p} value={p}>
            {policyLabels[p]}
          </option>
        ))}
      </SelectField>
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          className="switch"
          data-testid="live-managers-switch"
          aria-describedby={hintId}
          {...form.form.register('managersMayJoin')}
        />
        <span className="switch-label">Let managers join this call</span>
      </label>
      <p className="field-hint" id={hintId}>
        {managers.overridden
          ? 'Your team lets managers join every call (Team → Live calls), whatever you choose here.'
          : 'Off: managers and admins listening now are dropped and cannot join.'}
      </p>
      <p className="field-hint">Listeners the new choice keeps out are dropped at once and told why.</p>
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" variant="secondary" busy={form.busy} busyLabel="Applying…" disabled={!live || !isDirty}>
          Apply
        </Button>
      </div>
    </form>
  );
}

/** Start recording mid-call, after the same consent confirmation as at go-live. */
function StartRecording({ live }: { live: boolean }) {
  const session = useSession();
  const [asking, setAsking] = useState(false);
  const [informed, setInformed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const consent = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLDivElement>(null);
  const errorId = useId();
  useEffect(() => {
    if (asking) consent.current?.focus();
  }, [asking]);

  const cancel = () => {
    setAsking(false);
    setInformed(false);
    setError(null);
    requestAnimationFrame(() => opener.current?.querySelector('button')?.focus());
  };
  const start = async () => {
    if (!informed) {
      setError(CONSENT_REQUIRED);
      consent.current?.focus();
      return;
    }
    setBusy(true);
    const result = await session.hostControls.startRecording(true);
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error));
      return;
    }
    notify('Recording started. You and your listeners can clip from now on.');
  };

  if (!asking) {
    return (
      <section className="host-control" aria-labelledby="record-title" ref={opener}>
        <h2 id="record-title">Recording</h2>
        <p className="field-hint">This call is not recorded, so nobody can clip it.</p>
        <div className="actions">
          <Button variant="secondary" disabled={!live} onClick={() => setAsking(true)}>
            Start recording…
          </Button>
        </div>
      </section>
    );
  }
  return (
    <fieldset className="end-choice" data-testid="start-recording-consent" role="dialog" aria-label="Start recording" onKeyDown={(e) => e.key === 'Escape' && cancel()}>
      <legend>Start recording this call?</legend>
      <p className="field-hint">From now on the call is recorded on your team’s server, so you and your listeners can clip it.</p>
      <div className={`consent${error ? ' has-error' : ''}`}>
        <label className="check">
          <input
            ref={consent}
            type="checkbox"
            checked={informed}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            data-testid="live-consent-checkbox"
            onChange={(e) => {
              setInformed(e.currentTarget.checked);
              if (e.currentTarget.checked) setError(null);
            }}
          />
          I told the customer this call is recorded
        </label>
        {error ? (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <Button busy={busy} busyLabel="Starting…" onClick={() => void start()}>
          Start recording
        </Button>
        <Button variant="ghost" disabled={busy} onClick={cancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

/** "Remove" beside a listener: asks first, then drops them (they are told why and cannot rejoin). */
export function RemoveListener({ listener }: { listener: ListenerInfo }) {
  const session = useSession();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Cancel first: a stray Enter must not remove anyone.
    if (asking) confirmRef.current?.querySelectorAll('button')[1]?.focus();
  }, [asking]);

  const remove = async () => {
    setBusy(true);
    const result = await session.hostControls.removeListener(listener.userId);
    setBusy(false);
    setAsking(false);
    if (!result.ok) notify(describeError(result.error), 'error');
    else notify(`${listener.name} was removed from this call.`);
  };
  if (!asking) {
    return (
      <Button variant="ghost" aria-label={`Remove ${listener.name}`} onClick={() => setAsking(true)}>
        Remove
      </Button>
    );
  }
  return (
    <div className="confirm remove-confirm" role="alertdialog" aria-label={`Remove ${listener.name}?`} ref={confirmRef} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <p>Remove {listener.name}? Their audio stops now and they can’t rejoin this call.</p>
      <div className="actions">
        <Button variant="danger" busy={busy} busyLabel="Removing…" onClick={() => void remove()}>
          Remove from call
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => setAsking(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
