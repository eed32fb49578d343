import { seedMember, seedTeam } from './api';
import { goLive, listenTo, signIn } from './app-steps';
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
