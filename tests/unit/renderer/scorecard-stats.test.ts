import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../../../contract';
import { average, chartPoints, describeTrend, scorecardAverage, skillTrends, trendDirection } from '../../../renderer/src/reviews/scorecard-stats';

function card(createdAt: number, scores: [string, number][]): Scorecard {
  return {
    id: `s${createdAt}`,
    clipId: 'k',
    clipTitle: '',
    callTitle: 'Call',
    repId: 'r',
    repName: 'Rita',
    reviewerId: 'm',
    reviewerName: 'Mia',
    scores: scores.map(([skill, score]) => ({ skill, score, note: '' })),
    summary: '',
    nextSteps: '',
    createdAt,
    updatedAt: createdAt,
    canEdit: false,
  };
}

describe('scorecard stats', () => {
  it('builds each skill’s series oldest first, whatever order the cards come in, keeping skills of older rubrics', () => {
    const trends = skillTrends([
      card(30, [['Discovery', 5], ['Listening', 4]]),
      card(10, [['Discovery', 2], ['Pricing', 3]]),
      card(20, [['discovery', 3], ['Pricing', 1]]),
    ]);
    expect(trends.map((t) => t.skill)).toEqual(['Discovery', 'Pricing', 'Listening']);
    expect(trends[0]!.points).toEqual([
      { at: 10, score: 2 },
      { at: 20, score: 3 },
      { at: 30, score: 5 },
    ]);
    expect(trends.map((t) => t.average)).toEqual([3.3, 2, 4]);
    expect(skillTrends([])).toEqual([]);
  });

  it('averages to one decimal, a card’s overall score too', () => {
    expect(average([])).toBe(0);
    expect(average([1, 2, 2])).toBe(1.7);
    expect(scorecardAverage(card(1, [['A', 5], ['B', 4]]))).toBe(4.5);
  });

  it('tells the direction from the last score against the ones before', () => {
    expect(trendDirection([{ at: 1, score: 3 }])).toBe('new');
    expect(trendDirection([{ at: 1, score: 2 }, { at: 2, score: 4 }, { at: 3, score: 4 }])).toBe('up');
    expect(trendDirection([{ at: 1, score: 4 }, { at: 2, score: 2 }])).toBe('down');
    expect(trendDirection([{ at: 1, score: 3 }, { at: 2, score: 3 }])).toBe('steady');
  });

  it('places points in the chart box: 5 at the top, 1 at the bottom, a single point in the middle', () => {
    expect(chartPoints([{ at: 1, score: 5 }, { at: 2, score: 1 }, { at: 3, score: 3 }], 108, 48, 4)).toEqual([
      { x: 4, y: 4 },
      { x: 54, y: 44 },
      { x: 104, y: 24 },
    ]);
    expect(chartPoints([{ at: 1, score: 3 }], 100, 48)).toEqual([{ x: 50, y: 24 }]);
  });

  it('describes a trend in words', () => {
    const [trend] = skillTrends([card(1, [['Closing', 2]]), card(2, [['Closing', 4]])]);
    expect(describeTrend(trend!)).toBe('Closing: 2 scores, oldest first: 2, 4. Average 3 out of 5.');
  });
});
