import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { CallSummary } from '../../../contract';
import { restQueries } from '../api/queries';
import { describeError } from '../api/errors';
import { AudioSources } from '../components/audio-sources';
import { Avatar } from '../components/avatar';
import { ClipBar } from '../clips/clip-bar';
import { ClipTray } from '../clips/clip-tray';
import { Elapsed } from '../components/elapsed';
import { Button, EmptyState, ErrorNote, InfoNote } from '../components/feedback';
import { UsersIcon } from '../components/icons';
import { endReasonText, formatDuration, policyLabels } from '../labels';
import { HostAsks } from '../questions/host-asks';
import { HostControlsPanel, RemoveListener } from '../host-controls/host-controls-panel';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** The host during a call: elapsed time, clips, who listens, connection, sources, End call. */
export function HostLiveView() {
  const session = useSession();
  const host = useAppStore((s) => s.host);
  const call = host.call;

  if (host.phase === 'ended' || !call) {
    const duration = call && host.endedAt ? formatDuration(host.endedAt - call.startedAt) : null;
    return (
      <section className="page page-medium" aria-labelledby="ended-title">
        <div className="panel ended-panel" data-testid="host-ended">
          <h1 id="ended-title">Call ended</h1>
          {host.awayNote ? <p data-testid="host-ended-away">{host.awayNote}</p> : <p>{endReasonText(host.endedReason, 'host')}</p>}
          {call ? (
            <p className="muted">
              “{call.title}”{duration ? ` · ${duration}` : ''}
            </p>
          ) : null}
          {host.error && host.endedReason !== 'host-timeout' ? <ErrorNote error={host.error} /> : null}
          <div className="actions">
            {call ? (
              <a className="btn btn-primary" href={routeHref({ name: 'debrief', callId: call.id })} data-testid="open-debrief">
                Open the debrief
              </a>
            ) : null}
            <Button variant={call ? 'secondary' : undefined} onClick={() => session.host.dismissEnded()}>
              Go live again
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                session.host.dismissEnded();
                navigate({ name: 'board' });
              }}
            >
              Back to the board
            </Button>
          </div>
        </div>
        {call ? <ClipTray call={call} /> : null}
      </section>
    );
  }

  const reconnecting = host.media === 'reconnecting' || call.hostState === 'reconnecting';

  return (
    <section className="page page-medium" aria-labelledby="live-title">
      <div className={`panel live-panel${reconnecting ? ' is-reconnecting' : ''}`} data-testid="host-live">
        <div className="live-head">
          <span className="live-pill">
            <span className="live-dot" aria-hidden="true" /> {reconnecting ? 'Reconnecting' : host.media === 'connected' ? 'Live' : 'Connecting'}
          </span>
          <Elapsed since={call.startedAt} className="elapsed elapsed-lg" />
        </div>
        <h1 id="live-title">{call.title}</h1>
        <p className="muted">
          {call.account ? `with ${call.account} · ` : ''}
          {policyLabels[call.policy]} may listen · {call.recording ? 'Recorded' : 'Not recorded'}
          {call.paused ? ' · Paused' : ''}
        </p>
        {reconnecting ? (
          <InfoNote tone="warn">
            Your connection to the server dropped. Reconnecting… listeners keep their place and hear you again as soon as it’s back.
          </InfoNote>
        ) : null}
        <ErrorNote error={host.error} />
        <ClipBar call={call} canMark={host.phase === 'live'} />
        <HostAsks call={call} />
        <HostControlsPanel call={call} live={host.phase === 'live'} />
        <HostSending />
        <EndCall call={call} ending={host.phase === 'ending'} />
      </div>

      <ClipTray call={call} />

      <div className="panel">
        <h2>
          Listening now <span className="count" data-testid="listener-count">{host.listeners.length}</span>
        </h2>
        <p className="sr-only" aria-live="polite">
          {host.listeners.length === 0
            ? 'No one is listening.'
            : `${host.listeners.length} listening: ${host.listeners.map((l) => l.name).join(', ')}.`}
        </p>
        {host.listeners.length === 0 ? (
          <EmptyState title="No one is listening yet" icon={<UsersIcon size={28} />}>
            <p>Your call is on the team board. Listeners appear here the moment they join.</p>
          </EmptyState>
        ) : (
          <ul className="people" data-testid="host-listeners">
            {host.listeners.map((l) => (
              <li key={l.userId} className="person">
                <Avatar name={l.name} size="sm" />
                <span className="person-name">{l.name}</span>
                <span className="muted">
                  for <Elapsed since={l.joinedAt} className="elapsed-inline" />
                </span>
                {host.phase === 'live' ? <RemoveListener listener={l} /> : null}
              </li>
            ))}
          </ul>
        )}
      </div>

      <AudioSources />
    </section>
  );
}

/**
 * End call, for everyone. It asks first, inline: for a recorded call whether to keep the full
 * recording for the team's retention period or discard it (clips stay either way).
 */
function EndCall({ call, ending }: { call: CallSummary; ending: boolean }) {
  const session = useSession();
  const [asking, setAsking] = useState(false);
  const [keep, setKeep] = useState(true);
  const endButton = useRef<HTMLDivElement>(null);

  const end = async (keepRecording: boolean) => {
    const result = await session.host.end({ keepRecording });
    if (!result.ok) notify(describeError(result.error), 'error');
  };
  const cancel = () => {
    setAsking(false);
    setKeep(true);
    // The End call button comes back in the next render; return focus to it.
    requestAnimationFrame(() => endButton.current?.querySelector('button')?.focus());
  };

  if (call.recording && asking) {
    return <KeepRecordingChoice keep={keep} onKeep={setKeep} ending={ending} onEnd={() => void end(keep)} onCancel={cancel} />;
  }
  if (asking) return <ConfirmEnd ending={ending} onEnd={() => void end(true)} onCancel={cancel} />;
  return (
    <div className="actions" ref={endButton}>
      <Button variant="danger" busy={ending} busyLabel="Ending…" onClick={() => setAsking(true)}>
        End call
      </Button>
    </div>
  );
}

/** Ending an unrecorded call: one question first, since it ends the call for every listener. */
function ConfirmEnd(props: { ending: boolean; onEnd(): void; onCancel(): void }) {
  const cancelRef = useRef<HTMLDivElement>(null);
  useEffect(() => cancelRef.current?.querySelectorAll('button')[1]?.focus(), []);
  return (
    <div className="end-choice" role="alertdialog" aria-label="End the call?" data-testid="end-call-choice" ref={cancelRef} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <p>End the call for everyone? Listeners are told that you ended it.</p>
      <div className="actions">
        <Button variant="danger" busy={props.ending} busyLabel="Ending…" onClick={props.onEnd}>
          End call
        </Button>
        <Button variant="ghost" disabled={props.ending} onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

function KeepRecordingChoice(props: { keep: boolean; onKeep(keep: boolean): void; ending: boolean; onEnd(): void; onCancel(): void }) {
  const session = useSession();
  const days = useQuery(restQueries.teamSettings(session.rest)).data?.settings.retentionDays ?? null;
  const name = useId();
  const keepRadio = useRef<HTMLInputElement>(null);
  useEffect(() => keepRadio.current?.focus(), []);

  return (
    <fieldset className="end-choice" data-testid="end-call-choice" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <legend>This call is recorded. End it and…</legend>
      <label className="check">
        <input ref={keepRadio} type="radio" name={name} checked={props.keep} onChange={() => props.onKeep(true)} />
        {days === null ? 'Keep the full recording' : `Keep the full recording for ${days === 1 ? '1 day' : `${days} days`}`}
      </label>
      <p className="field-hint end-choice-hint">The team can cut more clips from it until then; after that only the clips stay.</p>
      <label className="check">
        <input type="radio" name={name} checked={!props.keep} onChange={() => props.onKeep(false)} />
        Discard the full recording (clips stay)
      </label>
      <p className="field-hint end-choice-hint">It’s deleted as soon as the call ends. Clips already made are kept.</p>
      <div className="actions">
        <Button variant="danger" busy={props.ending} busyLabel="Ending…" onClick={props.onEnd}>
          End call
        </Button>
        <Button variant="ghost" disabled={props.ending} onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

/** A quiet line proving audio leaves this machine. */
function HostSending() {
  const session = useSession();
  const [sent, setSent] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => void session.host.sendStats().then((s) => setSent(s?.packetsSent ?? null));
    tick();
    const timer = setInterval(tick, 2000);
    return () => clearInterval(timer);
  }, [session]);
  return (
    <p className="conn-details" data-testid="host-stats" data-packets-sent={sent ?? 0}>
      {sent === null ? 'Preparing audio…' : `Sending stereo audio · ${sent.toLocaleString()} packets sent`}
    </p>
  );
}
