/**
 * Races the asynchronous store could open: requests that used to run to completion in one
 * synchronous step now wait for the database in between. Runs on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onCleanup, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { createHostPeer } from '../helpers/rtc-peers';
import { addMember, api, request, startTestServer, unwrap } from '../helpers/test-server';
import { routes } from '../../contract';

afterEach(runCleanups);

describe('concurrent requests on the async store', () => {
  it('lets a host start one call when two call:start requests race', async () => {
    const { server, admin } = await serverWithTeam();
    const socket = await socketFor(server, admin);
    const peers = await Promise.all([createHostPeer(), createHostPeer()]);
    for (const peer of peers) onCleanup(() => peer.close());
    const replies = await Promise.all(
      peers.map((peer, i) => request(socket, 'call:start', { title: `Call ${i}`, policy: 'team', offer: peer.offerSdp })),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'ALREADY_LIVE' } });
    const board = unwrap(await request(socket, 'board:get', {}));
    expect(board.calls).toHaveLength(1);
  });

  it('sets the server up once when set-ups race over HTTP', async () => {
    const server = await startTestServer();
    onCleanup(() => server.stop());
    const replies = await Promise.all(
      [1, 2, 3].map((n) =>
        api(server.url, routes.setup, {
          body: { teamName: `T${n}`, name: `Admin ${n}`, email: `race${n}@acme.test`, password: 'correct horse battery' },
        }),
      ),
    );
    expect(replies.filter((r) => r.result.ok)).toHaveLength(1);
    for (const reply of replies.filter((r) => !r.result.ok)) expect(reply.result).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
    const admin = replies.find((r) => r.result.ok)!.result;
    const members = unwrap((await api(server.url, routes.members, { token: unwrap(admin).token })).result).members;
    expect(members).toHaveLength(1);
  });

  it('signs up one person per invite when two sign-ups race for it', async () => {
    const { server, admin } = await serverWithTeam();
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const replies = await Promise.all(
      [1, 2].map((n) =>
        api(server.url, routes.signup, {
          body: { inviteCode: invite.code, name: `Rep ${n}`, email: `rep${n}@acme.test`, password: 'correct horse battery' },
        }),
      ),
    );
    expect(replies.filter((r) => r.result.ok)).toHaveLength(1);
    expect(replies.find((r) => !r.result.ok)?.result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });
    await addMember(server.url, admin.token, 'Later Rep', 'rep');
    const members = unwrap((await api(server.url, routes.members, { token: admin.token })).result).members;
    expect(members).toHaveLength(3);
  });

  it('shuts down cleanly while requests are still waiting for the database', async () => {
    const server = await startTestServer();
    const setup = await api(server.url, routes.setup, {
      body: { teamName: 'Acme', name: 'Alice', email: 'alice@acme.test', password: 'correct horse battery' },
    });
    const { token } = unwrap(setup.result);
    // Requests in flight when the server closes either finish or fail as requests; the
    // database closes after the server's own writes, and nothing rejects unhandled.
    const inFlight = Array.from({ length: 30 }, () =>
      fetch(`${server.url}${routes.members.path}`, { headers: { authorization: `Bearer ${token}` } })
        .then(async (res) => (await res.arrayBuffer(), res.status))
        .catch(() => 'closed' as const),
    );
    await server.stop();
    const outcomes = await Promise.all(inFlight);
    for (const outcome of outcomes) expect([200, 500, 'closed']).toContain(outcome);
  });
});
