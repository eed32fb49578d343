import { seedMember, seedTeam } from './api';
import { goLive, listenTo, signIn } from './app-steps';
import type { Page } from '@playwright/test';
import { expect, numberAttribute, test, type E2eServer } from './fixtures';

type OpenApp = Parameters<Parameters<typeof test>[2]>[0]['openApp'];

/** Alice (admin) goes live with `title`; Bob (rep) listens. */
async function hostAndListener(server: E2eServer, openApp: OpenApp, title: string) {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Bob Learner', email: 'bob@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'alice@acme.test');
  const listener = await openApp();
  await signIn(listener, 'bob@acme.test');
  await goLive(host, { title });
  await listenTo(listener, title);
  return { host, listener };
}

/** The page's DOM as far as the recorder needs it (this file is type-checked without the DOM library). */
interface RecorderGlobals {
  document: { body: object; querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  MutationObserver: new (callback: () => void) => { observe(target: object, options: object): void };
  connectionStates?: string[];
}

/**
 * Records every connection state the header shows from now on, in order, as the page renders
 * them (a MutationObserver, so a state shown for a moment is not missed between polls).
 * Returns a reader of the states recorded so far.
 */
async function recordConnectionStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const g = globalThis as unknown as RecorderGlobals;
    const states: string[] = [];
    g.connectionStates = states;
    const note = () => {
      const status = g.document.querySelector('[data-testid="connection"]')?.getAttribute('data-status');
      if (status && states.at(-1) !== status) states.push(status);
    };
    note();
    new g.MutationObserver(note).observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
  return () => page.evaluate(() => [...((globalThis as unknown as RecorderGlobals).connectionStates ?? [])]);
}

/**
 * The header went from connected to offline, then showed reconnecting, then connected. (The
 * socket may notice the drop a moment before the window's `offline` event: reconnecting first.)
 */
function expectOfflineThenBack(states: string[]): void {
  expect(states[0]).toBe('online');
  expect(states.slice(states.indexOf('offline'))).toEqual(['offline', 'reconnecting', 'online']);
}

test.describe('host connection lost', () => {
  test.use({ hostGraceMs: 6_000 });

  test('listeners see the host reconnecting, then the call ending with the reason', async ({ server, openApp }) => {
    const { host, listener } = await hostAndListener(server, openApp, 'Renewal call');

    // The host's app goes away without ending the call (crash, lost network).
    await host.close();
    await expect(listener.getByTestId('listen-view')).toContainText('The host is reconnecting');

    // No host within the grace period: the call ends and the listener is told why.
    await expect(listener.getByTestId('listen-ended')).toHaveAttribute('data-reason', 'host-timeout');
    await expect(listener.getByTestId('listen-ended')).toContainText('The host’s connection was lost and did not come back.');
  });
});

test('a host who reloads resumes the call and listeners keep hearing it', async ({ server, openApp }) => {
  const { host, listener } = await hostAndListener(server, openApp, 'Demo call');

  // After the reload the app finds its call still open on the server and offers to resume it.
  await host.reload();
  const resume = host.getByTestId('resume-call');
  await expect(resume).toContainText('“Demo call”');
  await resume.getByRole('button', { name: 'Resume' }).click();
  await expect(host.getByTestId('host-live')).toContainText('Live');
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');

  // The listener never rejoined: the same connection carries the resumed audio.
  await expect(listener.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');
  const packets = await numberAttribute(listener, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-packets')).toBeGreaterThan(packets + 50);
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-level')).toBeGreaterThan(0);
  // No call audio was chosen: only the rep's (left) side carries sound.
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeGreaterThan(0.1);
  expect(await numberAttribute(listener, 'listen-customer-meter', 'data-level')).toBeLessThan(0.05);
});

test('a listener who goes offline is told, and back online rejoins on its own and hears the call again', async ({ server, openApp }) => {
  // Two apps on a live call, offline and back: real reconnects on a shared 2-core machine.
  test.slow();
  const { host, listener } = await hostAndListener(server, openApp, 'Pipeline review');
  const states = await recordConnectionStates(listener);
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeGreaterThan(0.1);

  await listener.context().setOffline(true);
  await expect(listener.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
  await expect(listener.getByTestId('connection-banner')).toContainText('You are offline');
  await expect(listener.getByTestId('connection-banner')).toContainText('You rejoin the call as soon as it is back.');
  // Its signalling connection closed, so the server dropped it: the host sees it go, the audio stops.
  await expect(host.getByTestId('listener-count')).toHaveText('0');
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeLessThan(0.05);

  // Back online: no click, the same call plays again.
  await listener.context().setOffline(false);
  await expect(listener.getByTestId('connection')).toHaveAttribute('data-status', 'online');
  await expect(listener.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeGreaterThan(0.1);
  const packets = await numberAttribute(listener, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-packets')).toBeGreaterThan(packets + 50);
  expectOfflineThenBack(await states());
  await expect(listener.getByTestId('connection-banner')).toHaveCount(0);
});

test('a host who goes offline is told, and back online is live again without a click while listeners keep hearing', async ({ server, openApp }) => {
  // Two apps on a live call, offline and back: real reconnects on a shared 2-core machine.
  test.slow();
  const { host, listener } = await hostAndListener(server, openApp, 'Expansion call');
  const states = await recordConnectionStates(host);

  await host.context().setOffline(true);
  await expect(host.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
  await expect(host.getByTestId('connection-banner')).toContainText('Your call carries on as soon as it is back.');
  await expect(listener.getByTestId('listen-view')).toContainText('The host is reconnecting');

  await host.context().setOffline(false);
  await expect(host.getByTestId('connection')).toHaveAttribute('data-status', 'online');
  await expect(host.getByTestId('host-live')).toContainText('Live');
  await expect(listener.getByTestId('listen-view')).not.toContainText('The host is reconnecting');
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');
  expectOfflineThenBack(await states());

  // The listener never left: its connection carries the republished audio.
  await expect(listener.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeGreaterThan(0.1);
  const packets = await numberAttribute(listener, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-packets')).toBeGreaterThan(packets + 50);
});

test.describe('host away past the grace period', () => {
  test.use({ hostGraceMs: 3_000 });

  test('the call ends on the server as before, and back online the host is told plainly instead of republishing', async ({ server, openApp }) => {
    test.slow();
    const { host, listener } = await hostAndListener(server, openApp, 'Quarterly check-in');

    await host.context().setOffline(true);
    await expect(host.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
    await expect(listener.getByTestId('listen-ended')).toHaveAttribute('data-reason', 'host-timeout');

    await host.context().setOffline(false);
    await expect(host.getByTestId('connection')).toHaveAttribute('data-status', 'online');
    await expect(host.getByTestId('host-ended-away')).toHaveText(
      'Your call ended while this computer was offline: the server ends a call when its host is away for more than 30 seconds. Go live again to carry on.',
    );
    // Nothing was published again: the board has no call.
    await host.getByRole('button', { name: 'Back to the board' }).click();
    await expect(host.getByTestId('call-card')).toHaveCount(0);
  });
});
