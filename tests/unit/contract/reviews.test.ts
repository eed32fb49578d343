import { describe, expect, it } from 'vitest';
import { ReviewQueueQuery, Rubric, ScorecardBody } from '../../../contract';

const scores = (score: unknown) => [{ skill: 'Discovery', score }];

describe('review contract', () => {
  it('takes a rubric of 1 to 12 distinct skills, trimmed, without control characters', () => {
    expect(Rubric.parse([' Discovery ', 'Next\u0000 steps'])).toEqual(['Discovery', 'Next steps']);
    expect(Rubric.safeParse([]).success).toBe(false);
    expect(Rubric.safeParse(Array.from({ length: 13 }, (_, i) => `S${i}`)).success).toBe(false);
    expect(Rubric.safeParse(['Tone', 'tone']).success).toBe(false);
    expect(Rubric.safeParse(['  ']).success).toBe(false);
    expect(Rubric.safeParse(['x'.repeat(41)]).success).toBe(false);
  });

  it('takes whole scores from 1 to 5, each skill once, a summary, and defaults notes and next steps', () => {
    expect(ScorecardBody.parse({ scores: scores(5), summary: ' Good ' })).toEqual({
      scores: [{ skill: 'Discovery', score: 5, note: '' }],
      summary: 'Good',
      nextSteps: '',
    });
    for (const bad of [0, 6, 2.5, '3', null]) expect(ScorecardBody.safeParse({ scores: scores(bad), summary: 'x' }).success).toBe(false);
    expect(ScorecardBody.safeParse({ scores: scores(undefined), summary: 'x' }).error?.issues[0]?.message).toBe('pick a score from 1 to 5');
    expect(ScorecardBody.safeParse({ scores: [...scores(3), { skill: 'DISCOVERY', score: 2 }], summary: 'x' }).success).toBe(false);
    expect(ScorecardBody.safeParse({ scores: [], summary: 'x' }).success).toBe(false);
    expect(ScorecardBody.safeParse({ scores: scores(3), summary: '' }).success).toBe(false);
    expect(ScorecardBody.safeParse({ scores: scores(3), summary: 'x'.repeat(4001) }).success).toBe(false);
  });

  it('pages the queue from 1, coercing the query string', () => {
    expect(ReviewQueueQuery.parse({})).toEqual({ page: 1 });
    expect(ReviewQueueQuery.parse({ page: '3', tag: 'Pricing' })).toEqual({ page: 3, tag: 'pricing' });
    expect(ReviewQueueQuery.safeParse({ page: '0' }).success).toBe(false);
    expect(ReviewQueueQuery.safeParse({ rep: 'a b' }).success).toBe(false);
  });
});
