/**
 * Shadow and host-with-mentor steps, computed from real listens: calls go live and are listened
 * to over real WebRTC (stand-in browsers), and the server records each listen. A real listen of
 * five minutes would make this test five minutes long, so once a listen has been recorded the
 * test moves its start earlier through the store (the only row it writes); everything else is
 * what the server recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type CallKind } from '../../contract';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { openTestStore } from '../helpers/test-database';
import { addMember, api, request, unwrap, type TestServer } from '../helpers/test-server';
import type { Store } from '../../server/store/db';

const MIN = 60_000;
let server: TestServer;
let admin: AuthReply;
let mia: AuthReply;
let nina: AuthReply;
let max: AuthReply;
let tom: AuthReply;
let store: Store;

beforeAll(async () => {
  ({ server, admin } = await serverWithTeam());
  mia = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  nina = await addMember(server.url, admin.token, 'Nina New', 'rep');
  max = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  tom = await addMember(server.url, admin.token, 'Tom Rep', 'rep');
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: max.user.id }, body: { menteeIds: [nina.user.id] } })).result);
  store = await openTestStore(server);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await runCleanups();
});

/**
 * `host` goes live with a call of `kind`; each listener listens over WebRTC (once per entry) and
 * leaves; the host ends the call. Resolves once the server has recorded every listen's end.
 */
async function shadowedCall(host: AuthReply, listeners: AuthReply[], kind: CallKind): Promise<string> {
  const hostSocket = await socketFor(server, host);
  const { call } = await goLive(hostSocket, { title: `${kind} call`, kind });
  expect(call.kind).toBe(kind);
  for (const listener of listeners) {
    const socket = await socketFor(server, listener);
    await listen(socket, call.id);
    unwrap(await request(socket, 'listen:leave', { callId: call.id }));
  }
  unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  await recorded(call.id, listeners.length);
  return call.id;
}

/** Waits until the store holds `count` ended listens of the call (history writes are queued). */
async function recorded(callId: string, count: number): Promise<void> {
  for (;;) {
    const rows = await store.db.selectFrom('listens').select('left_at').where('call_id', '=', callId).execute();
    if (rows.length >= count && rows.every((r) => r.left_at !== null)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Makes each recorded listen of `userId` to `callId` start `minutes` before it ended. */
async function lengthen(callId: string, userId: string, minutes: number): Promise<void> {
  const rows = await store.db.selectFrom('listens').select(['id', 'left_at']).where('call_id', '=', callId).where('user_id', '=', userId).execute();
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    await store.db.updateTable('listens').set({ joined_at: Number(row.left_at) - minutes * MIN }).where('id', '=', row.id).execute();
  }
}

const mine = async (who: AuthReply) => unwrap((await api(server.url, routes.myOnboarding, { token: who.token })).result).assignments;
const states = async () => (await mine(nina))[0]!.steps.map((s) => [s.state, s.have]);

describe('computed steps', () => {
  it('shadow steps count calls of their kind with a listen of 5 minutes since the start, each call once; host-with-mentor needs a mentor listening', async () => {
    const path = unwrap(
      (
        await api(server.url, routes.createPath, {
          token: mia.token,
          body: {
            name: 'Shadowing',
            steps: [{ kind: 'shadow', count: 3, callKind: 'demo' }, { kind: 'shadow', count: 1, callKind: 'any' }, { kind: 'host-with-mentor' }],
          },
        })
      ).result,
    ).path;
    const startAt = Date.now() - 60 * MIN;
    unwrap((await api(server.url, routes.assignPath, { token: mia.token, params: { id: path.id }, body: { userIds: [nina.user.id], startAt, dueAt: startAt + 14 * 24 * 60 * MIN } })).result);
    expect(await states()).toEqual([['todo', 0], ['todo', 0], ['todo', 0]]);

    // A discovery call: a real listen, too short; then long, but begun before the assignment started.
    const discovery = await shadowedCall(tom, [nina], 'discovery');
    expect(await states()).toEqual([['todo', 0], ['todo', 0], ['todo', 0]]);
    await lengthen(discovery, nina.user.id, 120);
    expect(await states()).toEqual([['todo', 0], ['todo', 0], ['todo', 0]]);

    // A demo call listened for 6 minutes counts for the demo step and the any-kind step.
    const demo1 = await shadowedCall(max, [nina], 'demo');
    await lengthen(demo1, nina.user.id, 6);
    expect(await states()).toEqual([['todo', 1], ['done', 1], ['todo', 0]]);

    // A second demo call Nina joined twice (dropped and rejoined): one call, counted once.
    const demo2 = await shadowedCall(max, [nina, nina], 'demo');
    await lengthen(demo2, nina.user.id, 6);
    expect(await states()).toEqual([['todo', 2], ['done', 1], ['todo', 0]]);

    // A demo call of 4 minutes does not count.
    const demo3 = await shadowedCall(max, [nina], 'demo');
    await lengthen(demo3, nina.user.id, 4);
    expect(await states()).toEqual([['todo', 2], ['done', 1], ['todo', 0]]);
    await lengthen(demo3, nina.user.id, 5);
    const [assignment] = await mine(nina);
    expect(assignment!.steps.map((s) => [s.state, s.have])).toEqual([['done', 3], ['done', 1], ['todo', 0]]);
    // Done when the count was reached: five minutes into the listen that made it.
    const demo3Listen = await store.db.selectFrom('listens').select('joined_at').where('call_id', '=', demo3).executeTakeFirstOrThrow();
    expect(assignment!.steps[0]!.doneAt).toBe(Number(demo3Listen.joined_at) + 5 * MIN);

    // Nina hosts: Tom (not her mentor) listening does not count; Max (her mentor) does.
    const hosted = await shadowedCall(nina, [tom, max], 'follow-up');
    await lengthen(hosted, tom.user.id, 10);
    expect((await states())[2]).toEqual(['todo', 0]);
    await lengthen(hosted, max.user.id, 6);
    expect((await states())[2]).toEqual(['done', 1]);

    // The manager sees the same progress; Nina's listens never count for anyone else.
    const seen = unwrap((await api(server.url, routes.path, { token: mia.token, params: { id: path.id } })).result).assignments[0]!;
    expect(seen).toMatchObject({ done: 3, total: 3, overdue: false });
    expect(await mine(tom)).toEqual([]);
  });
});
