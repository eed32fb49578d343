import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../../renderer/src/routing';

describe('onboarding routes', () => {
  it('parses and builds My onboarding, the paths, a path and its editor', () => {
    const cases: [string, Route][] = [
      ['#/onboarding', { name: 'onboarding' }],
      ['#/paths', { name: 'paths' }],
      ['#/paths/p1', { name: 'path', id: 'p1' }],
      ['#/paths/p1/edit', { name: 'path-edit', id: 'p1' }],
      ['#/paths/new/edit', { name: 'path-edit', id: 'new' }],
    ];
    for (const [hash, route] of cases) {
      expect(parseRoute(hash)).toEqual(route);
      expect(routeHref(route)).toBe(hash);
    }
    expect(parseRoute('#/paths/new')).toEqual({ name: 'path-edit', id: 'new' });
  });
});
