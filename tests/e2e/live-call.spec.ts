import { expect, numberAttribute, test } from './fixtures';

test('a rep sets up the team, invites a teammate, goes live, and the teammate hears the call', async ({ openApp }) => {
  // First run: the first person creates the team and becomes its admin.
  const host = await openApp();
  await expect(host.getByRole('heading', { name: 'Set up your team' })).toBeVisible();
  await host.getByLabel('Team name').fill('Acme West');
  await host.getByLabel('Your name').fill('Alice Ace');
  await host.getByLabel('Work email').fill('alice@acme.test');
  await host.getByLabel('Password').fill('correct horse battery');
  await host.getByRole('button', { name: 'Create team' }).click();
  await expect(host.getByTestId('board-empty')).toContainText('No one is live right now');

  // The admin invites a rep and copies the link.
  const hostNav = host.getByRole('navigation', { name: 'Main' });
  await hostNav.getByRole('link', { name: 'Team' }).click();
  await host.getByLabel('Role').selectOption('rep');
  await host.getByRole('button', { name: 'Create invite' }).click();
  const inviteLink = await host.getByTestId('invite-link').inputValue();
  expect(inviteLink).toMatch(/#\/join\/[^/]+$/);

  // The teammate signs up from the link in their own browser profile.
  const listener = await openApp(inviteLink);
  await expect(listener.getByRole('heading', { name: 'Join Acme West' })).toBeVisible();
  await expect(listener.getByTestId('invite-role')).toHaveText('Rep');
  await listener.getByLabel('Your name').fill('Bob Learner');
  await listener.getByLabel('Work email').fill('bob@acme.test');
  await listener.getByLabel('Password').fill('another long password');
  await listener.getByRole('button', { name: 'Join Acme West' }).click();
  await expect(listener.getByTestId('board-empty')).toBeVisible();

  // The host goes live with two sources: the fake microphone (left) and a second fake input
  // carrying the call (right); both meters move before the call starts.
  await hostNav.getByRole('link', { name: 'Go live' }).click();
  await host.getByLabel('Call title').fill('Discovery call');
  await host.getByLabel('Account (optional)').fill('Globex');
  await host.getByLabel('Who may listen').selectOption('team');
  await host.getByLabel('Call audio (the customer)').selectOption({ label: 'Fake Audio Input 2' });
  await expect.poll(() => numberAttribute(host, 'mic-meter', 'data-level')).toBeGreaterThan(0.1);
  await expect.poll(() => numberAttribute(host, 'call-meter', 'data-level')).toBeGreaterThan(0.1);
  await host.getByRole('button', { name: 'Go live' }).click();
  await expect(host.getByTestId('host-live')).toContainText('Live');
  await expect(host.getByTestId('host-live')).toContainText('Discovery call');

  // The teammate sees the call on the board and listens.
  const card = listener.getByTestId('call-card').filter({ hasText: 'Discovery call' });
  await expect(card).toContainText('Alice Ace');
  await expect(card).toContainText('Globex');
  await card.getByRole('button', { name: /Listen/ }).click();
  await expect(listener.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');

  // Real audio arrives: WebRTC receive stats as the app shows them.
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-level')).toBeGreaterThan(0);
  const packets = await numberAttribute(listener, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(listener, 'listen-stats', 'data-packets')).toBeGreaterThan(packets + 25);
  await expect.poll(() => numberAttribute(listener, 'listen-meter', 'data-level')).toBeGreaterThan(0);
  // Stereo survives the trip: the rep's side and the customer's side both arrive.
  await expect.poll(() => numberAttribute(listener, 'listen-rep-meter', 'data-level')).toBeGreaterThan(0.1);
  await expect.poll(() => numberAttribute(listener, 'listen-customer-meter', 'data-level')).toBeGreaterThan(0.1);

  // The host sees who is listening.
  await expect(host.getByTestId('host-listeners')).toContainText('Bob Learner');
  await expect(host.getByTestId('listener-count')).toHaveText('1');

  // The host ends the call; the listener is told why, and the board empties.
  await host.getByRole('button', { name: 'End call' }).click();
  await host.getByTestId('end-call-choice').getByRole('button', { name: 'End call' }).click();
  await expect(host.getByTestId('host-ended')).toContainText('You ended the call.');
  await expect(listener.getByTestId('listen-ended')).toContainText('The host ended the call.');
  await listener.getByRole('button', { name: 'Back to the board' }).click();
  await expect(listener.getByTestId('board-empty')).toBeVisible();
});
