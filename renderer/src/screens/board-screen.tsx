import { useState } from 'react';
import type { CallSummary, RestrictedBoardCall } from '../../../contract';
import { describeError } from '../api/errors';
import { useBoard } from '../api/use-board';
import { Avatar } from '../components/avatar';
import { FollowButton } from '../notifications/follow-button';
import { Elapsed } from '../components/elapsed';
import { Button, EmptyState, LoadingBlock } from '../components/feedback';
import { CoffeeIcon, HeadphonesIcon } from '../components/icons';
import { boardAnnouncement, callKindLabels, hostStateLabel, nameList, policyLabels, policyShort } from '../labels';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** Who is live right now, with Listen buttons. */
export function BoardScreen() {
  const query = useBoard();
  const board = query.data ?? [];
  const loaded = query.isSuccess;
  const connection = useAppStore((s) => s.connection);
  const hosting = useAppStore((s) => s.host.phase === 'live');

  // Announced when the set of calls changes (not every second, like the elapsed times).
  const summary = boardAnnouncement(board);

  return (
    <section className="page" aria-labelledby="board-title">
      <p className="sr-only" aria-live="polite">
        {loaded ? summary : ''}
      </p>
      <div className="page-head">
        <div>
          <h1 id="board-title">Live now</h1>
          <p className="muted">Calls your teammates are sharing. Listening is silent: no one on the call can hear you.</p>
        </div>
        {hosting ? null : (
          <a className="btn btn-live" href="#/go-live">
            <span className="live-dot" aria-hidden="true" /> Go live
          </a>
        )}
      </div>
      {!loaded ? (
        connection === 'reconnecting' ? (
          <LoadingBlock label="Waiting for the server…" />
        ) : (
          <LoadingBlock label="Loading the board…" />
        )
      ) : board.length === 0 ? (
        <EmptyState title="No one is live right now" icon={<CoffeeIcon size={32} />} testId="board-empty">
          <p>
            When a teammate goes live, their call shows up here. Click <strong>Listen</strong> to shadow it in real time.
          </p>
          <p>
            On a customer call yourself? <a href="#/go-live">Go live</a> so your team can learn from it.
          </p>
        </EmptyState>
      ) : (
        <ul className="call-grid" aria-label="Live calls">
          {board.map((call) => (call.restricted ? <RestrictedCallCard key={call.id} call={call} /> : <CallCard key={call.id} call={call} />))}
        </ul>
      )}
    </section>
  );
}

/** A call the viewer is outside the policy of: only that its host is on a call. */
function RestrictedCallCard({ call }: { call: RestrictedBoardCall }) {
  return (
    <li className="call-card call-card-restricted" data-testid="call-card" data-call-id={call.id} data-restricted="true">
      <div className="call-card-head">
        <Avatar name={call.hostName} />
        <div className="call-card-who">
          <span className="call-host">{call.hostName}</span>
          <span className="badge badge-restricted">Restricted</span>
        </div>
        <FollowButton personId={call.hostId} name={call.hostName} />
      </div>
      <p className="call-why">The host limited who can listen to this call.</p>
    </li>
  );
}

function CallCard({ call }: { call: CallSummary }) {
  const session = useSession();
  const me = useAppStore((s) => s.me);
  const listen = useAppStore((s) => s.listen);
  const hostPhase = useAppStore((s) => s.host.phase);
  const online = useAppStore((s) => s.connection === 'online');
  const [busy, setBusy] = useState(false);

  const mine = call.hostId === me?.user.id;
  const listeningHere =
    listen.callId === call.id && (listen.phase === 'joining' || listen.phase === 'connecting' || listen.phase === 'playing' || listen.phase === 'rejoining');
  const hosting = hostPhase === 'live' || hostPhase === 'starting';

  const onListen = async () => {
    setBusy(true);
    navigate({ name: 'listen', callId: call.id });
    const result = await session.listen.join(call.id);
    setBusy(false);
    if (!result.ok) notify(describeError(result.error), 'error');
  };

  const onEndStale = async () => {
    setBusy(true);
    const reply = await session.host.endById(call.id);
    setBusy(false);
    if (!reply.ok) notify(describeError(reply.error), 'error');
  };

  const onResume = async () => {
    setBusy(true);
    const reply = await session.host.resume(call);
    setBusy(false);
    if (reply.ok) navigate({ name: 'go-live' });
    else notify(describeError(reply.error), 'error');
  };

  let action: React.ReactNode;
  let why: string | null = null;
  if (mine) {
    if (hostPhase === 'live') {
      action = (
        <a className="btn btn-secondary" href="#/go-live">
          Open your call
        </a>
      );
      why = 'You’re hosting this call.';
    } else {
      action = (
        <span className="action-pair">
          <Button variant="ghost" disabled={busy} onClick={() => void onEndStale()}>
            End
          </Button>
          <Button variant="live" busy={busy || hostPhase === 'starting'} busyLabel="Resuming…" disabled={!online} onClick={() => void onResume()}>
            Resume
          </Button>
        </span>
      );
      why = 'Your call is still open (this window stopped sending, e.g. after a reload). Resume sharing it, or end it.';
    }
  } else if (listeningHere) {
    action = (
      <a className="btn btn-secondary" href={routeHref({ name: 'listen', callId: call.id })}>
        Listening · Open
      </a>
    );
  } else {
    // Calls the viewer may not listen to come restricted (RestrictedCallCard), so no policy reason here.
    if (hosting) why = 'You can’t listen while you’re live. End your call first.';
    else if (!online) why = 'Waiting for the connection to the server…';
    action = (
      <Button
        variant="primary"
        busy={busy}
        disabled={!call.canListen || hosting || !online}
        aria-label={`Listen to ${call.hostName}: ${call.title}`}
        aria-describedby={why ? `why-${call.id}` : undefined}
        onClick={() => void onListen()}
      >
        <HeadphonesIcon /> Listen
      </Button>
    );
  }

  const names = call.listeners.map((l) => l.name);
  return (
    <li className={`call-card host-${call.hostState}`} data-testid="call-card" data-call-id={call.id}>
      <div className="call-card-head">
        <Avatar name={call.hostName} />
        <div className="call-card-who">
          <span className="call-host">{mine ? `${call.hostName} (you)` : call.hostName}</span>
          <span className={`badge badge-state-${call.hostState}`}>
            {call.hostState === 'live' ? <span className="live-dot" aria-hidden="true" /> : null}
            {hostStateLabel(call.hostState)}
          </span>
          {call.paused ? (
            <span className="badge badge-paused" data-testid="paused-badge" title="The host paused sharing: listeners hear silence">
              Paused by host
            </span>
          ) : null}
        </div>
        <Elapsed since={call.startedAt} className="elapsed call-elapsed" />
        <FollowButton personId={call.hostId} name={call.hostName} />
      </div>
      <h2 className="call-title">{call.title}</h2>
      {call.account || (call.kind && call.kind !== 'other') ? (
        <p className="call-account">
          {call.kind && call.kind !== 'other' ? <span className="badge call-kind">{callKindLabels[call.kind]}</span> : null}
          {call.account ? ` with ${call.account}` : null}
        </p>
      ) : null}
      <p className="call-listeners" data-testid="call-listeners">
        {names.length === 0 ? (
          <span className="muted">No one listening yet</span>
        ) : (
          <>
            <span className="avatar-stack" aria-hidden="true">
              {call.listeners.slice(0, 4).map((l) => (
                <Avatar key={l.userId} name={l.name} size="sm" />
              ))}
            </span>
            <span>
              {nameList(names)} {names.length === 1 ? 'is' : 'are'} listening
            </span>
          </>
        )}
      </p>
      <div className="call-card-foot">
        <span className="call-card-badges">
          <span className="badge badge-policy" title={policyLabels[call.policy]}>
            {policyShort[call.policy]}
          </span>
          {call.recording ? (
            <span className="badge badge-recorded" title="Recorded with the customer’s consent: listeners can clip it" data-testid="recorded-badge">
              Recorded
            </span>
          ) : null}
        </span>
        {action}
      </div>
      {why ? (
        <p className="call-why" id={`why-${call.id}`}>
          {why}
        </p>
      ) : null}
    </li>
  );
}
