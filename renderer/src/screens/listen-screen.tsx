import { useId } from 'react';
import { openCall } from '../../../contract';
import { describeError } from '../api/errors';
import { useBoard } from '../api/use-board';
import { Avatar } from '../components/avatar';
import { ClipBar } from '../clips/clip-bar';
import { AskPanel } from '../questions/ask-panel';
import { ClipTray } from '../clips/clip-tray';
import { Elapsed } from '../components/elapsed';
import { Button, EmptyState, ErrorNote, InfoNote, LoadingBlock } from '../components/feedback';
import { HeadphonesIcon, PhoneOffIcon } from '../components/icons';
import { LevelMeter } from '../components/level-meter';
import { listenStatusText } from '../host-controls/host-controls-state';
import { endReasonText, nameList } from '../labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore, type ListenState } from '../state/store';

/** Listening to one call: playback controls, live meter, clips, connection details, Leave. */
export function ListenScreen({ callId }: { callId: string }) {
  const session = useSession();
  const listen = useAppStore((s) => s.listen);
  const board = useBoard((calls) => calls.find((c) => c.id === callId) ?? null);
  const boardEntry = board.data ?? null;
  const boardCall = openCall(boardEntry ?? undefined) ?? null;
  const boardLoaded = board.isSuccess;
  const mine = listen.callId === callId;
  const meId = useAppStore((s) => s.me?.user.id);

  const join = async () => {
    const result = await session.listen.join(callId);
    if (!result.ok && result.error.code !== 'CALL_ENDED' && result.error.code !== 'CALL_NOT_FOUND') notify(describeError(result.error), 'error');
  };
  const back = () => {
    void session.listen.leave();
    navigate({ name: 'board' });
  };

  if (mine && listen.phase === 'ended') {
    return (
      <section className="page page-medium" aria-labelledby="listen-ended-title">
        <div className="panel ended-panel" data-testid="listen-ended" data-reason={listen.endedReason ?? listen.error?.code ?? ''}>
          <h1 id="listen-ended-title">{listen.error?.code === 'NOT_ALLOWED' ? 'You can no longer listen' : 'Call ended'}</h1>
          <p className="ended-reason" role="status">
            {listen.error && !listen.endedReason ? describeError(listen.error) : endReasonText(listen.endedReason, 'listener')}
          </p>
          {listen.call ? (
            <p className="muted">
              {listen.call.hostName} · “{listen.call.title}”
            </p>
          ) : null}
          <Button onClick={back}>Back to the board</Button>
        </div>
        {listen.call ? <ClipTray call={listen.call} /> : null}
      </section>
    );
  }

  const active = mine && listen.phase !== 'idle' && listen.phase !== 'failed';
  const call = (mine ? listen.call : null) ?? boardCall;

  if (!active) {
    if (!call && boardEntry?.restricted) {
      return (
        <section className="page page-medium">
          <EmptyState title={`${boardEntry.hostName} is on a restricted call`} icon={<PhoneOffIcon size={28} />}>
            <p>The host limited who can listen to this call.</p>
            <a className="btn btn-primary" href="#/board">
              Back to the board
            </a>
          </EmptyState>
        </section>
      );
    }
    if (!call) {
      return (
        <section className="page page-medium">
          {boardLoaded ? (
            <EmptyState title="This call isn’t live any more" icon={<PhoneOffIcon size={28} />}>
              <p>It may have just ended.</p>
              <a className="btn btn-primary" href="#/board">
                Back to the board
              </a>
            </EmptyState>
          ) : (
            <LoadingBlock label="Finding the call…" />
          )}
        </section>
      );
    }
    return (
      <section className="page page-medium" aria-labelledby="listen-title">
        <div className="panel">
          <CallHeading title={call.title} hostName={call.hostName} account={call.account} startedAt={call.startedAt} />
          {mine && listen.phase === 'failed' ? <ErrorNote error={listen.error} /> : null}
          {!call.canListen ? <InfoNote tone="warn">The host limited who can listen to this call.</InfoNote> : null}
          <div className="actions">
            <Button onClick={() => void join()} disabled={!call.canListen}>
              <HeadphonesIcon /> {mine && listen.phase === 'failed' ? 'Try again' : 'Listen'}
            </Button>
            <a className="btn btn-secondary" href="#/board">
              Back to the board
            </a>
          </div>
        </div>
      </section>
    );
  }

  const connecting = listen.phase !== 'playing';
  const paused = call?.paused ?? false;
  const names = (listen.call?.listeners ?? []).filter((l) => l.userId !== meId).map((l) => l.name);
  return (
    <section className="page page-medium" aria-labelledby="listen-title">
      <div className="panel listen-panel" data-testid="listen-view" data-phase={listen.phase}>
        {call ? <CallHeading title={call.title} hostName={call.hostName} account={call.account} startedAt={call.startedAt} /> : null}
        <p
          className={`listen-status listen-status-${listen.phase === 'playing' && listen.hostState !== 'reconnecting' && !paused ? 'on' : 'wait'}`}
          role="status"
        >
          <span className="listen-pill">
            <HeadphonesIcon size={14} /> {listen.phase !== 'playing' ? 'Connecting' : paused ? 'Paused' : 'Listening'}
          </span>
          {listenStatusText(listen.phase, listen.hostState, paused)}
        </p>
        {paused && !connecting ? (
          <InfoNote tone="warn">
            <span data-testid="paused-by-host">Paused by host.</span> The host stopped sharing for a moment; audio comes back by itself
            when they resume.
          </InfoNote>
        ) : null}
        {connecting ? <LoadingBlock label="Setting up audio…" /> : null}
        {listen.hostState === 'reconnecting' && !connecting ? (
          <InfoNote tone="warn">The host is reconnecting. Audio resumes by itself when they’re back.</InfoNote>
        ) : null}
        <div className="hear">
          <span className="hear-label">What you hear</span>
          <LevelMeter read={session.listen.level} label="What you hear" testId="listen-meter" />
        </div>
        <div className="sides">
          <div className="side">
            <span className="side-label">Rep</span>
            <LevelMeter read={session.listen.repLevel} label="Rep’s voice" testId="listen-rep-meter" size="sm" />
          </div>
          <div className="side">
            <span className="side-label">Customer</span>
            <LevelMeter read={session.listen.customerLevel} label="Customer’s voice" testId="listen-customer-meter" size="sm" />
          </div>
        </div>
        {call ? <ClipBar call={call} canMark={listen.phase === 'playing' || listen.phase === 'connecting'} /> : null}
        <PlaybackControls listen={listen} />
        <ConnectionDetails listen={listen} />
        {names.length > 0 ? <p className="muted">Also listening: {nameList(names, 5)}</p> : null}
        {call && (listen.phase === 'playing' || listen.phase === 'connecting') ? <AskPanel call={call} /> : null}
        <div className="actions">
          <Button variant="secondary" onClick={back}>
            Leave
          </Button>
        </div>
      </div>
      {call ? <ClipTray call={call} /> : null}
    </section>
  );
}

function CallHeading({ title, hostName, account, startedAt }: { title: string; hostName: string; account: string | null; startedAt: number }) {
  return (
    <div className="listen-head">
      <Avatar name={hostName} size="lg" />
      <div>
        <h1 id="listen-title">{title}</h1>
        <p className="muted">
          {hostName}
          {account ? ` with ${account}` : ''}
        </p>
      </div>
      <Elapsed since={startedAt} className="elapsed elapsed-lg" />
    </div>
  );
}

function PlaybackControls({ listen }: { listen: ListenState }) {
  const session = useSession();
  const balanceId = useId();
  const volumeId = useId();
  const balancePct = Math.round(listen.balance * 100);
  const balanceText =
    balancePct === 0 ? 'Centered: rep and customer equally' : balancePct < 0 ? `Rep louder (${-balancePct}%)` : `Customer louder (${balancePct}%)`;
  return (
    <div className="controls">
      <fieldset className="segmented">
        <legend>Output</legend>
        <label className={listen.stereo ? 'is-on' : ''}>
          <input type="radio" name="output" checked={listen.stereo} onChange={() => session.listen.setMix({ stereo: true })} />
          Stereo <span className="muted">(rep left, customer right)</span>
        </label>
        <label className={!listen.stereo ? 'is-on' : ''}>
          <input type="radio" name="output" checked={!listen.stereo} onChange={() => session.listen.setMix({ stereo: false })} />
          Mono
        </label>
      </fieldset>
      <div className="slider">
        <label htmlFor={balanceId}>Balance</label>
        <div className="slider-row">
          <span className="muted">Rep</span>
          <input
            id={balanceId}
            type="range"
            min={-100}
            max={100}
            step={5}
            value={balancePct}
            aria-valuetext={balanceText}
            onChange={(e) => session.listen.setMix({ balance: Number(e.currentTarget.value) / 100 })}
            onDoubleClick={() => session.listen.setMix({ balance: 0 })}
          />
          <span className="muted">Customer</span>
        </div>
        {balancePct !== 0 ? (
          <button type="button" className="link-button" onClick={() => session.listen.setMix({ balance: 0 })}>
            Center
          </button>
        ) : null}
      </div>
      <div className="slider">
        <label htmlFor={volumeId}>Volume</label>
        <div className="slider-row">
          <input
            id={volumeId}
            type="range"
            min={0}
            max={150}
            step={5}
            value={Math.round(listen.volume * 100)}
            aria-valuetext={`${Math.round(listen.volume * 100)}%`}
            onChange={(e) => session.listen.setMix({ volume: Number(e.currentTarget.value) / 100 })}
          />
          <span className="muted">{Math.round(listen.volume * 100)}%</span>
        </div>
      </div>
    </div>
  );
}

/** Packets and level straight from WebRTC stats: shows (and lets tests see) that audio arrives. */
function ConnectionDetails({ listen }: { listen: ListenState }) {
  const stats = listen.stats;
  return (
    <p
      className="conn-details"
      data-testid="listen-stats"
      data-packets={stats?.packetsReceived ?? 0}
      data-level={stats?.audioLevel ?? 0}
      data-lost={stats?.packetsLost ?? 0}
    >
      <span className="conn-details-label">Connection</span>{' '}
      {stats
        ? `${stats.packetsReceived.toLocaleString()} packets received · ${stats.packetsLost} lost · level ${stats.audioLevel.toFixed(3)} · jitter ${stats.jitterMs} ms`
        : 'waiting for audio…'}
    </p>
  );
}
