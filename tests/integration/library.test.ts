import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioPaths, routes, type AuthReply, type ClipSummary } from '../../contract';
import { clipNow, goLive, listen, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, request, unwrap, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const RECORD = { enabled: true, customerInformed: true };

async function audioStatus(server: TestServer, clipId: string, token: string): Promise<number> {
  const res = await fetch(server.url + audioPaths.clip(clipId), { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

const library = async (server: TestServer, who: AuthReply, query: Record<string, string> = {}) => {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${server.url}/api/clips${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${who.token}` } });
  const body = (await res.json()) as { ok: boolean; value?: { clips: ClipSummary[] }; error?: { code: string } };
  return { status: res.status, body, titles: (body.value?.clips ?? []).map((c) => c.title).sort() };
};

/** A recorded call hosted by a mentor with a rep and a manager listening, one second of audio in. */
async function callWithListeners() {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const other = await addMember(server.url, admin.token, 'Olga Other', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const hostSocket = await socketFor(server, mentor);
  const repSocket = await socketFor(server, rep);
  const { host, call } = await goLive(hostSocket, { recording: RECORD });
  await listen(repSocket, call.id);
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  return { server, admin, mentor, rep, other, manager, host, hostSocket, repSocket, call };
}

describe('the team library: visibility, editing, comments, search and retention', () => {
  it('shows each clip only to the people its visibility allows, and nothing to other teams', async () => {
    const { server, admin, mentor, rep, other, manager, host, hostSocket, repSocket, call } = await callWithListeners();
    // The host keeps talking while the three clips are cut one after another: on a busy machine
    // the third is marked seconds in, and a clip of silence after the audio ended cannot be cut.
    const streaming = host.sendOpus(encodeSineOpus({ frames: 1000 }));
    const team = await clipNow(repSocket, call.id, { title: 'Team clip' });
    const managersOnly = await clipNow(repSocket, call.id, { title: 'Managers clip', visibility: 'managers' });
    const mine = await clipNow(repSocket, call.id, { title: 'Private clip', visibility: 'private' });
    host.close();
    await streaming;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));

    expect((await library(server, rep)).titles).toEqual(['Managers clip', 'Private clip', 'Team clip']);
    // The host can always see clips of their call.
    expect((await library(server, mentor)).titles).toEqual(['Managers clip', 'Private clip', 'Team clip']);
    expect((await library(server, manager)).titles).toEqual(['Managers clip', 'Team clip']);
    expect((await library(server, admin)).titles).toEqual(['Managers clip', 'Team clip']);
    expect((await library(server, other)).titles).toEqual(['Team clip']);

    // Below a clip's visibility, or on another team: 404 for the clip and its audio, never the file.
    const rex = await rivalTeam(server);
    for (const [who, id] of [
      [other, managersOnly.id],
      [other, mine.id],
      [manager, mine.id],
      [rex, team.id],
    ] as const) {
      expect((await api(server.url, routes.clip, { token: who.token, params: { id } })).status).toBe(404);
      expect(await audioStatus(server, id, who.token)).toBe(404);
    }
    expect((await library(server, rex)).titles).toEqual([]);
    expect(await audioStatus(server, team.id, other.token)).toBe(200);
    expect(unwrap((await api(server.url, routes.recordings, { token: rex.token })).result).recordings).toEqual([]);
    expect((await api(server.url, routes.recording, { token: rex.token, params: { id: call.id } })).status).toBe(404);
    const rexCut = await api(server.url, routes.clipFromRecording, { token: rex.token, params: { id: call.id }, body: { startMs: 0, endMs: 500 } });
    expect(rexCut.status).toBe(404);
    // Not signed in: nothing.
    expect((await fetch(server.url + audioPaths.clip(team.id))).status).toBe(401);
  });

  it('lets the right people edit, review, delete and comment, and searches titles, notes, tags and comments', async () => {
    const { server, mentor, rep, other, manager, hostSocket, repSocket, call } = await callWithListeners();
    const clip = await clipNow(repSocket, call.id, { title: 'Budget question', note: 'Handles the CFO objection', tags: ['objection'] });
    const second = await clipNow(hostSocket, call.id, { title: 'Warm open', tags: ['rapport', 'Custom Tag'] });
    expect(second.tags).toEqual(['rapport', 'custom tag']);
    expect(clip).toMatchObject({ canEdit: true, canDelete: true, reviewed: false, commentCount: 0 });

    // Editing: clipper, host and managers; not other reps. Bad input changes nothing.
    const edit = (who: AuthReply, body: unknown) => api(server.url, routes.updateClip, { token: who.token, params: { id: clip.id }, body });
    expect((await edit(other, { title: 'Hijacked' })).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await edit(rep, { tags: ['not/ok'] })).status).toBe(400);
    expect((await edit(rep, {})).status).toBe(400);
    expect(unwrap((await edit(mentor, { title: 'Budget question, handled' })).result).clip.title).toBe('Budget question, handled');
    expect((await edit(rep, { reviewed: true })).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(unwrap((await edit(manager, { reviewed: true })).result).clip.reviewed).toBe(true);

    // Comments: anyone who sees the clip, at a moment within it; threads one level deep.
    const comment = (who: AuthReply, body: unknown) =>
      api(server.url, routes.addComment, { token: who.token, params: { id: clip.id }, body });
    const root = unwrap((await comment(other, { atMs: 500, body: 'Listen to the pause before the number' })).result).comment;
    const reply = unwrap((await comment(rep, { atMs: 500, body: 'Agreed', parentId: root.id })).result).comment;
    const replyToReply = unwrap((await comment(mentor, { atMs: 600, body: 'Same here', parentId: reply.id })).result).comment;
    expect(replyToReply.parentId).toBe(root.id);
    expect((await comment(other, { atMs: 60_000, body: 'Past the end' })).status).toBe(400);
    // A player reporting a moment a hair past the end (its duration rounds differently) is clamped.
    const atEnd = unwrap((await comment(other, { atMs: clip.durationMs + 15, body: 'Strong finish' })).result).comment;
    expect(atEnd.atMs).toBe(clip.durationMs);
    unwrap((await api(server.url, routes.deleteComment, { token: other.token, params: { id: atEnd.id } })).result);
    expect((await comment(other, { atMs: 100, body: '   ' })).status).toBe(400);
    const editComment = (who: AuthReply, id: string, body: string) =>
      api(server.url, routes.editComment, { token: who.token, params: { id }, body: { body } });
    expect((await editComment(rep, root.id, 'Rewritten')).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(unwrap((await editComment(other, root.id, 'Listen to the pause before the price')).result).comment.editedAt).not.toBeNull();
    const removeComment = (who: AuthReply, id: string) => api(server.url, routes.deleteComment, { token: who.token, params: { id } });
    expect((await removeComment(other, reply.id)).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    unwrap((await removeComment(manager, reply.id)).result);
    const detail = unwrap((await api(server.url, routes.clip, { token: rep.token, params: { id: clip.id } })).result);
    expect(detail.comments.map((c) => c.body)).toEqual(['Listen to the pause before the price', 'Same here']);
    expect(detail.clip.commentCount).toBe(2);

    // Full-text search over title, note, tags and comments; filters.
    expect((await library(server, other, { q: 'CFO' })).titles).toEqual(['Budget question, handled']);
    expect((await library(server, other, { q: 'pri' })).titles).toEqual(['Budget question, handled']);
    expect((await library(server, other, { q: 'custom' })).titles).toEqual(['Warm open']);
    expect((await library(server, other, { q: 'nothing-like-this' })).titles).toEqual([]);
    expect((await library(server, other, { q: '"unbalanced AND (' })).status).toBe(200);
    expect((await library(server, other, { tag: 'rapport' })).titles).toEqual(['Warm open']);
    expect((await library(server, other, { reviewed: 'yes' })).titles).toEqual(['Budget question, handled']);
    expect((await library(server, other, { reviewed: 'no' })).titles).toEqual(['Warm open']);
    // "Rep" matches the call's host or the clipper.
    expect((await library(server, other, { rep: mentor.user.id })).titles).toEqual(['Budget question, handled', 'Warm open']);
    expect((await library(server, other, { rep: rep.user.id })).titles).toEqual(['Budget question, handled']);
    expect((await library(server, other, { from: String(Date.now() + 60_000) })).titles).toEqual([]);
    expect((await library(server, other, { reviewed: 'maybe' })).status).toBe(400);

    // Deleting: clipper, host or manager, after which the clip and its audio are gone.
    const remove = (who: AuthReply, id: string) => api(server.url, routes.deleteClip, { token: who.token, params: { id } });
    expect((await remove(other, clip.id)).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    unwrap((await remove(rep, clip.id)).result);
    expect((await api(server.url, routes.clip, { token: rep.token, params: { id: clip.id } })).status).toBe(404);
    expect(existsSync(join(server.dataDir, 'clips', `${clip.id}.ogg`))).toBe(false);
    expect((await library(server, other, { q: 'CFO' })).titles).toEqual([]);
    unwrap((await remove(manager, second.id)).result);
  });

  it('gathers a burst of library changes into few pushes naming every changed clip', async () => {
    const { server, manager, hostSocket, repSocket, call } = await callWithListeners();
    const a = await clipNow(repSocket, call.id, { title: 'A' });
    const b = await clipNow(repSocket, call.id, { title: 'B' });
    const pushes: (string[] | null)[] = [];
    const seen = new Set<string>();
    hostSocket.on('library:changed', ({ clipIds }) => {
      pushes.push(clipIds);
      for (const id of clipIds ?? []) seen.add(id);
    });
    const bothSeen = new Promise<void>((resolve) => hostSocket.on('library:changed', () => seen.has(a.id) && seen.has(b.id) && resolve()));
    // Ten comments at once, five on each clip: ten changes.
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(server.url, routes.addComment, { token: manager.token, params: { id: i % 2 ? b.id : a.id }, body: { atMs: 0, body: `Note ${i}` } }),
      ),
    );
    for (const reply of replies) expect(reply.status).toBe(200);
    await bothSeen;
    // Pushes come at most once per 100 ms and name every clip changed meanwhile.
    expect(pushes.length).toBeLessThan(10);
    expect(pushes.some((ids) => ids !== null && ids.includes(a.id) && ids.includes(b.id))).toBe(true);
  });

  it('deletes full recordings when the retention runs out or the host discards them; clips stay', async () => {
    const { server, admin, mentor, rep, hostSocket, repSocket, call } = await callWithListeners();
    const clip = await clipNow(repSocket, call.id, { title: 'Keeper' });
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const recordingFile = join(server.dataDir, 'recordings', `${call.id}.ogg`);
    expect(existsSync(recordingFile)).toBe(true);

    const setRetention = (who: AuthReply, retentionDays: unknown) =>
      api(server.url, routes.updateTeamSettings, { token: who.token, body: { retentionDays } });
    expect((await setRetention(mentor, 1)).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await setRetention(admin, 0)).status).toBe(400);
    expect(unwrap((await setRetention(admin, 2)).result).settings.retentionDays).toBe(2);
    const kept = unwrap((await api(server.url, routes.recording, { token: rep.token, params: { id: call.id } })).result).recording;
    expect(kept.expiresAt! - kept.endedAt!).toBe(2 * 86_400_000);

    expect(await server.maintenance.sweepRecordings(kept.expiresAt! - 1)).toBe(0);
    expect(await server.maintenance.sweepRecordings(kept.expiresAt!)).toBe(1);
    expect(existsSync(recordingFile)).toBe(false);
    expect((await api(server.url, routes.recording, { token: rep.token, params: { id: call.id } })).status).toBe(404);
    expect(await audioStatus(server, clip.id, rep.token)).toBe(200);

    // The host discards at the end of a call: the recording goes, the clip made during it stays.
    const again = await goLive(hostSocket, { recording: RECORD, title: 'Second call' });
    await listen(repSocket, again.call.id);
    await again.host.sendOpus(encodeSineOpus({ frames: 60 }));
    const during = await clipNow(repSocket, again.call.id, { title: 'From the discarded call' });
    unwrap(await request(hostSocket, 'call:end', { callId: again.call.id, keepRecording: false }));
    expect(existsSync(join(server.dataDir, 'recordings', `${again.call.id}.ogg`))).toBe(false);
    expect(unwrap((await api(server.url, routes.recordings, { token: mentor.token })).result).recordings).toEqual([]);
    expect(await audioStatus(server, during.id, rep.token)).toBe(200);
  });
});
