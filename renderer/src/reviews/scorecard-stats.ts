import type { Scorecard } from '../../../contract';

/** One point of a skill's trend: when it was scored and the score. */
export interface TrendPoint {
  at: number;
  score: number;
}

/** A skill's scores over time, with their average. */
export interface SkillTrend {
  skill: string;
  points: TrendPoint[];
  /** Mean of the points, to one decimal. */
  average: number;
}

/**
 * Each skill's scores over time, oldest first. Skills appear in the order they first appear
 * (the rubric's order, with skills of older rubrics kept: a scorecard keeps what it was scored
 * on). Skill names match without regard to case.
 */
export function skillTrends(scorecards: readonly Scorecard[]): SkillTrend[] {
  const bySkill = new Map<string, { skill: string; points: TrendPoint[] }>();
  const ordered = [...scorecards].sort((a, b) => a.createdAt - b.createdAt);
  for (const card of ordered) {
    for (const s of card.scores) {
      const key = s.skill.toLowerCase();
      let trend = bySkill.get(key);
      if (!trend) bySkill.set(key, (trend = { skill: s.skill, points: [] }));
      trend.points.push({ at: card.createdAt, score: s.score });
    }
  }
  return [...bySkill.values()].map((t) => ({ ...t, average: average(t.points.map((p) => p.score)) }));
}

/** The mean of some scores to one decimal (0 for none). */
export function average(scores: readonly number[]): number {
  if (scores.length === 0) return 0;
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
}

/** A scorecard's overall score: the mean of its skills. */
export function scorecardAverage(card: Pick<Scorecard, 'scores'>): number {
  return average(card.scores.map((s) => s.score));
}

/** Which way a skill is going: the last score against the mean of the ones before. */
export function trendDirection(points: readonly TrendPoint[]): 'up' | 'down' | 'steady' | 'new' {
  if (points.length < 2) return 'new';
  const last = points[points.length - 1]!.score;
  const before = average(points.slice(0, -1).map((p) => p.score));
  return last > before ? 'up' : last < before ? 'down' : 'steady';
}

/**
 * SVG coordinates of a trend's points in a `width` × `height` box with `pad` inside its edges:
 * x spread evenly by order (one point sits in the middle), y from 1 (bottom) to 5 (top).
 */
export function chartPoints(points: readonly TrendPoint[], width: number, height: number, pad = 4): { x: number; y: number }[] {
  const span = Math.max(1, points.length - 1);
  return points.map((p, i) => ({
    x: points.length === 1 ? width / 2 : pad + ((width - 2 * pad) * i) / span,
    y: pad + ((height - 2 * pad) * (5 - p.score)) / 4,
  }));
}

/** A sentence that says what a trend chart shows, for people who cannot see it. */
export function describeTrend(trend: SkillTrend): string {
  const scores = trend.points.map((p) => p.score).join(', ');
  const n = trend.points.length;
  return `${trend.skill}: ${n} ${n === 1 ? 'score' : 'scores'}, oldest first: ${scores}. Average ${trend.average} out of 5.`;
}
