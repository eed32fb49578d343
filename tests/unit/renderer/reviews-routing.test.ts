import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/src/routing';

describe('review routes', () => {
  it('reads the review queue and scorecards (one’s own, or a rep’s) from the hash', () => {
    expect(parseRoute('#/reviews')).toEqual({ name: 'reviews' });
    expect(parseRoute('#/scorecards')).toEqual({ name: 'scorecards', rep: null });
    expect(parseRoute('#/scorecards/u%201')).toEqual({ name: 'scorecards', rep: 'u 1' });
  });

  it('round-trips through parseRoute, escaping the rep id', () => {
    const routes: Route[] = [{ name: 'reviews' }, { name: 'scorecards', rep: null }, { name: 'scorecards', rep: 'r/2' }];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ name: 'scorecards', rep: null })).toBe('#/scorecards');
  });
});
