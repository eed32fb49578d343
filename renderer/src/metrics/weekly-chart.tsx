import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeekPoint } from './metrics-view';

/** Colours from the design tokens (base.css): SVG attributes cannot read CSS variables reliably. */
const ACCENT = '#5b8cff';
const MUTED = '#98a1b0';
const GRID = '#2a303c';
const SURFACE = '#1d222b';

type Measure = 'shadowedHours' | 'teachingHours' | 'callsHosted' | 'clipsMade';

/**
 * One small weekly bar chart (recharts). The figure's caption names it and the numbers are in the
 * table below it, so the drawing itself is decoration for screen readers.
 */
export function WeeklyChart({ title, data, measure, unit }: { title: string; data: WeekPoint[]; measure: Measure; unit: [one: string, many: string] }) {
  const total = Number(data.reduce((sum, p) => sum + p[measure], 0).toFixed(2));
  const units = (n: number) => (n === 1 ? unit[0] : unit[1]);
  return (
    <figure className="metrics-chart" data-testid={`chart-${measure}`}>
      <figcaption>
        <span>{title}</span>
        <span className="muted">
          {total} {units(total)} in {data.length} {data.length === 1 ? 'week' : 'weeks'}
        </span>
      </figcaption>
      <div aria-hidden="true">
        <BarChart responsive width="100%" height={140} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={GRID} />
          <XAxis dataKey="label" tick={{ fill: MUTED, fontSize: 11 }} stroke={GRID} interval="preserveStartEnd" />
          <YAxis allowDecimals={measure.endsWith('Hours')} tick={{ fill: MUTED, fontSize: 11 }} stroke={GRID} width={48} />
          <Tooltip
            cursor={{ fill: 'rgb(91 140 255 / 14%)' }}
            contentStyle={{ background: SURFACE, border: `1px solid ${GRID}`, borderRadius: 8 }}
            labelStyle={{ color: MUTED }}
            formatter={(value) => [`${String(value)} ${units(Number(value))}`, title]}
          />
          <Bar dataKey={measure} fill={ACCENT} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </div>
    </figure>
  );
}
