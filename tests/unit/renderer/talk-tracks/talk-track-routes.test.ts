import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../../renderer/src/routing';

describe('talk track routes', () => {
  it('parses the list, a track, its editor and a new track from a clip', () => {
    expect(parseRoute('#/talk-tracks')).toEqual({ name: 'talk-tracks' });
    expect(parseRoute('#/talk-tracks/abc')).toEqual({ name: 'talk-track', id: 'abc' });
    expect(parseRoute('#/talk-tracks/abc/edit')).toEqual({ name: 'talk-track-edit', id: 'abc' });
    expect(parseRoute('#/talk-tracks/new/edit')).toEqual({ name: 'talk-track-edit', id: 'new' });
    expect(parseRoute('#/talk-tracks/new/edit?clip=k_1')).toEqual({ name: 'talk-track-edit', id: 'new', clipId: 'k_1' });
    expect(parseRoute('#/talk-tracks/abc/other')).toEqual({ name: 'talk-track', id: 'abc' });
  });

  it('round-trips every talk track route through its href', () => {
    const routes: Route[] = [
      { name: 'talk-tracks' },
      { name: 'talk-track', id: 'abc' },
      { name: 'talk-track-edit', id: 'abc' },
      { name: 'talk-track-edit', id: 'new', clipId: 'k_1' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ name: 'talk-track-edit', id: 'new', clipId: 'k_1' })).toBe('#/talk-tracks/new/edit?clip=k_1');
  });
});
