/**
 * A team for the onboarding tests: manager Mia builds paths for Nina (a new rep) whose mentor is
 * Max; Tom is another rep. Max hosted a recorded call and clipped three one-second moments
 * ("Opener" and "Spare" for the team, "Secret" for managers only) and wrote a talk track. The
 * server's clock is the test's and stands still: `advance(ms)` moves it (playback pacing)
 * instead of waiting.
 */
import { expect } from 'vitest';
import { routes, type AuthReply, type Result } from '../../contract';
import { clipNow, goLive, listen, serverWithTeam, socketFor } from './live-call';
import { encodeSineOpus } from './opus';
import { addMember, api, unwrap } from './test-server';

export async function onboardingTeam() {
  // A clock that only moves when the test says so: playback pacing is then exact, not racing real time.
  const base = Date.now();
  let offset = 0;
  const { server, admin } = await serverWithTeam({ now: () => base + offset });
  const mia = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const nina = await addMember(server.url, admin.token, 'Nina New', 'rep');
  const tom = await addMember(server.url, admin.token, 'Tom Rep', 'rep');
  const max = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: max.user.id }, body: { menteeIds: [nina.user.id] } })).result);

  const maxSocket = await socketFor(server, max);
  const tomSocket = await socketFor(server, tom);
  const { host, call } = await goLive(maxSocket, { recording: { enabled: true, customerInformed: true }, title: 'Demo with Globex' });
  await listen(tomSocket, call.id);
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  const streaming = host.sendOpus(encodeSineOpus({ frames: 400 }));
  const opener = await clipNow(maxSocket, call.id, { title: 'Opener' });
  const secret = await clipNow(maxSocket, call.id, { title: 'Secret', visibility: 'managers' });
  const spare = await clipNow(maxSocket, call.id, { title: 'Spare' });
  await streaming;
  // Cut to about a second (less on a busy machine); the pacing tests scale with the real length.
  for (const clip of [opener, secret, spare]) expect(clip.durationMs).toBeGreaterThanOrEqual(300);
  const track = unwrap(
    (await api(server.url, routes.createTalkTrack, { token: max.token, body: { title: 'Price objection', situation: 'They say it is too expensive', whatToSay: 'Ask what they compare it with.' } }))
      .result,
  ).track;
  return {
    server,
    admin,
    mia,
    nina,
    tom,
    max,
    maxSocket,
    tomSocket,
    clips: { opener, secret, spare },
    track,
    advance(ms: number) {
      offset += ms;
    },
    now: () => base + offset,
  };
}

export type OnboardingTeam = Awaited<ReturnType<typeof onboardingTeam>>;

export function expectRefused(r: { status: number; result: Result<unknown> }, code: string): void {
  expect(r.result.ok, JSON.stringify(r.result)).toBe(false);
  if (!r.result.ok) expect(r.result.error.code).toBe(code);
}

/** Calls a route as `who` (params and body optional). */
export function call<R extends (typeof routes)[keyof typeof routes]>(t: OnboardingTeam, who: AuthReply, route: R, opts: { params?: Record<string, string>; body?: unknown } = {}) {
  return api(t.server.url, route, { token: who.token, ...opts });
}
