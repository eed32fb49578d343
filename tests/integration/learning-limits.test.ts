/**
 * Per-person limits on the learning loop's ways of reaching others (limit-policy.ts): a
 * listener flooding the host's queue with questions, a manager flooding a host on a customer
 * call with whispers, "Send to…" used to spam teammates' notifications. Each is refused with
 * RATE_LIMITED and the wait, and what got through stays bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes } from '../../contract';
import { clipNow, goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

describe('learning loop limits', () => {
  it('attack: questions past 10 a minute are refused; the host queue holds the first 10', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { call } = await goLive(hostSocket);
    await listen(repSocket, call.id);

    const replies = [];
    for (let i = 0; i < 12; i++) replies.push(await request(repSocket, 'question:ask', { callId: call.id, text: `Question ${i}`, atMs: 0 }));
    expect(replies.slice(0, 10).every((r) => r.ok)).toBe(true);
    for (const r of replies.slice(10)) {
      expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/10 a minute/) } });
      expect(!r.ok && r.error.retryAfterSec).toBeGreaterThan(0);
    }
    const queued = nextEvent(hostSocket, 'questions:changed');
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    await queued;
    expect(unwrap((await api(server.url, routes.questionQueue, { token: mentor.token })).result).questions).toHaveLength(10);
  });

  it('attack: whispers past 6 a minute are refused; the host receives 6', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
    const hostSocket = await socketFor(server, mentor);
    const managerSocket = await socketFor(server, manager);
    const { call } = await goLive(hostSocket, { whispers: true });
    await listen(managerSocket, call.id);
    const whispers: string[] = [];
    hostSocket.on('whisper:received', (w) => whispers.push(w.text));

    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await request(managerSocket, 'whisper:send', { callId: call.id, text: `Slow down ${i}` }));
    expect(replies.map((r) => r.ok)).toEqual([true, true, true, true, true, true, false, false]);
    expect(replies[6]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/6 a minute/) } });
    // A later event on the same socket arrives after every whisper push before it.
    unwrap(await request(hostSocket, 'board:get', {}));
    expect(whispers).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Slow down ${i}`));
  });

  it('attack: "Send to…" past its limit is refused with 429 and notifies nobody more', async () => {
    const { server, admin } = await serverWithTeam({ limits: { clipSend: { points: 2 } } });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true } });
    await host.sendOpus(encodeSineOpus({ frames: 75 }));
    const streaming = host.sendOpus(encodeSineOpus({ frames: 100 }));
    const clip = await clipNow(hostSocket, call.id, { title: 'Pricing pause' });
    await streaming;

    const send = () => api(server.url, routes.sendClip, { token: mentor.token, params: { id: clip.id }, body: { recipientIds: [rep.user.id], note: 'Listen to this' } });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/sending clips/) } });
    const received = unwrap((await api(server.url, routes.notifications, { token: rep.token })).result).notifications;
    expect(received.filter((n) => n.kind === 'clip-sent')).toHaveLength(2);
  });
});
