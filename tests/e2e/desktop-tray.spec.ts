import { seedTeam } from './api';
import { signIn } from './app-steps';
import { fakeDesktopBridge, lastTrayReport as lastReport, trayCommand, type FakeBridgeGlobals } from './fake-desktop-bridge';
import { expect, test } from './fixtures';

test('the tray follows the person and its Go live / End call act like the buttons', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await expect.poll(() => lastReport(page)).toEqual({ state: 'signed-out' });

  await signIn(page, 'alice@acme.test');
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await expect.poll(() => lastReport(page)).toEqual({ state: 'idle' });

  // Go live from the tray opens the form: a title and the recording choice need the person.
  await trayCommand(page, 'go-live');
  await expect(page.getByLabel('Call title')).toBeVisible();
  await page.getByLabel('Call title').fill('Renewal with Globex');
  await page.getByRole('button', { name: 'Go live' }).click();
  await expect(page.getByTestId('host-live')).toContainText('Live');
  await expect.poll(() => lastReport(page)).toEqual({ state: 'live', callTitle: 'Renewal with Globex' });

  // End call from the tray ends it at once, for everyone.
  await trayCommand(page, 'end-call');
  await expect(page.getByTestId('host-ended')).toBeVisible();
  await expect.poll(() => lastReport(page)).toEqual({ state: 'idle' });
});

test('desktop settings: start at login and keep running in the tray, refused by the OS without saving', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await signIn(page, 'alice@acme.test');
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();

  const section = page.getByTestId('startup-settings');
  const login = section.getByRole('switch', { name: /Start Bullpen when I log in/ });
  const keep = section.getByRole('switch', { name: /Keep Bullpen running in the tray/ });
  await expect(login).not.toBeChecked();
  await expect(keep).not.toBeChecked();
  const stored = () => page.evaluate(() => JSON.parse((globalThis as unknown as FakeBridgeGlobals).sessionStorage.getItem('fake-settings') ?? '{}') as Record<string, unknown>);

  await login.click();
  await expect(login).toBeChecked();
  await expect(page.getByText('Bullpen will start in the tray when you log in.')).toBeVisible();
  await keep.click();
  await expect(keep).toBeChecked();
  expect(await stored()).toMatchObject({ startAtLogin: true, keepRunningInTray: true });

  // The OS refuses: the reason shows, the switch stays on, nothing changes.
  await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).sessionStorage.setItem('refuse-login', '1'));
  await login.click();
  await expect(section.getByRole('alert')).toContainText('check that folder’s permissions');
  await expect(login).toBeChecked();
  expect(await stored()).toMatchObject({ startAtLogin: true });

  // The choices are read back after a reload.
  await page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).sessionStorage.removeItem('refuse-login'));
  await page.reload();
  await expect(page.getByTestId('startup-settings').getByRole('switch', { name: /Start Bullpen when I log in/ })).toBeChecked();
});
