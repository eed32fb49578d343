/**
 * Clip notifications over real HTTP and socket.io: someone else's comment notifies the clipper,
 * "Send to…" notifies teammates who may see the clip and refuses everyone else, and the
 * coordinator-facing `notify()` for reviews only reaches someone who may see the clip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type ClipSummary } from '../../contract';
import { clipNow, goLive, listen, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, unwrap, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const list = async (server: TestServer, who: AuthReply) =>
  unwrap((await api(server.url, routes.notifications, { token: who.token })).result).notifications;
const send = (server: TestServer, who: AuthReply, clipId: string, recipients: AuthReply[], note = 'Listen to the pause at 0:12') =>
  api(server.url, routes.sendClip, { token: who.token, params: { id: clipId }, body: { recipientIds: recipients.map((r) => r.user.id), note } });

/** A mentor's recorded call with a rep listening who clips a team clip and a private one. */
async function teamWithClips() {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const other = await addMember(server.url, admin.token, 'Olga Other', 'rep');
  const repSocket = await socketFor(server, rep);
  const { host, call } = await goLive(await socketFor(server, mentor), { recording: { enabled: true, customerInformed: true } });
  await listen(repSocket, call.id);
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  const streaming = host.sendOpus(encodeSineOpus({ frames: 150 }));
  const clips: Record<'team' | 'private', ClipSummary> = {
    team: await clipNow(repSocket, call.id, { title: 'Team clip' }),
    private: await clipNow(repSocket, call.id, { title: 'Private clip', visibility: 'private' }),
  };
  await streaming;
  return { server, admin, mentor, rep, other, repSocket, clips };
}

describe('clip notifications', () => {
  it('clip-commented: someone else’s comment notifies the clipper with the comment to open; their own does not', async () => {
    const { server, mentor, rep, repSocket, clips } = await teamWithClips();
    const comment = (who: AuthReply, body: string) =>
      api(server.url, routes.addComment, { token: who.token, params: { id: clips.team.id }, body: { atMs: 0, body } });
    unwrap((await comment(rep, 'My own thought')).result);
    const pushed = nextEvent(repSocket, 'notification:new');
    const theirs = unwrap((await comment(mentor, 'Nice recovery here')).result).comment;
    expect((await pushed).notification).toMatchObject({
      kind: 'clip-commented',
      payload: { clipId: clips.team.id, commentId: theirs.id },
      actorName: 'Max Mentor',
    });
    expect(await list(server, rep)).toHaveLength(1);
    expect(await list(server, mentor)).toEqual([]);
  });

  it('clip-sent: a teammate who may see the clip gets it with the note', async () => {
    const { server, rep, other, clips } = await teamWithClips();
    const otherSocket = await socketFor(server, other);
    const pushed = nextEvent(otherSocket, 'notification:new');
    expect(unwrap((await send(server, rep, clips.team.id, [other])).result)).toEqual({ sent: 1 });
    expect((await pushed).notification).toMatchObject({
      kind: 'clip-sent',
      payload: { clipId: clips.team.id, note: 'Listen to the pause at 0:12' },
      actorId: rep.user.id,
    });
  });

  it('refuses: send a clip to someone who may not see it (and nobody in that send gets it)', async () => {
    const { server, mentor, rep, other, clips } = await teamWithClips();
    const refused = await send(server, rep, clips.private.id, [mentor, other]);
    expect(refused.status).toBe(403);
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('Olga Other cannot see this clip') } });
    // The host may see the private clip, but the send was refused whole.
    expect(await list(server, mentor)).toEqual([]);
    expect(await list(server, other)).toEqual([]);
  });

  it('refuses: sending a clip one may not see, to oneself, to another team, or with a bad body', async () => {
    const { server, rep, other, clips } = await teamWithClips();
    const rival = await rivalTeam(server);
    const hidden = await send(server, other, clips.private.id, [rep]);
    expect(hidden.status).toBe(404);
    expect((await send(server, rep, clips.team.id, [rep])).result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await send(server, rep, clips.team.id, [rival])).status).toBe(404);
    expect((await send(server, rival, clips.team.id, [rival])).status).toBe(404);
    expect((await send(server, rep, clips.team.id, [other], 'x'.repeat(501))).status).toBe(400);
    expect((await api(server.url, routes.sendClip, { token: rep.token, params: { id: clips.team.id }, body: { recipientIds: [] } })).status).toBe(400);
    expect(await list(server, rep)).toEqual([]);
    expect(await list(server, other)).toEqual([]);
    expect(await list(server, rival)).toEqual([]);
  });

  it('clip-reviewed through notify(): reaches the clipper, never someone who may not see the clip', async () => {
    const { server, admin, rep, other, clips } = await teamWithClips();
    const reviewed = (clipId: string, to: AuthReply) =>
      server.notifications.notify(admin.team.id, to.user.id, { kind: 'clip-reviewed', payload: { clipId } }, admin.user.id);
    expect(await reviewed(clips.private.id, rep)).toBe(true);
    expect(await reviewed(clips.private.id, other)).toBe(false);
    expect(await reviewed('no-such-clip', rep)).toBe(false);
    expect((await list(server, rep)).map((n) => n.kind)).toEqual(['clip-reviewed']);
    expect(await list(server, other)).toEqual([]);
  });
});
