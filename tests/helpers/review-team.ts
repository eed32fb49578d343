/**
 * A team with clips to review, shared by the review tests: Rita (rep) hosts a recorded call her
 * mentor Max listens to and clips; Olga (rep) hosts another that Max clips once. Managers Mia and
 * Mo review; Tom is a teammate with no part in either call.
 */
import { expect } from 'vitest';
import { routes, type AuthReply, type ClipSummary, type Result } from '../../contract';
import { clipNow, goLive, listen, serverWithTeam, socketFor } from './live-call';
import { encodeSineOpus } from './opus';
import { addMember, api, unwrap } from './test-server';

export async function reviewTeam(onReviewed?: (e: unknown) => void) {
  const { server, admin } = await serverWithTeam({ onReviewed });
  const rita = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const olga = await addMember(server.url, admin.token, 'Olga Rep', 'rep');
  const max = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const tom = await addMember(server.url, admin.token, 'Tom Teammate', 'rep');
  const mia = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const mo = await addMember(server.url, admin.token, 'Mo Manager', 'manager');
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: max.user.id }, body: { menteeIds: [rita.user.id] } })).result);
  const maxSocket = await socketFor(server, max);

  const clipsOf = async (host: AuthReply, titles: { title: string; tags: string[] }[]) => {
    const hostSocket = await socketFor(server, host);
    const { host: peer, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true }, title: `${host.user.name}'s call` });
    await listen(maxSocket, call.id);
    await peer.sendOpus(encodeSineOpus({ frames: 75 }));
    const streaming = peer.sendOpus(encodeSineOpus({ frames: 100 * titles.length + 100 }));
    const clips: ClipSummary[] = [];
    for (const t of titles) clips.push(await clipNow(maxSocket, call.id, t));
    await streaming;
    return { clips, socket: hostSocket };
  };
  const ritaCall = await clipsOf(rita, [
    { title: 'Rita one', tags: ['discovery'] },
    { title: 'Rita two', tags: ['pricing'] },
    { title: 'Rita three', tags: ['pricing'] },
    { title: 'Rita four', tags: [] },
    { title: 'Rita five', tags: ['closing'] },
    { title: 'Rita six', tags: [] },
  ]);
  const olgaCall = await clipsOf(olga, [{ title: 'Olga one', tags: ['pricing'] }]);
  return { server, admin, rita, olga, max, tom, mia, mo, maxSocket, ritaClips: ritaCall.clips, olgaClips: olgaCall.clips };
}

export type ReviewTeam = Awaited<ReturnType<typeof reviewTeam>>;

/** A GET with a query string (the `api` helper takes none), parsed against the route's reply. */
export async function getWithQuery<R extends (typeof routes)[keyof typeof routes]>(
  base: string,
  route: R,
  token: string,
  query: Record<string, string>,
): Promise<{ status: number; result: Result<import('zod').infer<R['reply']>> }> {
  const { resultSchema } = await import('../../contract');
  const res = await fetch(`${base}${route.path}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, result: resultSchema(route.reply).parse(await res.json()) as never };
}

/** A full scorecard on the default rubric. */
export function fullScores(score = 3, note = '') {
  return ['Discovery', 'Objection handling', 'Pricing', 'Closing', 'Rapport'].map((skill) => ({ skill, score, note }));
}

export function expectRefused(r: { status: number; result: Result<unknown> }, code: string): void {
  expect(r.result.ok).toBe(false);
  if (!r.result.ok) expect(r.result.error.code).toBe(code);
}
