import { useId } from 'react';
import { formatDuration } from '../labels';
import { PLAYBACK_RATES, type ClipPlayer, type PlayerSnapshot } from '../media/clip-player';

/** Play/pause, time, speed and the stereo/mono and rep ↔ customer mix of a {@link ClipPlayer}. */
export function PlayerControls({ player, snapshot, disabled }: { player: ClipPlayer | null; snapshot: PlayerSnapshot; disabled?: boolean }) {
  const speedId = useId();
  const balanceId = useId();
  const off = disabled || !player;
  return (
    <div className="player-controls">
      <button
        type="button"
        className="btn btn-primary play-button"
        data-testid="play-button"
        aria-label={snapshot.playing ? 'Pause' : 'Play'}
        disabled={off}
        onClick={() => player?.toggle()}
      >
        {snapshot.playing ? <PauseGlyph /> : <PlayGlyph />}
      </button>
      <span className="player-time" data-testid="player-time">
        <time aria-label="Current time">{formatDuration(snapshot.positionMs)}</time>
        <span aria-hidden="true"> / </span>
        <time aria-label="Duration">{formatDuration(snapshot.durationMs)}</time>
      </span>
      <div className="player-option">
        <label htmlFor={speedId}>Speed</label>
        <select id={speedId} value={String(snapshot.rate)} disabled={off} onChange={(e) => player?.setRate(Number(e.currentTarget.value))}>
          {PLAYBACK_RATES.map((rate) => (
            <option key={rate} value={String(rate)}>
              {rate}×
            </option>
          ))}
        </select>
      </div>
      <div className="toggle-group" role="group" aria-label="Channels">
        <button type="button" aria-pressed={snapshot.stereo} disabled={off} onClick={() => player?.setMix({ stereo: true })}>
          Stereo
        </button>
        <button type="button" aria-pressed={!snapshot.stereo} disabled={off} onClick={() => player?.setMix({ stereo: false })}>
          Mono
        </button>
      </div>
      <div className="player-option player-balance">
        <label htmlFor={balanceId}>Balance</label>
        <span className="balance-end" aria-hidden="true">
          Rep
        </span>
        <input
          id={balanceId}
          type="range"
          min={-1}
          max={1}
          step={0.1}
          value={snapshot.balance}
          disabled={off}
          aria-valuetext={balanceText(snapshot.balance)}
          onChange={(e) => player?.setMix({ balance: Number(e.currentTarget.value) })}
          onDoubleClick={() => player?.setMix({ balance: 0 })}
        />
        <span className="balance-end" aria-hidden="true">
          Customer
        </span>
      </div>
    </div>
  );
}

function balanceText(balance: number): string {
  if (Math.abs(balance) < 0.05) return 'Both sides equal';
  const pct = Math.round(Math.abs(balance) * 100);
  return balance < 0 ? `Rep louder, customer down ${pct}%` : `Customer louder, rep down ${pct}%`;
}

/** The keyboard shortcuts, as a small help line. */
export function ShortcutHelp({ comment = true }: { comment?: boolean }) {
  return (
    <p className="shortcut-help muted">
      <kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> 5 s · <kbd>[</kbd>/<kbd>]</kbd> speed
      {comment ? (
        <>
          {' '}
          · <kbd>M</kbd> comment here
        </>
      ) : null}
    </p>
  );
}

function PlayGlyph() {
  return (
    <svg className="icon" width={18} height={18} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M7 4.5v15a1 1 0 0 0 1.5.86l12-7.5a1 1 0 0 0 0-1.72l-12-7.5A1 1 0 0 0 7 4.5z" />
    </svg>
  );
}

function PauseGlyph() {
  return (
    <svg className="icon" width={18} height={18} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">
      <rect x="6" y="4" width="4" height="16" rx="1" />
      <rect x="14" y="4" width="4" height="16" rx="1" />
    </svg>
  );
}
