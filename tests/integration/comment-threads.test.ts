import { afterEach, describe, expect, it } from 'vitest';
import { MAX_COMMENT_CHARS, MAX_COMMENTS_PER_CLIP, routes, type AuthReply, type ClipSummary } from '../../contract';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

/** A team with one ready clip on a recorded call; `limits` as the server takes them. */
async function teamWithClip(limits?: Parameters<typeof serverWithTeam>[0]) {
  const { server, admin } = await serverWithTeam(limits);
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const hostSocket = await socketFor(server, mentor);
  const repSocket = await socketFor(server, rep);
  const { host, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true } });
  await listen(repSocket, call.id);
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  // Marked while the host still talks: the clip's second of audio is there to cut however busy the machine is.
  const streaming = host.sendOpus(encodeSineOpus({ frames: 100 }));
  const ready = nextEvent(repSocket, 'clip:ready');
  const marked = unwrap(await request(repSocket, 'clip:mark', { callId: call.id, preRollSec: 1, postRollSec: 0, title: 'Pricing pushback' })).clip;
  const clip: ClipSummary = (await ready).clip;
  await streaming;
  expect(clip).toMatchObject({ id: marked.id, status: 'ready' });
  return { server, admin, mentor, rep, clip };
}

const comment = (server: TestServer, who: AuthReply, clipId: string, body: string) =>
  api(server.url, routes.addComment, { token: who.token, params: { id: clipId }, body: { atMs: 0, body } });

/** The ids of the library's clips matching a search. */
async function search(server: TestServer, who: AuthReply, q: string): Promise<string[]> {
  const res = await fetch(`${server.url}/api/clips?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${who.token}` } });
  const body = (await res.json()) as { value: { clips: ClipSummary[] } };
  return body.value.clips.map((c) => c.id);
}

describe('comment threads: indexed one comment at a time, capped in length and size', () => {
  it(`attack: a thread filled to ${MAX_COMMENTS_PER_CLIP} comments stays searchable, refuses the next one, and overlong comments are refused`, async () => {
    const { server, mentor, rep, clip } = await teamWithClip({ limits: { comment: { points: 10_000 } } });

    const tooLong = await comment(server, rep, clip.id, 'x'.repeat(MAX_COMMENT_CHARS + 1));
    expect(tooLong.status).toBe(400);
    expect(tooLong.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: `Invalid request: body: must be at most ${MAX_COMMENT_CHARS} characters` } });
    expect((await comment(server, rep, clip.id, `longest ${'y'.repeat(MAX_COMMENT_CHARS - 8)}`)).status).toBe(200);

    // Fill the thread, a few writers at a time; every comment carries a word of its own.
    for (let i = 1; i < MAX_COMMENTS_PER_CLIP; i += 25) {
      const batch = Array.from({ length: Math.min(25, MAX_COMMENTS_PER_CLIP - i) }, (_, k) => i + k);
      for (const r of await Promise.all(batch.map((n) => comment(server, n % 2 ? rep : mentor, clip.id, `Good point number marker${n}`)))) {
        expect(r.status).toBe(200);
      }
    }
    const full = await comment(server, rep, clip.id, 'One more');
    expect(full.status).toBe(409);
    expect(full.result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already has 500 comments/) } });
    const detail = unwrap((await api(server.url, routes.clip, { token: rep.token, params: { id: clip.id } })).result);
    expect(detail.comments).toHaveLength(MAX_COMMENTS_PER_CLIP);
    expect(detail.clip.commentCount).toBe(MAX_COMMENTS_PER_CLIP);

    // Words of the first, the 10th and the 499th comment are found, with the clip's own words too.
    expect(await search(server, rep, 'marker1')).toEqual([clip.id]);
    expect(await search(server, rep, 'marker10 pricing')).toEqual([clip.id]);
    expect(await search(server, rep, 'MARKER499')).toEqual([clip.id]);
    expect(await search(server, rep, 'marker500')).toEqual([]);

    // Editing and deleting keep the index in step, and a deleted comment frees its place.
    const c499 = detail.comments.find((c) => c.body.endsWith('marker499'))!;
    const c498 = detail.comments.find((c) => c.body.endsWith('marker498'))!;
    unwrap((await api(server.url, routes.editComment, { token: rep.token, params: { id: c499.id }, body: { body: 'Renewal risk' } })).result);
    expect(await search(server, rep, 'marker499')).toEqual([]);
    expect(await search(server, rep, 'renewal')).toEqual([clip.id]);
    unwrap((await api(server.url, routes.deleteComment, { token: mentor.token, params: { id: c498.id } })).result);
    expect(await search(server, rep, 'marker498')).toEqual([]);
    expect((await comment(server, rep, clip.id, 'Closing word zanzibar')).status).toBe(200);
    expect(await search(server, rep, 'zanzibar')).toEqual([clip.id]);
  });

  it('attack: a comment flood from one person is refused past 30 a minute with 429 and Retry-After', async () => {
    const { server, mentor, rep, clip } = await teamWithClip();
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => comment(server, rep, clip.id, `spam ${i}`)));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(30);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.result).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/commenting faster/) } });
      expect(!r.result.ok && r.result.error.retryAfterSec).toBeGreaterThanOrEqual(1);
    }
    // Edits count too; a teammate still comments.
    const first = unwrap(replies[0]!.result).comment;
    expect((await api(server.url, routes.editComment, { token: rep.token, params: { id: first.id }, body: { body: 'edited' } })).status).toBe(429);
    expect((await comment(server, mentor, clip.id, 'Nice handling')).status).toBe(200);
    const detail = unwrap((await api(server.url, routes.clip, { token: mentor.token, params: { id: clip.id } })).result);
    expect(detail.comments).toHaveLength(31);
  });
});
