import type { BrowserContext, Page } from '@playwright/test';
import { ACCOUNT_DEACTIVATED_MESSAGE } from '../../contract';
import { PASSWORD, seedMember, seedTeam } from './api';
import { goLive, listenTo, signIn } from './app-steps';
import { expect, numberAttribute, test } from './fixtures';

/** The page's RTCPeerConnection class and the instances it made, as the init script sees them (node typings carry no DOM). */
type PeerWindow = {
  RTCPeerConnection: new (config?: unknown) => { connectionState: string };
  __peers: { connectionState: string }[];
};

/** Keeps every RTCPeerConnection the page makes on `window.__peers`, so a test can see them close. */
async function trackPeers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const page = globalThis as unknown as PeerWindow;
    const Original = page.RTCPeerConnection;
    const peers: PeerWindow['__peers'] = [];
    page.__peers = peers;
    page.RTCPeerConnection = class extends Original {
      constructor(config?: unknown) {
        super(config);
        peers.push(this);
      }
    };
  });
}

/** The states of the page's peer connections. */
function peerStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PeerWindow).__peers.map((p) => p.connectionState));
}

async function openMember(admin: Page, name: string) {
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  const row = admin.getByTestId('members').getByRole('listitem').filter({ hasText: name });
  await row.getByRole('button', { name: `Manage ${name}` }).click();
  return row;
}

test('the admin deactivates a rep who is listening to a live call: the audio stops and the app signs them out saying why', async ({ server, openApp }) => {
  const adminAuth = await seedTeam(server.url);
  await seedMember(server.url, adminAuth.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, adminAuth.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });

  const hank = await openApp();
  await signIn(hank, 'hank@acme.test');
  await goLive(hank, { title: 'Renewal with Globex' });

  const rita = await openApp('/', trackPeers);
  await signIn(rita, 'rita@acme.test');
  await listenTo(rita, 'Renewal with Globex');
  const packets = await numberAttribute(rita, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(rita, 'listen-stats', 'data-packets')).toBeGreaterThan(packets + 25);
  await expect(hank.getByTestId('listener-count')).toHaveText('1');
  expect(await peerStates(rita)).toContain('connected');

  const alice = await openApp();
  await signIn(alice, 'alice@acme.test');
  const row = await openMember(alice, 'Rita Rep');
  await row.getByRole('button', { name: 'Deactivate…' }).click();
  await expect(row.getByRole('alertdialog')).toContainText('signed out everywhere at once');
  await row.getByRole('button', { name: 'Deactivate Rita Rep' }).click();
  await expect(alice.getByText('Rita Rep is deactivated and signed out everywhere.')).toBeVisible();
  await expect(row.getByText('Deactivated', { exact: true })).toBeVisible();

  // Rita's app: signed out with the reason, her media connection closed; the host sees nobody listening.
  await expect(rita.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(rita.getByText(ACCOUNT_DEACTIVATED_MESSAGE)).toBeVisible();
  await expect.poll(() => peerStates(rita)).not.toContain('connected');
  await expect(hank.getByTestId('listener-count')).toHaveText('0');
  // Signing in again is refused with the same reason.
  await rita.getByLabel('Email').fill('rita@acme.test');
  await rita.getByLabel('Password').fill(PASSWORD);
  await rita.getByRole('button', { name: 'Sign in' }).click();
  await expect(rita.getByTestId('error')).toContainText('deactivated');

  // The audit log has the listen and the deactivation.
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const table = alice.getByTestId('audit-table');
  await expect(table.locator('tr[data-kind="member-deactivated"]')).toContainText('Rita Rep');
  await expect(table.locator('tr[data-kind="listen-started"]')).toContainText('Renewal with Globex');
  await expect(table.locator('tr[data-kind="listen-stopped"]')).toContainText('Rita Rep');
  await alice.getByLabel('Event', { exact: true }).selectOption('member-deactivated');
  await expect(table.locator('tbody tr')).toHaveCount(1);
});

test('an admin makes a password reset link; the member sets a new password with it, and the used link says so', async ({ server, openApp }) => {
  const adminAuth = await seedTeam(server.url);
  await seedMember(server.url, adminAuth.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });

  const alice = await openApp();
  await signIn(alice, 'alice@acme.test');
  const row = await openMember(alice, 'Rita Rep');
  await row.getByRole('button', { name: 'Password reset link' }).click();
  const link = await alice.getByTestId('reset-link').inputValue();
  expect(link).toMatch(/#\/reset\/[A-Za-z0-9_-]+$/);

  const rita = await openApp(link);
  await expect(rita.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(rita.getByText('For Rita Rep (rita@acme.test) on Acme West')).toBeVisible();
  await rita.getByLabel('New password', { exact: true }).fill('purple giraffe evening walk');
  await rita.getByLabel('New password again').fill('purple giraffe evening wall');
  await rita.getByRole('button', { name: 'Set password' }).click();
  await expect(rita.getByText('does not match the new password')).toBeVisible();
  await rita.getByLabel('New password again').fill('purple giraffe evening walk');
  await rita.getByRole('button', { name: 'Set password' }).click();
  await expect(rita.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await rita.getByLabel('Email').fill('rita@acme.test');
  await rita.getByLabel('Password').fill('purple giraffe evening walk');
  await rita.getByRole('button', { name: 'Sign in' }).click();
  await expect(rita.getByRole('heading', { name: 'Live now' })).toBeVisible();

  const again = await openApp(link);
  await expect(again.getByText('This reset link was already used.')).toBeVisible();
  await expect(again.getByRole('button', { name: 'Set password' })).toHaveCount(0);
});
