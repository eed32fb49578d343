import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type ClipSummary } from '../../contract';
import { goLive, listen, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const usage = async (server: TestServer, who: AuthReply) => api(server.url, routes.teamUsage, { token: who.token });
const usageOf = async (server: TestServer, who: AuthReply) => unwrap((await usage(server, who)).result).usage;
const size = async (server: TestServer, dir: 'clips' | 'recordings', id: string) => (await stat(join(server.dataDir, dir, `${id}.ogg`))).size;

describe('disk usage per team', () => {
  it('shows the admin recordings and clips bytes growing as they are written and shrinking as they go; others get 403', async () => {
    const { server, admin } = await serverWithTeam({ teamClipMinutesPerDay: 90 });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
    expect(await usageOf(server, admin)).toEqual({
      recordingsBytes: 0,
      recordings: 0,
      clipsBytes: 0,
      clips: 0,
      clipMinutesToday: 0,
      clipMinutesPerDay: 90,
    });
    for (const who of [rep, mentor, manager]) {
      const refused = await usage(server, who);
      expect(refused.status).toBe(403);
      expect(refused.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }

    // A recorded call with a clip marked in it.
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { host, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true } });
    await listen(repSocket, call.id);
    await host.sendOpus(encodeSineOpus({ frames: 100 }));
    // Marked while the host still talks, so its second of audio is there to cut however busy the machine is.
    const streaming = host.sendOpus(encodeSineOpus({ frames: 100 }));
    const ready = nextEvent(repSocket, 'clip:ready');
    unwrap(await request(repSocket, 'clip:mark', { callId: call.id, preRollSec: 1, postRollSec: 0 }));
    const marked: ClipSummary = (await ready).clip;
    expect(marked.status).toBe('ready');
    await streaming;
    // Usage as the live recording's size was last saved (every few seconds) plus the clip.
    const afterMark = await usageOf(server, admin);
    expect(afterMark).toMatchObject({ clips: 1, clipsBytes: await size(server, 'clips', marked.id), recordings: 1, clipMinutesToday: 1 });
    expect(afterMark.clipsBytes).toBeGreaterThan(0);

    // The call ends: the kept recording counts with its full size.
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const afterEnd = await usageOf(server, admin);
    expect(afterEnd.recordingsBytes).toBe(await size(server, 'recordings', call.id));
    expect(afterEnd.recordingsBytes).toBeGreaterThan(afterMark.clipsBytes);

    // A clip from the kept recording adds its bytes.
    const fromRange = unwrap(
      (await api(server.url, routes.clipFromRecording, { token: rep.token, params: { id: call.id }, body: { startMs: 0, endMs: 1500 } })).result,
    ).clip;
    const afterRange = await usageOf(server, admin);
    expect(afterRange.clips).toBe(2);
    expect(afterRange.clipsBytes).toBe(afterMark.clipsBytes + (await size(server, 'clips', fromRange.id)));

    // Deleting the recording and a clip gives their bytes back.
    unwrap((await api(server.url, routes.discardRecording, { token: mentor.token, params: { id: call.id } })).result);
    unwrap((await api(server.url, routes.deleteClip, { token: rep.token, params: { id: marked.id } })).result);
    const afterDelete = await usageOf(server, admin);
    expect(afterDelete).toMatchObject({ recordingsBytes: 0, recordings: 0, clips: 1, clipsBytes: afterRange.clipsBytes - afterMark.clipsBytes });

    // Another team's admin sees only their own team.
    const rex = await rivalTeam(server);
    expect(await usageOf(server, rex)).toMatchObject({ recordingsBytes: 0, clipsBytes: 0, clips: 0, clipMinutesToday: 0 });
  });
});
