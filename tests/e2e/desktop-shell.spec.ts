import { seedTeam } from './api';
import { signIn } from './app-steps';
import { fakeDesktopBridge, type FakeBridgeGlobals } from './fake-desktop-bridge';
import { expect, numberAttribute, test } from './fixtures';

test('in the desktop shell, settings and the session go through window.bullpen', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));

  await signIn(page, 'alice@acme.test');
  await expect(page.getByTestId('board-empty')).toBeVisible();

  // The token went to the bridge, not to the page's storage, and survives a reload.
  const stored = await page.evaluate(() => {
    const { localStorage, sessionStorage } = globalThis as unknown as FakeBridgeGlobals;
    return [localStorage.getItem('bullpen.token'), sessionStorage.getItem('fake-token') !== null];
  });
  expect(stored).toEqual([null, true]);
  await page.reload();
  await expect(page.getByTestId('board-empty')).toBeVisible();

  // Settings exist only on the desktop: the server address and default audio, with a live meter.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByText('Bullpen for desktop 0.1.0-test')).toBeVisible();
  await expect(page.getByLabel('Bullpen server address')).toHaveValue(server.url);
  await expect.poll(() => numberAttribute(page, 'mic-meter', 'data-level')).toBeGreaterThan(0.1);

  // A bad address is explained before anything is saved.
  await page.getByLabel('Bullpen server address').fill('ftp://example.com');
  await page.getByRole('button', { name: 'Save and reconnect' }).click();
  await expect(page.getByText('Server address must be an http(s) URL.')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).sessionStorage.getItem('fake-settings'))).toBeNull();
});

test('in the desktop shell, a downloaded update offers a restart, and installs on click', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await signIn(page, 'alice@acme.test');
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await expect(page.getByTestId('update-banner')).toHaveCount(0);

  // Main pushes update:ready while the app is open.
  await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).fakeUpdateReady?.('0.2.0'));
  const banner = page.getByTestId('update-banner');
  await expect(banner).toContainText('Update ready — restart to use Bullpen 0.2.0.');

  // One that downloaded before the window loaded is asked for (update:status).
  await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).sessionStorage.setItem('fake-update', '0.3.0'));
  await page.reload();
  await expect(banner).toContainText('Bullpen 0.3.0');
  await banner.getByRole('button', { name: 'Restart' }).click();
  await expect(banner).toContainText('Restarting to install Bullpen 0.3.0…');
  expect(await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).sessionStorage.getItem('fake-update-installed'))).toBe('yes');
});
