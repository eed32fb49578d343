/**
 * Follows and the notification centre over real HTTP and socket.io: call-live goes to followers
 * the call's policy lets listen (mentees follow their mentors by default, an unfollow sticks),
 * never to the host or another team; per-kind settings; quiet while hosting; read marks are the
 * recipient's own; and a notification is delivered exactly once across a socket reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type Notification } from '../../contract';
import { goLive, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { addMember, api, nextEvent, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const list = async (server: TestServer, who: AuthReply) =>
  unwrap((await api(server.url, routes.notifications, { token: who.token })).result);
const following = async (server: TestServer, who: AuthReply) =>
  unwrap((await api(server.url, routes.follows, { token: who.token })).result).followingIds;
const follow = (server: TestServer, who: AuthReply, id: string) => api(server.url, routes.follow, { token: who.token, params: { id } });
const unfollow = (server: TestServer, who: AuthReply, id: string) => api(server.url, routes.unfollow, { token: who.token, params: { id } });
const setMentees = async (server: TestServer, admin: AuthReply, mentor: AuthReply, mentees: AuthReply[]) =>
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: mentees.map((m) => m.user.id) } })).result);
const pushOf = (socket: ClientSocket, kind: Notification['kind']) =>
  nextEvent(socket, 'notification:new', (p) => p.notification.kind === kind).then((p) => p.notification);

/** A team with a mentor, their mentee, another rep, a manager, and their sockets. */
async function team() {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const mentee = await addMember(server.url, admin.token, 'Jo Junior', 'rep');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  await setMentees(server, admin, mentor, [mentee]);
  return { server, admin, mentor, mentee, rep, manager };
}

describe('follows', () => {
  it('a mentee follows their mentor by default, an unfollow sticks through reassignment, and a follow comes back', async () => {
    const { server, admin, mentor, mentee } = await team();
    expect(await following(server, mentee)).toEqual([mentor.user.id]);
    expect(unwrap((await unfollow(server, mentee, mentor.user.id)).result).followingIds).toEqual([]);
    await setMentees(server, admin, mentor, []);
    await setMentees(server, admin, mentor, [mentee]);
    expect(await following(server, mentee)).toEqual([]);
    expect(unwrap((await follow(server, mentee, mentor.user.id)).result).followingIds).toEqual([mentor.user.id]);
  });

  it('refuses: following oneself or someone on another team, and nothing changes', async () => {
    const { server, rep } = await team();
    const rival = await rivalTeam(server);
    const self = await follow(server, rep, rep.user.id);
    expect(self.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const other = await follow(server, rep, rival.user.id);
    expect(other.status).toBe(404);
    expect(other.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await follow(server, rival, rep.user.id)).status).toBe(404);
    expect(await following(server, rep)).toEqual([]);
    expect(await following(server, rival)).toEqual([]);
  });
});

describe('call-live', () => {
  it('notifies followers the policy lets listen with the call to open, never the host', async () => {
    const { server, mentor, mentee, manager } = await team();
    unwrap((await follow(server, manager, mentor.user.id)).result);
    const menteeSocket = await socketFor(server, mentee);
    const managerSocket = await socketFor(server, manager);
    const hostSocket = await socketFor(server, mentor);
    const toMentee = pushOf(menteeSocket, 'call-live');
    const toManager = pushOf(managerSocket, 'call-live');
    const { call } = await goLive(hostSocket, { policy: 'mentees-and-managers', title: 'Renewal with Globex' });
    const pushed = await toMentee;
    expect(pushed).toMatchObject({
      kind: 'call-live',
      payload: { callId: call.id, hostId: mentor.user.id, title: 'Renewal with Globex' },
      actorId: mentor.user.id,
      actorName: 'Max Mentor',
      readAt: null,
      quiet: false,
    });
    expect(await toManager).toMatchObject({ kind: 'call-live', payload: { callId: call.id } });
    const centre = await list(server, mentee);
    expect(centre).toEqual({ notifications: [pushed], unread: 1 });
    expect((await list(server, mentor)).notifications).toEqual([]);
  });

  it('refuses: call-live not sent to a follower the policy excludes (a rep on a mentees-and-managers call)', async () => {
    const { server, mentor, mentee, rep } = await team();
    unwrap((await follow(server, rep, mentor.user.id)).result);
    const witness = pushOf(await socketFor(server, mentee), 'call-live');
    const repSocket = await socketFor(server, rep);
    let repPushes = 0;
    repSocket.on('notification:new', () => repPushes++);
    await goLive(await socketFor(server, mentor), { policy: 'mentees-and-managers' });
    // All recipients' rows are stored in one insert before any push: the mentee's push means
    // the decision about the rep is made.
    await witness;
    expect(await list(server, rep)).toEqual({ notifications: [], unread: 0 });
    expect(repPushes).toBe(0);
  });

  it('refuses: a managers-only call notifies no rep or mentor follower, only managers', async () => {
    const { server, admin, mentor, mentee, manager } = await team();
    const lead = await addMember(server.url, admin.token, 'Lee Lead', 'mentor');
    unwrap((await follow(server, manager, lead.user.id)).result);
    unwrap((await follow(server, mentee, lead.user.id)).result);
    unwrap((await follow(server, mentor, lead.user.id)).result);
    const witness = pushOf(await socketFor(server, manager), 'call-live');
    await goLive(await socketFor(server, lead), { policy: 'managers' });
    await witness;
    expect((await list(server, mentee)).notifications).toEqual([]);
    expect((await list(server, mentor)).notifications).toEqual([]);
  });

  it('an unfollowed mentor going live notifies nobody; the kind switched off in settings is not created', async () => {
    const { server, mentor, mentee, manager, rep } = await team();
    unwrap((await unfollow(server, mentee, mentor.user.id)).result);
    unwrap((await follow(server, rep, mentor.user.id)).result);
    unwrap((await follow(server, manager, mentor.user.id)).result);
    const off = unwrap((await api(server.url, routes.updateNotificationSettings, { token: rep.token, body: { 'call-live': false } })).result);
    expect(off.settings).toMatchObject({ 'call-live': false, 'clip-sent': true });
    expect(unwrap((await api(server.url, routes.notificationSettings, { token: rep.token })).result).settings['call-live']).toBe(false);
    const witness = pushOf(await socketFor(server, manager), 'call-live');
    await goLive(await socketFor(server, mentor), { policy: 'team' });
    await witness;
    expect((await list(server, mentee)).notifications).toEqual([]);
    expect((await list(server, rep)).notifications).toEqual([]);
  });

  it('refuses: bad settings are refused and change nothing', async () => {
    const { server, rep } = await team();
    const bad = await api(server.url, routes.updateNotificationSettings, { token: rep.token, body: { 'call-live': 'no' } });
    expect(bad.status).toBe(400);
    expect(unwrap((await api(server.url, routes.notificationSettings, { token: rep.token })).result).settings['call-live']).toBe(true);
  });

  it('is quiet for a follower who is hosting a call: stored in the centre, marked quiet', async () => {
    const { server, mentor, mentee } = await team();
    const menteeSocket = await socketFor(server, mentee);
    await goLive(menteeSocket, { title: 'My own call' });
    const pushed = pushOf(menteeSocket, 'call-live');
    await goLive(await socketFor(server, mentor));
    expect(await pushed).toMatchObject({ quiet: true });
    expect((await list(server, mentee)).notifications[0]).toMatchObject({ kind: 'call-live', quiet: true });
  });
});

describe('the centre', () => {
  it('marks one and all read; refuses: read-marking someone else’s notification, which stays unread', async () => {
    const { server, admin, mentor, mentee, rep } = await team();
    const notify = (n: number) =>
      server.notifications.notify(admin.team.id, mentee.user.id, { kind: 'question-answered', payload: { questionId: `q${n}`, callId: 'c1' } }, mentor.user.id);
    for (const n of [1, 2, 3]) expect(await notify(n)).toBe(true);
    const [first] = (await list(server, mentee)).notifications;
    const foreign = await api(server.url, routes.markNotificationRead, { token: rep.token, params: { id: first!.id } });
    expect(foreign.status).toBe(404);
    expect(foreign.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await list(server, mentee)).unread).toBe(3);

    const menteeSocket = await socketFor(server, mentee);
    const changed = nextEvent(menteeSocket, 'notifications:changed');
    unwrap((await api(server.url, routes.markNotificationRead, { token: mentee.token, params: { id: first!.id } })).result);
    await changed;
    const after = await list(server, mentee);
    expect(after.unread).toBe(2);
    expect(after.notifications.find((n) => n.id === first!.id)?.readAt).toEqual(expect.any(Number));
    unwrap((await api(server.url, routes.markAllNotificationsRead, { token: mentee.token })).result);
    expect((await list(server, mentee)).unread).toBe(0);
  });

  it('refuses: notify() to oneself or to someone on another team creates nothing', async () => {
    const { server, admin, mentee } = await team();
    const rival = await rivalTeam(server);
    const content = { kind: 'question-answered', payload: { questionId: 'q1', callId: 'c1' } } as const;
    expect(await server.notifications.notify(admin.team.id, mentee.user.id, content, mentee.user.id)).toBe(false);
    expect(await server.notifications.notify(admin.team.id, rival.user.id, content, mentee.user.id)).toBe(false);
    expect(await server.notifications.notify(rival.team.id, mentee.user.id, content, rival.user.id)).toBe(false);
    expect((await list(server, mentee)).notifications).toEqual([]);
    expect((await list(server, rival)).notifications).toEqual([]);
  });

  it('delivers exactly once across a socket reconnect: pushed while online, fetched (not replayed) after', async () => {
    const { server, admin, mentor, mentee } = await team();
    const socket = await socketFor(server, mentee);
    const pushes = new Map<string, number>();
    socket.on('notification:new', ({ notification }) => pushes.set(notification.id, (pushes.get(notification.id) ?? 0) + 1));
    const notify = (questionId: string) =>
      server.notifications.notify(admin.team.id, mentee.user.id, { kind: 'question-answered', payload: { questionId, callId: 'c1' } }, mentor.user.id);

    const online = nextEvent(socket, 'notification:new');
    await notify('before');
    const before = (await online).notification;

    socket.disconnect();
    await notify('offline');
    const reconnected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.connect();
    await reconnected;

    const after = nextEvent(socket, 'notification:new');
    await notify('after');
    const afterPush = (await after).notification;
    const centre = await list(server, mentee);
    const questionOf = (n: Notification) => (n.kind === 'question-answered' ? n.payload.questionId : null);
    expect(centre.notifications.map(questionOf).sort()).toEqual(['after', 'before', 'offline']);
    const offline = centre.notifications.find((n) => questionOf(n) === 'offline')!;
    expect(new Set(centre.notifications.map((n) => n.id)).size).toBe(3);
    expect(pushes).toEqual(new Map([[before.id, 1], [afterPush.id, 1]]));
    expect(pushes.has(offline.id)).toBe(false);
  });
});
