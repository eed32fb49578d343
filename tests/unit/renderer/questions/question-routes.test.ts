import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../../renderer/src/routing';

describe('question routes', () => {
  it('parses the queue, my questions, a debrief and a recording opened at a moment', () => {
    expect(parseRoute('#/questions')).toEqual({ name: 'questions' });
    expect(parseRoute('#/questions/mine')).toEqual({ name: 'questions', tab: 'mine' });
    expect(parseRoute('#/debrief/c1')).toEqual({ name: 'debrief', callId: 'c1' });
    expect(parseRoute('#/debrief')).toEqual({ name: 'questions' });
    expect(parseRoute('#/recordings/c1/at/55000')).toEqual({ name: 'recording', callId: 'c1', atMs: 55_000 });
    // A moment that is not a whole number of ms is ignored, not guessed.
    expect(parseRoute('#/recordings/c1/at/-5')).toEqual({ name: 'recording', callId: 'c1' });
    expect(parseRoute('#/recordings/c1/at/1e9')).toEqual({ name: 'recording', callId: 'c1' });
  });

  it('round-trips through routeHref', () => {
    const routes: Route[] = [
      { name: 'questions' },
      { name: 'questions', tab: 'mine' },
      { name: 'debrief', callId: 'c/1' },
      { name: 'recording', callId: 'c 9', atMs: 1234 },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ name: 'recording', callId: 'c1', atMs: 12.6 })).toBe('#/recordings/c1/at/13');
  });
});
