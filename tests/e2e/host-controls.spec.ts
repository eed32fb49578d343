import { seedMember, seedTeam } from './api';
import { goLive, listenTo, signIn } from './app-steps';
import { expect, numberAttribute, test } from './fixtures';

test('the host pauses sharing: the listener sees “Paused by host” and hears silence, then hears the call again on resume', async ({ server, openApp }) => {
  // Three browser profiles (host, listener, a teammate watching the board) signing in and doing
  // WebRTC on a 2-core machine: their set-up alone can take most of the default minute.
  test.setTimeout(120_000);
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Bob Learner', email: 'bob@acme.test', role: 'rep' });
  await seedMember(server.url, admin.token, { name: 'Cara Watcher', email: 'cara@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'alice@acme.test');
  const listener = await openApp();
  await signIn(listener, 'bob@acme.test');
  const watcher = await openApp();
  await signIn(watcher, 'cara@acme.test');
  await goLive(host, { title: 'Pricing call' });
  await listenTo(listener, 'Pricing call');
  await expect.poll(() => numberAttribute(listener, 'listen-meter', 'data-level')).toBeGreaterThan(0.1);
  const card = watcher.getByTestId('call-card').filter({ hasText: 'Pricing call' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('paused-badge')).toHaveCount(0);

  // The host pauses from the keyboard.
  await host.getByRole('button', { name: 'Pause sharing' }).focus();
  await host.keyboard.press('Enter');
  await expect(host.getByTestId('host-paused')).toBeVisible();

  // The listener sees it and hears it: what they hear falls to silence and packets stop
  // arriving while the host's app keeps sending (the server withholds them).
  await expect(listener.getByTestId('paused-by-host')).toBeVisible();
  await expect(listener.getByTestId('listen-view')).toContainText('Paused by host');
  await expect(card.getByTestId('paused-badge')).toHaveText('Paused by host');
  await expect.poll(() => numberAttribute(listener, 'listen-meter', 'data-level')).toBeLessThan(0.01);
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeLessThan(0.01);
  const packetsPaused = await numberAttribute(listener, 'listen-stats', 'data-packets');
  const sentPaused = await numberAttribute(host, 'host-stats', 'data-packets-sent');
  await expect.poll(() => numberAttribute(host, 'host-stats', 'data-packets-sent')).toBeGreaterThan(sentPaused + 100);
  expect(await numberAttribute(listener, 'listen-stats', 'data-packets')).toBeLessThanOrEqual(packetsPaused + 2);
  expect(await numberAttribute(listener, 'listen-meter', 'data-level')).toBeLessThan(0.01);

  // Resume: the note goes away and the call is heard again.
  await host.getByRole('button', { name: 'Resume sharing' }).click();
  await expect(host.getByTestId('host-paused')).toHaveCount(0);
  await expect(listener.getByTestId('paused-by-host')).toHaveCount(0);
  await expect(card.getByTestId('paused-badge')).toHaveCount(0);
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-packets')).toBeGreaterThan(packetsPaused + 50);
  await expect.poll(() => numberAttribute(listener, 'listen-meter', 'data-level')).toBeGreaterThan(0.1);
  await expect(listener.getByTestId('listen-view')).toContainText('Listening silently');
});

test('the host removes a listener after confirming: they are told why and cannot listen again', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Bob Learner', email: 'bob@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'alice@acme.test');
  const listener = await openApp();
  await signIn(listener, 'bob@acme.test');
  await goLive(host, { title: 'Renewal call' });
  await listenTo(listener, 'Renewal call');
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');

  await host.getByRole('button', { name: 'Remove Bob Learner' }).click();
  const confirm = host.getByRole('alertdialog', { name: 'Remove Bob Learner?' });
  // Cancel has the focus: a stray Enter removes nobody.
  await host.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');
  await host.getByRole('button', { name: 'Remove Bob Learner' }).click();
  await confirm.getByRole('button', { name: 'Remove from call' }).click();

  await expect(listener.getByTestId('listen-ended')).toContainText('The host removed you from this call.');
  await expect(host.getByTestId('listener-count')).toHaveText('0');
  await listener.getByRole('button', { name: 'Back to the board' }).click();
  await expect(listener.getByTestId('call-card')).toHaveAttribute('data-restricted', 'true');
});

test('the host starts recording mid-call after confirming consent, then limits who may listen and the rep is dropped with the reason', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Bob Learner', email: 'bob@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'alice@acme.test');
  const listener = await openApp();
  await signIn(listener, 'bob@acme.test');
  await goLive(host, { title: 'Demo call' });
  await listenTo(listener, 'Demo call');
  await expect(listener.getByTestId('clip-button')).toBeDisabled();

  // Recording needs the same confirmation as at go-live.
  await host.getByRole('button', { name: 'Start recording…' }).click();
  const consent = host.getByTestId('start-recording-consent');
  await consent.getByRole('button', { name: 'Start recording' }).click();
  await expect(consent).toContainText('Confirm that you told the customer this call is recorded.');
  await expect(host.getByTestId('host-live')).toContainText('Not recorded');
  await consent.getByLabel('I told the customer this call is recorded').check();
  await consent.getByRole('button', { name: 'Start recording' }).click();
  await expect(host.getByTestId('host-live')).toContainText('· Recorded');
  await expect(listener.getByTestId('clip-button')).toBeEnabled();

  // Managers only from now on: the rep's audio stops and they see why.
  const controls = host.getByTestId('host-controls');
  await controls.getByLabel('Who may listen').selectOption('managers');
  await controls.getByRole('button', { name: 'Apply' }).click();
  await expect(listener.getByTestId('listen-ended')).toContainText('The host changed who may listen. Only managers can listen to this call.');
  await expect(host.getByTestId('listener-count')).toHaveText('0');
  await expect(host.getByTestId('host-live')).toContainText('Managers only may listen');
});
