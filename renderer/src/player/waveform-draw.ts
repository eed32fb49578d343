import { peakBetween, type Peaks } from '../media/peaks';
import type { WaveformRange } from './waveform';

/** Colours come from the stylesheet (custom properties on the canvas), never from inline CSS. */
function colors(el: HTMLElement) {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    rep: read('--wave-rep', '#5b8cff'),
    customer: read('--wave-customer', '#3ecf8e'),
    unplayed: read('--wave-unplayed', '#3a4250'),
    selection: read('--wave-selection', 'rgb(245 185 74 / 18%)'),
    playhead: read('--wave-playhead', '#e9ecf1'),
    axis: read('--wave-axis', '#2a303c'),
  };
}

/** Paints the two-sided waveform (rep above, customer below), the selection and the playhead. */
export function drawWaveform(
  el: HTMLCanvasElement,
  size: { width: number; height: number },
  peaks: Peaks | null,
  duration: number,
  positionMs: number,
  selection: WaveformRange | null,
): void {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.round(size.width * dpr);
  const height = Math.round(size.height * dpr);
  if (el.width !== width) el.width = width;
  if (el.height !== height) el.height = height;
  const g = el.getContext('2d');
  if (!g) return;
  const c = colors(el);
  g.clearRect(0, 0, width, height);
  const mid = height / 2;
  const xOf = (ms: number) => (Math.max(0, Math.min(duration, ms)) / duration) * width;

  if (selection) {
    g.fillStyle = c.selection;
    g.fillRect(xOf(selection.startMs), 0, Math.max(1, xOf(selection.endMs) - xOf(selection.startMs)), height);
  }
  g.fillStyle = c.axis;
  g.fillRect(0, Math.floor(mid), width, Math.max(1, Math.round(dpr)));

  if (peaks) {
    const bar = Math.max(1, Math.round(2 * dpr));
    const gap = Math.max(1, Math.round(dpr));
    const step = bar + gap;
    const playedX = xOf(positionMs);
    // Peaks cover the decoded file; scale them onto the timeline the player reports.
    const covered = Math.min(1, peaks.durationMs / duration);
    for (let x = 0; x < width; x += step) {
      const rep = peakBetween(peaks.rep, x / width / covered, (x + step) / width / covered);
      const customer = peakBetween(peaks.customer, x / width / covered, (x + step) / width / covered);
      const played = x < playedX;
      const repH = Math.max(dpr, Math.sqrt(rep) * (mid - 2 * dpr));
      const customerH = Math.max(dpr, Math.sqrt(customer) * (mid - 2 * dpr));
      g.fillStyle = played ? c.rep : c.unplayed;
      g.fillRect(x, mid - repH, bar, repH);
      g.fillStyle = played ? c.customer : c.unplayed;
      g.fillRect(x, mid + dpr, bar, customerH);
    }
  }

  g.fillStyle = c.playhead;
  g.fillRect(Math.min(width - 2 * dpr, xOf(positionMs)), 0, Math.max(1, Math.round(2 * dpr)), height);
}
