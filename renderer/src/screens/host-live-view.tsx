import { useEffect, useState } from 'react';
import { describeError } from '../api/errors';
import { AudioSources } from '../components/audio-sources';
import { Avatar } from '../components/avatar';
import { Elapsed } from '../components/elapsed';
import { Button, EmptyState, ErrorNote, InfoNote } from '../components/feedback';
import { UsersIcon } from '../components/icons';
import { endReasonText, formatDuration, policyLabels } from '../labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** The host during a call: elapsed time, who listens, connection, sources, End call. */
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
          <p>{endReasonText(host.endedReason, 'host')}</p>
          {call ? (
            <p className="muted">
              “{call.title}”{duration ? ` · ${duration}` : ''}
            </p>
          ) : null}
          {host.error && host.endedReason !== 'host-timeout' ? <ErrorNote error={host.error} /> : null}
          <div className="actions">
            <Button onClick={() => session.host.dismissEnded()}>Go live again</Button>
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
      </section>
    );
  }

  const end = async () => {
    const result = await session.host.end();
    if (!result.ok) notify(describeError(result.error), 'error');
  };
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
          {policyLabels[call.policy]} may listen
        </p>
        {reconnecting ? (
          <InfoNote tone="warn">
            Your connection to the server dropped. Reconnecting… listeners keep their place and hear you again as soon as it’s back.
          </InfoNote>
        ) : null}
        <ErrorNote error={host.error} />
        <HostSending />
        <div className="actions">
          <Button variant="danger" busy={host.phase === 'ending'} busyLabel="Ending…" onClick={() => void end()}>
            End call
          </Button>
        </div>
      </div>

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
              </li>
            ))}
          </ul>
        )}
      </div>

      <AudioSources />
    </section>
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
