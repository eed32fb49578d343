/**
 * Deactivation during live calls (real sockets, real WebRTC peers): a listener's audio stops and
 * their sockets close with the reason; a host's call ends for everyone. Plus the audit rows of
 * listening and of audio downloads (one per download, however many Range requests it takes),
 * and deleting a member's clips (files too).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_DEACTIVATED_MESSAGE, audioPaths, routes, type AuditEvent } from '../../contract';
import { clipNow, goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import type { HostPeer } from '../helpers/rtc-peers';
import { addMember, api, nextEvent, request, unwrap, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 150 });
const RECORD = { enabled: true, customerInformed: true };

async function streamUntil(host: HostPeer, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true));
  for (let round = 0; round < 6 && !finished; round++) await host.sendOpus(frames);
  await done;
}

async function auditEvents(server: TestServer, token: string): Promise<AuditEvent[]> {
  await server.audit.idle();
  return unwrap((await api(server.url, routes.audit, { token })).result).events;
}

describe('deactivating someone in a live call', () => {
  it("stops a listening rep's audio at once and closes their sockets with the reason; the listen is in the audit log", async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const adminSocket = await socketFor(server, admin);
    const { host, call } = await goLive(hostSocket, { policy: 'team' });
    const repPeer = await listen(repSocket, call.id);
    const witness = await listen(adminSocket, call.id);
    let stop!: () => void;
    const streaming = streamUntil(host, new Promise<void>((resolve) => (stop = resolve)));
    await Promise.all([repPeer.waitForPackets(20), witness.waitForPackets(20)]);

    const revoked = nextEvent(repSocket, 'session:revoked');
    const closed = new Promise<string>((resolve) => repSocket.once('disconnect', resolve));
    unwrap((await api(server.url, routes.deactivateMember, { token: admin.token, params: { id: rep.user.id } })).result);
    expect(await revoked).toEqual({ reason: 'deactivated', message: ACCOUNT_DEACTIVATED_MESSAGE });
    expect(await closed).toBe('io server disconnect');
    // The rep's audio stopped: the witness hears 100 more packets, the rep at most those in flight.
    const atCut = repPeer.packets.length;
    await witness.waitForPackets(witness.packets.length + 100);
    expect(repPeer.packets.length - atCut).toBeLessThanOrEqual(2);
    expect(server.registry.callsOf(admin.team.id)[0]!.currentListeners().map((l) => l.userId)).toEqual([admin.user.id]);
    stop();
    await streaming;

    const listens = (await auditEvents(server, admin.token)).filter((e) => e.kind.startsWith('listen-') && e.actorId === rep.user.id);
    expect(listens.map((e) => e.kind).sort()).toEqual(['listen-started', 'listen-stopped']);
    for (const row of listens) expect(row).toMatchObject({ subjectName: 'Max Mentor', targetId: call.id, targetLabel: call.title });
  });

  it('ends the call of a host who is deactivated, for every listener', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const adminSocket = await socketFor(server, admin);
    const { call } = await goLive(hostSocket, { policy: 'team' });
    await listen(adminSocket, call.id);
    const ended = nextEvent(adminSocket, 'call:ended');
    const hostClosed = new Promise<string>((resolve) => hostSocket.once('disconnect', resolve));
    unwrap((await api(server.url, routes.deactivateMember, { token: admin.token, params: { id: mentor.user.id } })).result);
    expect(await ended).toEqual({ callId: call.id, reason: 'host-signed-out' });
    expect(server.registry.callsOf(admin.team.id)).toEqual([]);
    expect(await hostClosed).toBe('io server disconnect');
  });
});

describe('downloads in the audit log', () => {
  it('records one row per download of a clip or recording; Range continuations within minutes are the same download', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD, title: 'Renewal with Initech' });
    await host.sendOpus(frames);
    const clip = await clipNow(hostSocket, call.id, { title: 'Great close' });
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));

    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      fetch(server.url + path, { method, headers: { authorization: `Bearer ${admin.token}`, ...headers } }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      });
    expect(await get(audioPaths.clip(clip.id))).toBe(200);
    expect(await get(audioPaths.clip(clip.id), { range: 'bytes=100-' })).toBe(206); // continuation: same download
    expect(await get(audioPaths.clip(clip.id), {}, 'HEAD')).toBe(200); // not a download
    expect(await get(audioPaths.clip(clip.id), { range: 'bytes=0-99' })).toBe(206); // from the start again: a new one
    expect(await get(audioPaths.recording(call.id))).toBe(200);
    expect(await get(audioPaths.recording(call.id), { range: 'bytes=50-' })).toBe(206);
    // Someone else's first request is theirs, even as a continuation-looking Range.
    const mentorGet = await fetch(server.url + audioPaths.recording(call.id), { headers: { authorization: `Bearer ${mentor.token}`, range: 'bytes=50-' } });
    await mentorGet.arrayBuffer();

    const events = await auditEvents(server, admin.token);
    const clipRows = events.filter((e) => e.kind === 'clip-downloaded');
    expect(clipRows).toHaveLength(2);
    expect(clipRows[0]).toMatchObject({ actorId: admin.user.id, targetId: clip.id, targetLabel: 'Great close' });
    const recRows = events.filter((e) => e.kind === 'recording-downloaded');
    expect(recRows.map((e) => e.actorName).sort()).toEqual(['Alice Admin', 'Max Mentor']);
    expect(recRows[0]).toMatchObject({ targetId: call.id, targetLabel: 'Renewal with Initech' });
  });

  it("deletes a deleted member's clips and their files when the admin chooses to", async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });
    await host.sendOpus(frames);
    const mine = await clipNow(hostSocket, call.id, { title: 'Private note', visibility: 'private' });
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const file = join(server.dataDir, 'clips', `${mine.id}.ogg`);
    expect(existsSync(file)).toBe(true);

    unwrap((await api(server.url, routes.deactivateMember, { token: admin.token, params: { id: mentor.user.id } })).result);
    const deleted = unwrap(
      (await api(server.url, routes.deleteMember, { token: admin.token, params: { id: mentor.user.id }, body: { confirmName: 'Max Mentor', clips: 'delete' } })).result,
    );
    expect(deleted).toEqual({ deletedClips: 1, keptClips: 0 });
    expect(existsSync(file)).toBe(false);
    expect(unwrap((await api(server.url, routes.clips, { token: admin.token })).result).clips).toEqual([]);
  });
});
