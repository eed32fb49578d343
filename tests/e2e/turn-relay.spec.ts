import type { BrowserContext, Page } from '@playwright/test';
import { startTestTurn, type TestTurn } from '../helpers/turn-server';
import { seedMember, seedTeam } from './api';
import { goLive, listenTo, signIn } from './app-steps';
import { expect, numberAttribute, test as base } from './fixtures';

/**
 * A listener on a network that lets nothing through but TCP to the TURN server: its page may
 * only use relay candidates (every RTCPeerConnection it makes is forced to
 * `iceTransportPolicy: 'relay'` by an init script; the app itself has no such switch), and the
 * relay is a real coturn reached over TCP. The server hands out the coturn credentials.
 */
const test = base.extend<{ turn: TestTurn }>({
  // Playwright reads fixture dependencies from the destructuring pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  turn: async ({}, use) => {
    const turn = await startTestTurn();
    await use(turn);
    await turn.stop();
  },
  // coturn relays from 127.0.0.1: the server's answers must name the address it is reached at.
  serverOptions: async ({ turn }, use) => {
    await use({ turnUrls: [turn.url('tcp')], turnSecret: turn.secret, turnTtlSec: 600, announcedIp: '127.0.0.1' });
  },
});

/** What the page's connections say about themselves (read through the init script's list). */
interface RelayStats {
  connected: number;
  /** The selected pair's local candidate: its type and, for a relay, how coturn is reached. */
  localType: string | null;
  relayProtocol: string | null;
  /** The TURN URL the page used, as configured from `media:ice-servers`. */
  turnUrls: string[];
  packetsReceived: number;
  audioLevel: number;
}

/** The page's side, as the init script sees it (node typings carry no DOM). */
interface IceServerInit {
  urls: string | string[];
  username?: string;
  credential?: string;
}
interface PagePeer {
  connectionState: string;
  getStats(): Promise<{ values(): Iterable<Record<string, unknown>> }>;
}
interface RelayWindow {
  RTCPeerConnection: new (config?: { iceServers?: IceServerInit[]; iceTransportPolicy?: string }) => PagePeer;
  __relayTest: { made: PagePeer[]; configs: { iceServers?: IceServerInit[] }[] };
}

/** Forces every RTCPeerConnection the page makes to relay-only, and keeps them and their configs. */
async function forceRelay(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const page = globalThis as unknown as RelayWindow;
    const Native = page.RTCPeerConnection;
    const seen: RelayWindow['__relayTest'] = { made: [], configs: [] };
    page.__relayTest = seen;
    page.RTCPeerConnection = class RelayOnly extends Native {
      constructor(config: { iceServers?: IceServerInit[] } = {}) {
        super({ ...config, iceTransportPolicy: 'relay' });
        seen.made.push(this);
        seen.configs.push(config);
      }
    };
  });
}

async function relayStats(page: Page): Promise<RelayStats> {
  return page.evaluate(async () => {
    const { made, configs } = (globalThis as unknown as RelayWindow).__relayTest;
    const result = { connected: 0, localType: null as string | null, relayProtocol: null as string | null, turnUrls: [] as string[], packetsReceived: 0, audioLevel: 0 };
    for (const [i, pc] of made.entries()) {
      if (pc.connectionState !== 'connected') continue;
      result.connected++;
      result.turnUrls = (configs[i]?.iceServers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
      const stats = [...(await pc.getStats()).values()];
      const transport = stats.find((s) => s.type === 'transport');
      const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
      const local = stats.find((s) => s.id === pair?.localCandidateId);
      result.localType = (local?.candidateType as string | undefined) ?? null;
      result.relayProtocol = (local?.relayProtocol as string | undefined) ?? null;
      const inbound = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
      result.packetsReceived = Number(inbound?.packetsReceived ?? 0);
      result.audioLevel = Number(inbound?.audioLevel ?? 0);
    }
    return result;
  });
}

/** Alice goes live (on a relay-only network too if `hostRelayOnly`); Bob opens the app on a relay-only network. */
async function relayOnlyListenerJoins(
  server: { url: string },
  openApp: (path?: string, prepare?: (c: BrowserContext) => Promise<void>) => Promise<Page>,
  hostRelayOnly = false,
) {
  const admin = await seedTeam(server.url);
  const bob = await seedMember(server.url, admin.token, { name: 'Bob Learner', email: 'bob@acme.test', role: 'rep' });
  const host = hostRelayOnly ? await openApp('/', forceRelay) : await openApp();
  await signIn(host, 'alice@acme.test');
  await goLive(host, { title: 'Discovery through the firewall' });
  const listener = await openApp('/', forceRelay);
  await signIn(listener, 'bob@acme.test');
  return { host, listener, bobId: bob.user.id };
}

test('a relay-only listener gets TURN credentials from the server and coturn relays toward the server over TCP', async ({ server, openApp, turn }) => {
  const { listener, bobId } = await relayOnlyListenerJoins(server, openApp);
  const card = listener.getByTestId('call-card').filter({ hasText: 'Discovery through the firewall' });
  await card.getByRole('button', { name: /Listen/ }).click();

  // coturn accepted the credential the server signed for Bob (REST-API scheme: expiry:userId)
  // over TCP, and opened a permission toward the server's announced address.
  const permitted = new RegExp(`user <(\\d+):${bobId}>: incoming packet CREATE_PERMISSION processed, success`);
  await expect.poll(() => turn.output()).toMatch(permitted);
  const expiry = Number(permitted.exec(turn.output())![1]);
  expect(expiry).toBeGreaterThan(Date.now() / 1000 + 600 - 120);
  expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
  expect(turn.output()).toMatch(new RegExp(`user <${expiry}:${bobId}>: incoming packet ALLOCATE processed, success`));
  const configured = await listener.evaluate(() => (globalThis as unknown as RelayWindow).__relayTest.configs[0]?.iceServers);
  expect(configured).toEqual([{ urls: [turn.url('tcp')], username: expect.stringMatching(new RegExp(`^\\d+:${bobId}$`)), credential: expect.any(String) }]);
});

/**
 * Chromium's TURN-over-TCP ports send their checks with an ICE tiebreaker of 0, which libjuice
 * 1.7 refuses (libjuice#355); the server's relay ingress (server/media/relay-ingress.ts) repairs
 * them. Without it this test fails: ICE never completes.
 */
test('a host and a listener that may only use TURN over TCP: the listener hears the live call through coturn', async ({ server, openApp, turn }) => {
  const { host, listener } = await relayOnlyListenerJoins(server, openApp, true);
  await listenTo(listener, 'Discovery through the firewall');

  // Real audio arrives, as the app shows it and as WebRTC counts it.
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-level')).toBeGreaterThan(0);
  const first = await relayStats(listener);
  await expect.poll(async () => (await relayStats(listener)).packetsReceived).toBeGreaterThan(first.packetsReceived + 25);
  await expect.poll(async () => (await relayStats(listener)).audioLevel).toBeGreaterThan(0);

  // And it came through the relay: the page's one connection uses a relay candidate allocated
  // over TCP, from the credentials the server handed out for this join.
  const stats = await relayStats(listener);
  expect(stats).toMatchObject({ connected: 1, localType: 'relay', relayProtocol: 'tcp', turnUrls: [turn.url('tcp')] });
  // The host's audio went up the same way.
  expect(await relayStats(host)).toMatchObject({ connected: 1, localType: 'relay', relayProtocol: 'tcp', turnUrls: [turn.url('tcp')] });
});
