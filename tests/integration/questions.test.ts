/**
 * Silent questions, the debrief and whispers over a real server, real sockets and real WebRTC
 * listeners: who may ask, who reads what, anonymity, sharing with managers, answering and
 * whisper rules, each forbidden action tried and shown to change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type QuestionView } from '../../contract';
import type { AnsweredEvent } from '../../server/questions/question-service';
import { clipNow, goLive, listen, rivalTeam, runCleanups, serverWithTeam, socketFor, type GoLiveOptions } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

/** A mentor live with a rep and a manager listening; an idle rep and a second mentor on the team. */
async function liveCallWithListeners(opts: GoLiveOptions = {}) {
  const answered: AnsweredEvent[] = [];
  const { server, admin } = await serverWithTeam({ onQuestionAnswered: (e) => answered.push(e) });
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const idle = await addMember(server.url, admin.token, 'Ian Idle', 'rep');
  const otherMentor = await addMember(server.url, admin.token, 'Olga Other', 'mentor');
  const sockets = {
    host: await socketFor(server, mentor),
    rep: await socketFor(server, rep),
    manager: await socketFor(server, manager),
    idle: await socketFor(server, idle),
  };
  const { host, call } = await goLive(sockets.host, opts);
  await listen(sockets.rep, call.id);
  await listen(sockets.manager, call.id);
  return { server, admin, mentor, rep, manager, idle, otherMentor, sockets, host, call, answered };
}

async function ask(socket: ClientSocket, callId: string, fields: Partial<{ text: string; atMs: number; anonymous: boolean; shareWithManagers: boolean }> = {}) {
  return request(socket, 'question:ask', { callId, text: 'Why did you pause after the price?', atMs: 500, ...fields });
}

async function endCall(server: TestServer, hostSocket: ClientSocket, hostToken: string, callId: string) {
  // The host is told its queue changed once the call's end is stored.
  const changed = nextEvent(hostSocket, 'questions:changed');
  unwrap(await request(hostSocket, 'call:end', { callId }));
  await changed;
  return unwrap((await api(server.url, routes.questionQueue, { token: hostToken })).result).questions;
}

const debrief = (server: TestServer, who: AuthReply, callId: string) => api(server.url, routes.debrief, { token: who.token, params: { id: callId } });

describe('silent questions and the debrief', () => {
  it('a listener asks during the call; the host answers in the debrief after it; the asker sees the answer at the moment', async () => {
    const t = await liveCallWithListeners({ recording: { enabled: true, customerInformed: true } });
    expect(t.call.questions).toBe('after-call');
    let counts = 0;
    t.sockets.host.on('question:count', () => counts++);
    await t.host.sendOpus(encodeSineOpus({ frames: 75 }));
    const streaming = t.host.sendOpus(encodeSineOpus({ frames: 100 }));
    const clip = await clipNow(t.sockets.rep, t.call.id, { title: 'The pause' });
    await streaming;

    const asked = unwrap(await ask(t.sockets.rep, t.call.id, { atMs: 1200, text: 'Why\u0007 pause there?' }));
    expect(asked.question).toMatchObject({ atMs: 1200, text: 'Why pause there?', status: 'open', mine: true, askerName: 'Rita Rep' });
    const earlier = unwrap(await ask(t.sockets.rep, t.call.id, { atMs: 300, text: 'What did they say first?' })).question;
    // Questions after the call: nothing in the host's queue while live, and no count push.
    expect(unwrap((await api(t.server.url, routes.questionQueue, { token: t.mentor.token })).result).questions).toEqual([]);
    expect(unwrap((await debrief(t.server, t.mentor, t.call.id)).result).questions).toEqual([]);

    const queue = await endCall(t.server, t.sockets.host, t.mentor.token, t.call.id);
    expect(queue.map((q) => q.text)).toEqual(['What did they say first?', 'Why pause there?']);
    expect(counts).toBe(0);

    const brief = unwrap((await debrief(t.server, t.mentor, t.call.id)).result);
    expect(brief.isHost).toBe(true);
    expect(brief.recorded).toBe(true);
    expect(brief.questions.map((q) => [q.atMs, q.askerName])).toEqual([
      [300, 'Rita Rep'],
      [1200, 'Rita Rep'],
    ]);
    expect(brief.clips.map((c) => c.id)).toEqual([clip.id]);
    expect(brief.listeners.map((l) => l.name).sort()).toEqual(['Mia Manager', 'Rita Rep']);
    for (const l of brief.listeners) expect(l.listenedMs).toBeGreaterThan(0);

    const askerTold = nextEvent(t.sockets.rep, 'questions:changed');
    const answer = await api(t.server.url, routes.answerQuestion, {
      token: t.mentor.token,
      params: { id: asked.question.id },
      body: { answer: 'To let the price land.' },
    });
    expect(unwrap(answer.result).question).toMatchObject({ status: 'answered', answer: 'To let the price land.' });
    await askerTold;
    expect(t.answered).toEqual([{ teamId: t.admin.team.id, askerId: t.rep.user.id, hostId: t.mentor.user.id, questionId: asked.question.id, callId: t.call.id }]);

    const dismissed = await api(t.server.url, routes.dismissQuestion, { token: t.mentor.token, params: { id: earlier.id } });
    expect(unwrap(dismissed.result).question.status).toBe('dismissed');
    expect(unwrap((await api(t.server.url, routes.questionQueue, { token: t.mentor.token })).result).questions).toEqual([]);

    const mine = unwrap((await api(t.server.url, routes.myQuestions, { token: t.rep.token })).result).questions;
    const byId = new Map(mine.map((q) => [q.id, q]));
    expect(byId.get(asked.question.id)).toMatchObject({ atMs: 1200, answer: 'To let the price land.', status: 'answered', recorded: true });
    expect(byId.get(earlier.id)).toMatchObject({ status: 'dismissed', answer: null });
  });

  it('live questions: the host gets a count push (never text or asker) as questions arrive, and its queue shows them', async () => {
    const t = await liveCallWithListeners({ questions: 'live' });
    expect(t.call.questions).toBe('live');
    const first = nextEvent(t.sockets.host, 'question:count');
    unwrap(await ask(t.sockets.rep, t.call.id));
    expect(await first).toEqual({ callId: t.call.id, count: 1 });
    const second = nextEvent(t.sockets.host, 'question:count');
    unwrap(await ask(t.sockets.manager, t.call.id, { anonymous: true }));
    expect(await second).toEqual({ callId: t.call.id, count: 2 });
    expect(unwrap((await api(t.server.url, routes.questionQueue, { token: t.mentor.token })).result).questions).toHaveLength(2);
  });

  it('refuses: a non-listener cannot ask (teammate not listening, the host, another team) and nothing is stored', async () => {
    const t = await liveCallWithListeners();
    expect(await ask(t.sockets.idle, t.call.id)).toMatchObject({ ok: false, error: { code: 'NOT_LISTENING' } });
    expect(await ask(t.sockets.host, t.call.id)).toMatchObject({ ok: false, error: { code: 'NOT_LISTENING' } });
    const rival = await rivalTeam(t.server);
    const rivalSocket = await socketFor(t.server, rival);
    expect(await ask(rivalSocket, t.call.id)).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    // After leaving, a former listener cannot ask either.
    unwrap(await request(t.sockets.rep, 'listen:leave', { callId: t.call.id }));
    expect(await ask(t.sockets.rep, t.call.id)).toMatchObject({ ok: false, error: { code: 'NOT_LISTENING' } });
    expect(await endCall(t.server, t.sockets.host, t.mentor.token, t.call.id)).toEqual([]);
    expect(unwrap((await debrief(t.server, t.mentor, t.call.id)).result).questions).toEqual([]);
    expect(unwrap((await api(t.server.url, routes.myQuestions, { token: t.idle.token })).result).questions).toEqual([]);
    // Once the call ended nobody can ask it anything.
    expect(await ask(t.sockets.manager, t.call.id)).toMatchObject({ ok: false, error: { code: 'CALL_ENDED' } });
  });

  it('refuses: a moment later than the call has lasted, a negative one, or empty / overlong text', async () => {
    const t = await liveCallWithListeners();
    expect(await ask(t.sockets.rep, t.call.id, { atMs: 10 * 60_000 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ask(t.sockets.rep, t.call.id, { atMs: -1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ask(t.sockets.rep, t.call.id, { text: ' \u0000 ' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ask(t.sockets.rep, t.call.id, { text: 'x'.repeat(1001) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(unwrap((await api(t.server.url, routes.myQuestions, { token: t.rep.token })).result).questions).toEqual([]);
  });

  it('anonymous questions never reveal the asker to the host in anything the host receives', async () => {
    const t = await liveCallWithListeners({ questions: 'live' });
    // Everything the host receives, except the board: it lists who is listening by design (the host
    // sees its listeners), and its pushes are coalesced, so one naming Rita may arrive at any time.
    // The board must still say nothing about the question (checked below).
    const received: unknown[] = [];
    const board: unknown[] = [];
    t.sockets.host.onAny((event: string, payload: unknown) => (event === 'board:update' ? board : received).push({ event, payload }));
    const count = nextEvent(t.sockets.host, 'question:count');
    const asked = unwrap(await ask(t.sockets.rep, t.call.id, { anonymous: true, shareWithManagers: true, text: 'Is silence ok?' })).question;
    expect(asked).toMatchObject({ askerId: t.rep.user.id, askerName: 'Rita Rep', anonymous: true });
    await count;
    const queue = unwrap((await api(t.server.url, routes.questionQueue, { token: t.mentor.token })).result);
    await endCall(t.server, t.sockets.host, t.mentor.token, t.call.id);
    const brief = unwrap((await debrief(t.server, t.mentor, t.call.id)).result);
    const answered = unwrap((await api(t.server.url, routes.answerQuestion, { token: t.mentor.token, params: { id: asked.id }, body: { answer: 'Yes.' } })).result);
    const questionForHost = brief.questions.find((q) => q.id === asked.id)!;
    expect(questionForHost).toMatchObject({ askerId: null, askerName: null, anonymous: true, mine: false });
    // The debrief still lists the asker as a listener (they listened); the question never links to them.
    const everything = JSON.stringify([received, queue, questionForHost, answered]);
    expect(everything).not.toContain(t.rep.user.id);
    expect(everything).not.toContain('Rita Rep');
    expect(JSON.stringify(board)).not.toContain(asked.id);
    expect(JSON.stringify(board)).not.toContain('Is silence ok?');
    // A manager the question was shared with does not learn the asker either.
    const managerView = unwrap((await debrief(t.server, t.manager, t.call.id)).result).questions;
    expect(managerView).toEqual([expect.objectContaining({ id: asked.id, askerId: null, askerName: null })]);
  });

  it('refuses: managers see a call’s questions only where the asker allowed it; teammates and other teams see no debrief', async () => {
    const t = await liveCallWithListeners();
    const shared = unwrap(await ask(t.sockets.rep, t.call.id, { shareWithManagers: true, text: 'Shared one' })).question;
    unwrap(await ask(t.sockets.rep, t.call.id, { text: 'Private one' }));
    await endCall(t.server, t.sockets.host, t.mentor.token, t.call.id);
    const forManager = unwrap((await debrief(t.server, t.manager, t.call.id)).result);
    expect(forManager.isHost).toBe(false);
    expect(forManager.questions.map((q) => q.text)).toEqual(['Shared one']);
    expect(forManager.questions[0]).toMatchObject({ id: shared.id, askerName: 'Rita Rep' });
    expect(unwrap((await debrief(t.server, t.admin, t.call.id)).result).questions.map((q) => q.text)).toEqual(['Shared one']);
    // The manager's own queue has nothing of another host's call.
    expect(unwrap((await api(t.server.url, routes.questionQueue, { token: t.manager.token })).result).questions).toEqual([]);
    for (const who of [t.idle, t.rep, t.otherMentor]) {
      expect(await debrief(t.server, who, t.call.id)).toMatchObject({ status: 404, result: { ok: false, error: { code: 'NOT_FOUND' } } });
    }
    const rival = await rivalTeam(t.server);
    expect(await debrief(t.server, rival, t.call.id)).toMatchObject({ status: 404 });
  });

  it('refuses: answering or dismissing someone else’s question (asker, manager, other mentor, other team) changes nothing', async () => {
    const t = await liveCallWithListeners();
    const q = unwrap(await ask(t.sockets.rep, t.call.id, { shareWithManagers: true })).question;
    // While the call is live (questions after the call) even the host cannot answer yet.
    expect(await api(t.server.url, routes.answerQuestion, { token: t.mentor.token, params: { id: q.id }, body: { answer: 'Early' } })).toMatchObject({
      status: 409,
    });
    await endCall(t.server, t.sockets.host, t.mentor.token, t.call.id);
    const rival = await rivalTeam(t.server);
    const attempts: [AuthReply, number][] = [
      [t.rep, 403],
      [t.manager, 403],
      [t.admin, 403],
      [t.otherMentor, 404],
      [t.idle, 404],
      [rival, 404],
    ];
    for (const [who, status] of attempts) {
      expect(await api(t.server.url, routes.answerQuestion, { token: who.token, params: { id: q.id }, body: { answer: 'Not mine to answer' } })).toMatchObject({ status });
      expect(await api(t.server.url, routes.dismissQuestion, { token: who.token, params: { id: q.id } })).toMatchObject({ status });
    }
    const mine = unwrap((await api(t.server.url, routes.myQuestions, { token: t.rep.token })).result).questions;
    expect(mine).toEqual([expect.objectContaining<Partial<QuestionView>>({ id: q.id, status: 'open', answer: null })]);
    expect(t.answered).toEqual([]);
    // A bad answer body is refused too, and an answer to a dismissed question conflicts.
    expect(await api(t.server.url, routes.answerQuestion, { token: t.mentor.token, params: { id: q.id }, body: { answer: '   ' } })).toMatchObject({ status: 400 });
    unwrap((await api(t.server.url, routes.dismissQuestion, { token: t.mentor.token, params: { id: q.id } })).result);
    expect(await api(t.server.url, routes.answerQuestion, { token: t.mentor.token, params: { id: q.id }, body: { answer: 'Late' } })).toMatchObject({ status: 409 });
    expect(t.answered).toEqual([]);
  });
});

describe('whispers', () => {
  it('a manager riding along whispers to the host when allowed; only the host receives it', async () => {
    const t = await liveCallWithListeners({ whispers: true });
    expect(t.call.whispers).toBe(true);
    let elsewhere = 0;
    for (const s of [t.sockets.rep, t.sockets.manager, t.sockets.idle]) s.on('whisper:received', () => elsewhere++);
    const got = nextEvent(t.sockets.host, 'whisper:received');
    unwrap(await request(t.sockets.manager, 'whisper:send', { callId: t.call.id, text: 'Ask about\u001b[31m the budget' }));
    expect(await got).toMatchObject({ callId: t.call.id, fromName: 'Mia Manager', text: 'Ask about[31m the budget' });
    // Each socket answers a request after any push sent to it before: none got the whisper.
    for (const s of [t.sockets.rep, t.sockets.manager, t.sockets.idle]) unwrap(await request(s, 'board:get', {}));
    expect(elsewhere).toBe(0);
  });

  it('refuses: whispers from a rep listener, a manager not listening, another team, or on a call without whispers', async () => {
    const t = await liveCallWithListeners({ whispers: true });
    let got = 0;
    t.sockets.host.on('whisper:received', () => got++);
    const whisper = (s: ClientSocket, callId = t.call.id) => request(s, 'whisper:send', { callId, text: 'psst' });
    expect(await whisper(t.sockets.rep)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    const adminSocket = await socketFor(t.server, t.admin);
    expect(await whisper(adminSocket)).toMatchObject({ ok: false, error: { code: 'NOT_LISTENING' } });
    const rival = await rivalTeam(t.server);
    expect(await whisper(await socketFor(t.server, rival))).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await request(t.sockets.manager, 'whisper:send', { callId: t.call.id, text: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    unwrap(await request(t.sockets.host, 'board:get', {}));
    expect(got).toBe(0);

    // A second call whose host left whispers off (the default).
    const manager2 = await addMember(t.server.url, t.admin.token, 'Mo Manager', 'manager');
    const host2 = await addMember(t.server.url, t.admin.token, 'Hal Host', 'mentor');
    const host2Socket = await socketFor(t.server, host2);
    const quiet = await goLive(host2Socket, { title: 'Quiet call' });
    expect(quiet.call.whispers).toBe(false);
    const m2 = await socketFor(t.server, manager2);
    await listen(m2, quiet.call.id);
    let got2 = 0;
    host2Socket.on('whisper:received', () => got2++);
    expect(await whisper(m2, quiet.call.id)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringContaining('did not allow') } });
    unwrap(await request(host2Socket, 'board:get', {}));
    expect(got2).toBe(0);
  });
});
