import { readFile } from 'node:fs/promises';
import { WEEK_MS, addWeeks, isoWeekLabel, weekKey, weekStartOf } from '../../contract';
import { CallStore } from '../../server/store/call-store';
import { ClipStore } from '../../server/store/clip-store';
import { openStore } from '../../server/store/db';
import { seedMember, seedTeam } from './api';
import { signIn } from './app-steps';
import { expect, test, type E2eServer } from './fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Last week (always wholly in the past): Max hosts a call Tuesday 10:00–11:00 that Rita shadows
 * for 45 minutes and clips once. Written through the server's stores with chosen times.
 */
async function seedLastWeek(server: E2eServer, ids: { teamId: string; max: string; rita: string }): Promise<string> {
  const lastWeek = weekStartOf(Date.now()) - WEEK_MS;
  const tue = lastWeek + 24 * HOUR;
  const store = await openStore({ dataDir: server.dataDir });
  try {
    const calls = new CallStore(store);
    await calls.insertCall({ id: 'e2e-call', teamId: ids.teamId, hostId: ids.max, title: 'Renewal', account: null, policy: 'team', startedAt: tue + 10 * HOUR });
    await calls.listenStarted('e2e-listen', 'e2e-call', ids.rita, tue + 10 * HOUR + 5 * MIN);
    await calls.listenEnded('e2e-listen', tue + 10 * HOUR + 50 * MIN);
    await calls.endCall('e2e-call', 'host-ended', tue + 11 * HOUR);
    await calls.idle();
    await new ClipStore(store).insert({
      id: 'e2e-clip', teamId: ids.teamId, callId: 'e2e-call', clipperId: ids.rita, title: 'Price anchor', note: '', tags: [],
      visibility: 'team', rangeKind: 'wall', rangeStart: tue + 10 * HOUR + 10 * MIN, rangeEnd: tue + 10 * HOUR + 11 * MIN,
      createdAt: tue + 10 * HOUR + 11 * MIN, readyAt: tue + 10 * HOUR + 11 * MIN,
    });
  } finally {
    await store.close();
  }
  return weekKey(lastWeek);
}

test('a manager reads the team’s weekly metrics and downloads the CSV; a rep sees only their own row', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Mia Manager', email: 'mia@acme.test', role: 'manager' });
  const max = await seedMember(server.url, admin.token, { name: 'Max Mentor', email: 'max@acme.test', role: 'mentor' });
  const rita = await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  const week = await seedLastWeek(server, { teamId: admin.team.id, max: max.user.id, rita: rita.user.id });

  const manager = await openApp();
  await signIn(manager, 'mia@acme.test');
  await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
  await expect(manager.getByRole('heading', { name: 'Team metrics' })).toBeVisible();
  await expect(manager.getByText('Weeks run from Monday 00:00 UTC.', { exact: false })).toBeVisible();
  // The charts draw the range's weekly totals: 0.75 h shadowed and as much teaching credit.
  await expect(manager.getByTestId('chart-shadowedHours')).toContainText('0.75 h in 8 weeks');
  await expect(manager.getByTestId('chart-teachingHours')).toContainText('0.75 h in 8 weeks');
  await expect(manager.getByTestId('chart-shadowedHours').locator('.recharts-bar-rectangle')).not.toHaveCount(0);

  // The table shows the newest week first; last week holds the seeded numbers.
  await manager.getByLabel('Week', { exact: true }).selectOption(week);
  await expect(manager.getByRole('heading', { name: `Week ${isoWeekLabel(week)}` })).toBeVisible();
  const table = manager.getByTestId('metrics-table');
  await expect(table.getByTestId('metrics-row')).toHaveCount(4);
  const ritaRow = table.locator(`[data-user="${rita.user.id}"]`);
  await expect(ritaRow.locator('[data-col="listened"]')).toHaveText('45 min');
  await expect(ritaRow.locator('[data-col="hosts"]')).toHaveText('1');
  await expect(ritaRow.locator('[data-col="clips"]')).toHaveText('1');
  // Onboarding steps come from the paths (none assigned here): zero, not "not counted".
  await expect(ritaRow.locator('[data-col="steps"]')).toHaveText('0');
  const maxRow = table.locator(`[data-user="${max.user.id}"]`);
  await expect(maxRow.locator('[data-col="calls"]')).toHaveText('1');
  await expect(maxRow.locator('[data-col="teaching"]')).toHaveText('45 min');

  // Narrowed to one person.
  await manager.getByLabel('Person').selectOption({ label: 'Max Mentor' });
  await expect(table.getByTestId('metrics-row')).toHaveCount(1);
  await manager.getByLabel('Person').selectOption({ label: 'Everyone' });
  await expect(table.getByTestId('metrics-row')).toHaveCount(4);

  // The CSV export downloads the same range.
  const from = addWeeks(weekKey(Date.now()), -7);
  const downloading = manager.waitForEvent('download');
  await manager.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`bullpen-metrics-${from}-to-${weekKey(Date.now())}.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^week_start_utc,iso_week,person,role,hours_shadowed,/);
  expect(csv).toContain(`${week},${isoWeekLabel(week)},Rita Rep,rep,0.75,1,0,0,1,0,0,0,0,,`);

  // A rep sees "My metrics": their own row only, and no person filter.
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
  await expect(rep.getByRole('heading', { name: 'My metrics' })).toBeVisible();
  await expect(rep.getByLabel('Person')).toHaveCount(0);
  await rep.getByLabel('Week', { exact: true }).selectOption(week);
  const repRows = rep.getByTestId('metrics-table').getByTestId('metrics-row');
  await expect(repRows).toHaveCount(1);
  await expect(repRows.first()).toHaveAttribute('data-user', rita.user.id);
  await expect(repRows.first().locator('[data-col="listened"]')).toHaveText('45 min');
  await expect(rep.getByText('Max Mentor')).toHaveCount(0);

  // The Team page says what is recorded.
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(rep.getByRole('heading', { name: 'What Bullpen records about you' })).toBeVisible();
  await expect(rep.getByTestId('records-section')).toContainText('The audit log (admins only) notes when you started and stopped listening');
});
