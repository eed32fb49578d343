import { useEffect, useRef } from 'react';
import type { LevelReader } from '../media/level';

/**
 * A live level meter. It animates outside React: each frame sets the `--level` custom
 * property through the CSSOM (allowed by a CSP without 'unsafe-inline'), and a few times a
 * second the ARIA value and `data-level` for assistive tech and tests.
 */
export function LevelMeter({ read, label, testId, size = 'md' }: { read: LevelReader; label: string; testId?: string; size?: 'sm' | 'md' }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    let lastAria = 0;
    let peak = 0;
    const draw = (time: number) => {
      const level = read();
      peak = Math.max(level, peak - 0.01);
      el.style.setProperty('--level', level.toFixed(3));
      el.style.setProperty('--peak', peak.toFixed(3));
      if (time - lastAria > 250) {
        lastAria = time;
        const pct = Math.round(level * 100);
        el.setAttribute('aria-valuenow', String(pct));
        el.dataset.level = level.toFixed(3);
        el.classList.toggle('is-active', level > 0.05);
      }
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [read]);
  return (
    <div
      ref={ref}
      className={`meter meter-${size}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
      data-level="0"
      data-testid={testId}
    >
      <div className="meter-fill" />
      <div className="meter-peak" />
    </div>
  );
}
