import { useId } from 'react';
import { chartPoints, describeTrend, trendDirection, type SkillTrend } from './scorecard-stats';

const WIDTH = 160;
const HEIGHT = 48;
const DIRECTION: Record<ReturnType<typeof trendDirection>, string> = { up: '▲ up', down: '▼ down', steady: '● steady', new: 'first score' };

/**
 * A skill's scores over time as a small line chart (hand-drawn SVG). The chart is an image
 * described in words (`describeTrend`), so a screen reader hears the same scores the eye sees.
 */
export function TrendChart({ trend }: { trend: SkillTrend }) {
  const titleId = useId();
  const points = chartPoints(trend.points, WIDTH, HEIGHT);
  const direction = trendDirection(trend.points);
  return (
    <figure className="trend" data-testid="trend" data-skill={trend.skill} data-points={trend.points.map((p) => p.score).join(',')}>
      <figcaption className="trend-head">
        <strong>{trend.skill}</strong>
        <span className="muted">
          avg {trend.average} · <span className={`trend-${direction}`}>{DIRECTION[direction]}</span>
        </span>
      </figcaption>
      <svg className="trend-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{describeTrend(trend)}</title>
        {[1, 3, 5].map((score) => {
          const y = chartPoints([{ at: 0, score }], WIDTH, HEIGHT)[0]!.y;
          return <line key={score} className="trend-grid" x1={0} x2={WIDTH} y1={y} y2={y} />;
        })}
        {points.length > 1 ? <polyline className="trend-line" points={points.map((p) => `${p.x},${p.y}`).join(' ')} /> : null}
        {points.map((p, i) => (
          <circle key={i} className="trend-point" cx={p.x} cy={p.y} r={3} />
        ))}
      </svg>
    </figure>
  );
}
