import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/src/routing';

describe('parseRoute', () => {
  it('reads every screen from the hash', () => {
    expect(parseRoute('')).toEqual({ name: 'board' });
    expect(parseRoute('#/')).toEqual({ name: 'board' });
    expect(parseRoute('#/setup')).toEqual({ name: 'setup' });
    expect(parseRoute('#/signin')).toEqual({ name: 'signin' });
    expect(parseRoute('#/join')).toEqual({ name: 'join', code: null });
    expect(parseRoute('#/join/abc123')).toEqual({ name: 'join', code: 'abc123' });
    expect(parseRoute('#/go-live')).toEqual({ name: 'go-live' });
    expect(parseRoute('#/listen/c1')).toEqual({ name: 'listen', callId: 'c1' });
    expect(parseRoute('#/team')).toEqual({ name: 'team' });
    expect(parseRoute('#/account')).toEqual({ name: 'account' });
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' });
    expect(parseRoute('#/library')).toEqual({ name: 'library' });
    expect(parseRoute('#/clips/k1')).toEqual({ name: 'clip', id: 'k1' });
    expect(parseRoute('#/recordings')).toEqual({ name: 'recordings' });
    expect(parseRoute('#/recordings/c9')).toEqual({ name: 'recording', callId: 'c9' });
  });

  it('falls back to a list or the board when an id is missing or the screen is unknown', () => {
    expect(parseRoute('#/listen')).toEqual({ name: 'board' });
    expect(parseRoute('#/clips')).toEqual({ name: 'library' });
    expect(parseRoute('#/nope/1')).toEqual({ name: 'board' });
  });

  it('decodes ids, keeps malformed escapes as typed, and ignores extra slashes', () => {
    expect(parseRoute('#/join/a%20b')).toEqual({ name: 'join', code: 'a b' });
    expect(parseRoute('#/join/%E0%A4%A')).toEqual({ name: 'join', code: '%E0%A4%A' });
    expect(parseRoute('#//clips//k1/')).toEqual({ name: 'clip', id: 'k1' });
    expect(parseRoute('clips/k1')).toEqual({ name: 'clip', id: 'k1' });
  });
});

describe('routeHref', () => {
  const routes: Route[] = [
    { name: 'board' },
    { name: 'setup' },
    { name: 'signin' },
    { name: 'join', code: null },
    { name: 'join', code: 'a/b c' },
    { name: 'go-live' },
    { name: 'listen', callId: 'c 1' },
    { name: 'team' },
    { name: 'account' },
    { name: 'settings' },
    { name: 'library' },
    { name: 'clip', id: 'k#1' },
    { name: 'recordings' },
    { name: 'recording', callId: 'c?9' },
  ];

  it('round-trips through parseRoute, escaping ids', () => {
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ name: 'clip', id: 'k#1' })).toBe('#/clips/k%231');
  });
});

describe('notification routes', () => {
  it('parses and builds the centre and a clip opened at a comment', () => {
    expect(parseRoute('#/notifications')).toEqual({ name: 'notifications' });
    expect(routeHref({ name: 'notifications' })).toBe('#/notifications');
    expect(parseRoute('#/clips/k1/comments/m1')).toEqual({ name: 'clip', id: 'k1', commentId: 'm1' });
    expect(routeHref({ name: 'clip', id: 'k1', commentId: 'm1' })).toBe('#/clips/k1/comments/m1');
    expect(parseRoute('#/clips/k1/comments')).toEqual({ name: 'clip', id: 'k1' });
  });
});
