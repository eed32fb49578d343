import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { formatDuration } from '../labels';
import type { Peaks } from '../media/peaks';
import { drawWaveform } from './waveform-draw';

/** A point of interest drawn over the waveform (a comment). */
export interface WaveformMarker {
  id: string;
  atMs: number;
  /** Accessible name, e.g. "Comment by Ann at 0:12: great question". */
  label: string;
}

export interface WaveformRange {
  startMs: number;
  endMs: number;
}

interface WaveformProps {
  peaks: Peaks | null;
  durationMs: number;
  positionMs: number;
  onSeek(ms: number): void;
  /** Accessible name of the position slider. */
  label: string;
  markers?: WaveformMarker[];
  onMarker?(marker: WaveformMarker): void;
  /** Range selection (recording picker): drag across the waveform or move the handles. */
  selection?: WaveformRange | null;
  onSelect?(range: WaveformRange): void;
  maxSelectionMs?: number;
  /** Shown over the waveform while the audio loads. */
  overlay?: ReactNode;
}

const DRAG_THRESHOLD_PX = 4;
const MIN_SELECTION_MS = 500;
const KEY_STEP_MS = 5000;

/**
 * The waveform of a clip or recording on a canvas (drawn here: the CSP forbids the inline
 * styles waveform libraries inject). Rep (left channel) above the centre line, customer
 * (right) below. Click or drag to seek; with `onSelect`, drag to choose a range.
 */
export function Waveform(props: WaveformProps) {
  const { peaks, durationMs, positionMs, onSeek, label, markers = [], onMarker, selection = null, onSelect, maxSelectionMs, overlay } = props;
  const track = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const drag = useRef<{ pointerId: number; x: number; ms: number; moved: boolean; handle: 'start' | 'end' | null } | null>(null);
  const duration = Math.max(1, durationMs);
  const pct = (ms: number) => `${(Math.max(0, Math.min(duration, ms)) / duration) * 100}%`;

  useEffect(() => {
    const el = track.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = canvas.current;
    if (el && size.width > 0) drawWaveform(el, size, peaks, duration, positionMs, selection);
  }, [size, peaks, duration, positionMs, selection]);

  const msAt = (clientX: number): number => {
    const rect = track.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    return Math.max(0, Math.min(duration, ((clientX - rect.left) / rect.width) * duration));
  };

  const clampRange = (anchor: number, ms: number, fixed: 'start' | 'end' | null): WaveformRange => {
    const max = maxSelectionMs ?? duration;
    let startMs = Math.min(anchor, ms);
    let endMs = Math.max(anchor, ms);
    if (endMs - startMs > max) {
      // Keep the end being dragged within reach of the fixed one.
      if (fixed === 'end' || (fixed === null && ms < anchor)) startMs = endMs - max;
      else endMs = startMs + max;
    }
    return { startMs: Math.round(startMs), endMs: Math.round(endMs) };
  };

  const onPointerDown = (e: PointerEvent<HTMLElement>, handle: 'start' | 'end' | null = null) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    (handle ? e.currentTarget : track.current)?.focus();
    const ms = msAt(e.clientX);
    drag.current = { pointerId: e.pointerId, x: e.clientX, ms, moved: false, handle };
    if (!onSelect && !handle) onSeek(ms);
  };

  const onHandlePointerDown = (e: PointerEvent<HTMLElement>) => onPointerDown(e, e.currentTarget.dataset.handle === 'start' ? 'start' : 'end');

  const onPointerMove = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (!d.moved && Math.abs(e.clientX - d.x) < DRAG_THRESHOLD_PX) return;
    d.moved = true;
    const ms = msAt(e.clientX);
    if (d.handle && selection && onSelect) {
      const anchor = d.handle === 'start' ? selection.endMs : selection.startMs;
      onSelect(clampRange(anchor, ms, d.handle === 'start' ? 'end' : 'start'));
    } else if (onSelect) {
      onSelect(clampRange(d.ms, ms, null));
    } else {
      onSeek(ms);
    }
  };

  const onPointerUp = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (d.moved || d.handle) return;
    if (onSelect) onSeek(d.ms);
  };

  const onTrackKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 1000 : KEY_STEP_MS;
    const next =
      e.key === 'ArrowLeft' || e.key === 'ArrowDown'
        ? positionMs - step
        : e.key === 'ArrowRight' || e.key === 'ArrowUp'
          ? positionMs + step
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? duration
              : null;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    onSeek(Math.max(0, Math.min(duration, next)));
  };

  const onHandleKey = (e: KeyboardEvent<HTMLDivElement>, which: 'start' | 'end') => {
    if (!selection || !onSelect) return;
    const step = e.shiftKey ? 100 : 1000;
    const delta = e.key === 'ArrowLeft' || e.key === 'ArrowDown' ? -step : e.key === 'ArrowRight' || e.key === 'ArrowUp' ? step : null;
    if (delta === null) return;
    e.preventDefault();
    e.stopPropagation();
    if (which === 'start') {
      const startMs = Math.max(0, Math.min(selection.endMs - MIN_SELECTION_MS, selection.startMs + delta));
      onSelect(clampRange(selection.endMs, startMs, 'end'));
    } else {
      const endMs = Math.min(duration, Math.max(selection.startMs + MIN_SELECTION_MS, selection.endMs + delta));
      onSelect(clampRange(selection.startMs, endMs, 'start'));
    }
  };

  return (
    <div className={`waveform${onSelect ? ' waveform-selectable' : ''}`} data-testid="waveform">
      {markers.length > 0 ? (
        <div className="waveform-markers">
          {markers.map((marker) => (
            <button
              key={marker.id}
              type="button"
              className="waveform-marker"
              style={{ left: pct(marker.atMs) }}
              data-testid="comment-marker"
              data-at-ms={marker.atMs}
              aria-label={marker.label}
              title={marker.label}
              onClick={() => (onMarker ? onMarker(marker) : onSeek(marker.atMs))}
            />
          ))}
        </div>
      ) : null}
      <div className="waveform-frame">
        <div
          ref={track}
          className="waveform-track"
          role="slider"
          tabIndex={0}
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={Math.round(duration / 1000)}
          aria-valuenow={Math.round(positionMs / 1000)}
          aria-valuetext={`${formatDuration(positionMs)} of ${formatDuration(duration)}`}
          onPointerDown={(e) => onPointerDown(e)}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => (drag.current = null)}
          onKeyDown={onTrackKey}
        >
          <canvas ref={canvas} className="waveform-canvas" aria-hidden="true" />
        </div>
        {selection && onSelect
          ? (['start', 'end'] as const).map((which) => {
              const ms = which === 'start' ? selection.startMs : selection.endMs;
              return (
                <div
                  key={which}
                  className={`waveform-handle waveform-handle-${which}`}
                  style={{ left: pct(ms) }}
                  role="slider"
                  tabIndex={0}
                  aria-label={which === 'start' ? 'Selection start' : 'Selection end'}
                  aria-valuemin={0}
                  aria-valuemax={Math.round(duration / 1000)}
                  aria-valuenow={Math.round(ms / 1000)}
                  aria-valuetext={formatDuration(ms)}
                  data-testid={`selection-${which}`}
                  data-handle={which}
                  onPointerDown={onHandlePointerDown}
                  onPointerMove={onPointerMove}
                  onPointerUp={onPointerUp}
                  onPointerCancel={() => (drag.current = null)}
                  onKeyDown={(e) => onHandleKey(e, which)}
                />
              );
            })
          : null}
        {overlay ? <div className="waveform-overlay">{overlay}</div> : null}
      </div>
      <div className="waveform-legend" aria-hidden="true">
        <span className="legend-rep">Rep</span>
        <span className="legend-customer">Customer</span>
      </div>
    </div>
  );
}
