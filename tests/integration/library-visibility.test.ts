/**
 * What each person may learn about clips they may not see: `library:changed` pushes and a
 * recording's clip count name only clips the receiver may see.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply } from '../../contract';
import { clipNow, goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

/** Every clip id pushed to a socket in `library:changed`. */
function recordPushedIds(socket: ClientSocket) {
  const ids = new Set<string>();
  socket.on('library:changed', ({ clipIds }) => {
    expect(clipIds).not.toBeNull();
    for (const id of clipIds ?? []) ids.add(id);
  });
  return ids;
}

/**
 * A recorded call hosted by a mentor with a rep listening; the rep clips a team, a managers-only
 * and a private moment, then a last team clip (whose push comes after all the others').
 */
async function clipsOfEveryVisibility() {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const other = await addMember(server.url, admin.token, 'Olga Other', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const sockets = {
    mentor: await socketFor(server, mentor),
    rep: await socketFor(server, rep),
    other: await socketFor(server, other),
    manager: await socketFor(server, manager),
    admin: await socketFor(server, admin),
  };
  const pushed = Object.fromEntries(Object.entries(sockets).map(([who, s]) => [who, recordPushedIds(s)])) as Record<keyof typeof sockets, Set<string>>;
  const { host, call } = await goLive(sockets.mentor, { recording: { enabled: true, customerInformed: true } });
  await listen(sockets.rep, call.id);
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  // Audio keeps coming while the clips are cut (each needs the second before its mark).
  const streaming = host.sendOpus(encodeSineOpus({ frames: 250 }));
  const clips = {
    team: await clipNow(sockets.rep, call.id, { title: 'Team clip' }),
    managers: await clipNow(sockets.rep, call.id, { title: 'Managers clip', visibility: 'managers' }),
    private: await clipNow(sockets.rep, call.id, { title: 'Private clip', visibility: 'private' }),
  };
  const last = await clipNow(sockets.rep, call.id, { title: 'Last team clip' });
  await Promise.all(
    Object.entries(sockets).map(([who, s]) =>
      pushed[who as keyof typeof sockets].has(last.id) ? null : nextEvent(s, 'library:changed', (e) => e.clipIds?.includes(last.id) ?? false),
    ),
  );
  await streaming;
  return { server, admin, mentor, rep, other, manager, sockets, pushed, call, clips, last };
}

describe('library visibility in pushes and counts', () => {
  it('attack: library:changed names no private or managers-only clip to a teammate who may not see it', async () => {
    const { pushed, clips, last } = await clipsOfEveryVisibility();
    const all = [clips.team.id, clips.managers.id, clips.private.id, last.id].sort();
    expect([...pushed.other].sort()).toEqual([clips.team.id, last.id].sort());
    expect([...pushed.manager].sort()).toEqual([clips.team.id, clips.managers.id, last.id].sort());
    expect([...pushed.admin].sort()).toEqual([...pushed.manager].sort());
    // The clipper and the call's host see every clip of the call.
    expect([...pushed.rep].sort()).toEqual(all);
    expect([...pushed.mentor].sort()).toEqual(all);
  });

  it('attack: a recording’s clip count counts only the clips the viewer may see', async () => {
    const { server, admin, mentor, rep, other, manager, sockets, call } = await clipsOfEveryVisibility();
    unwrap(await request(sockets.mentor, 'call:end', { callId: call.id }));
    const count = async (who: AuthReply) => {
      const one = unwrap((await api(server.url, routes.recording, { token: who.token, params: { id: call.id } })).result).recording.clipCount;
      const listed = unwrap((await api(server.url, routes.recordings, { token: who.token })).result).recordings;
      expect(listed.map((r) => r.clipCount)).toEqual([one]);
      return one;
    };
    expect(await count(other)).toBe(2);
    expect(await count(manager)).toBe(3);
    expect(await count(admin)).toBe(3);
    expect(await count(rep)).toBe(4);
    expect(await count(mentor)).toBe(4);
  });
});
