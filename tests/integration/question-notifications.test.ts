/**
 * A host's answer in the debrief notifies the asker, end to end over a real server: pushed once
 * to the asker and to nobody else (the host, other listeners). A scorecard's notifications are
 * tested with the review itself (reviews.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type Notification } from '../../contract';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

/** Counts every notification pushed to `socket`, by kind. */
function pushesTo(socket: ClientSocket): Notification[] {
  const seen: Notification[] = [];
  socket.on('notification:new', ({ notification }) => seen.push(notification));
  return seen;
}

const centre = async (server: TestServer, who: AuthReply) => unwrap((await api(server.url, routes.notifications, { token: who.token })).result).notifications;

describe('notifications from the learning loop', () => {
  it('the asker is notified once when the host answers their question; the host and other listeners are not', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const other = await addMember(server.url, admin.token, 'Olga Other', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const otherSocket = await socketFor(server, other);
    const { call } = await goLive(hostSocket);
    await listen(repSocket, call.id);
    await listen(otherSocket, call.id);
    const toHost = pushesTo(hostSocket);
    const toOther = pushesTo(otherSocket);

    const asked = unwrap(await request(repSocket, 'question:ask', { callId: call.id, text: 'Why pause after the price?', atMs: 400, anonymous: true })).question;
    const queued = nextEvent(hostSocket, 'questions:changed');
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    await queued;

    const pushed = nextEvent(repSocket, 'notification:new', (p) => p.notification.kind === 'question-answered');
    unwrap((await api(server.url, routes.answerQuestion, { token: mentor.token, params: { id: asked.id }, body: { answer: 'To let them react.' } })).result);
    const { notification } = await pushed;
    expect(notification).toMatchObject({ kind: 'question-answered', payload: { questionId: asked.id, callId: call.id } });

    expect((await centre(server, rep)).filter((n) => n.kind === 'question-answered')).toHaveLength(1);
    expect(await centre(server, mentor)).toEqual([]);
    expect(toHost).toEqual([]);
    expect(toOther).toEqual([]);
  });
});
