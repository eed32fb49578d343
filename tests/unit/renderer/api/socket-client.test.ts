import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SOCKETS_PER_USER } from '../../../../contract';
import { SocketClient, type ConnectionStatus } from '../../../../renderer/src/api/socket-client';
import { connectSocket, setupTeam, startTestServer, type ClientSocket, type TestServer } from '../../../helpers/test-server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A SocketClient whose statuses are recorded; `waitFor(status)` resolves when it reports one. */
function client(server: TestServer, token: string) {
  const statuses: ConnectionStatus[] = [];
  const waiters: { status: ConnectionStatus; resolve: () => void }[] = [];
  const socket = new SocketClient(server.url, token, {
    onStatus(status) {
      statuses.push(status);
      for (const w of waiters.filter((w) => w.status === status)) w.resolve();
    },
    onReconnected() {},
    onUnauthenticated() {},
  });
  cleanups.push(() => socket.close());
  const waitFor = (status: ConnectionStatus) =>
    statuses.includes(status) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ status, resolve }));
  return { socket, statuses, waitFor };
}

describe('SocketClient', () => {
  it('reports "refused" while the person has too many windows open, and connects once one closes', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.stop());
    const admin = await setupTeam(server.url);
    const others: ClientSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_USER; i++) others.push(await connectSocket(server.url, admin.token));
    cleanups.push(() => others.forEach((s) => s.disconnect()));

    const app = client(server, admin.token);
    await app.waitFor('refused');
    expect(app.socket.connected).toBe(false);
    others.pop()!.disconnect();
    await app.waitFor('online');
    expect(app.statuses.filter((s) => s !== 'refused')).toEqual(['connecting', 'online']);
  });
});
