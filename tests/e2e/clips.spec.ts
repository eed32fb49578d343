import { seedMember, seedTeam } from './api';
import { listenTo, signIn } from './app-steps';
import { expect, numberAttribute, test } from './fixtures';

test('a listener clips a recorded call with the shortcut, tags it, and the team plays and comments on it', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'hank@acme.test');
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');

  // The rep keeps clips short for this call: 2 s before the moment, 1 s after.
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const clipSettings = rep.getByTestId('clip-settings');
  await clipSettings.getByLabel('Pre-roll (seconds)').fill('2');
  await clipSettings.getByLabel('Post-roll (seconds)').fill('1');
  await clipSettings.getByRole('button', { name: 'Save clip settings' }).click();
  await expect(clipSettings).toContainText('Saved');
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board', exact: true }).click();

  // The host goes live with recording, which needs the customer's consent first.
  await host.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Go live' }).click();
  await host.getByLabel('Call title').fill('Renewal with Globex');
  await host.getByRole('switch', { name: 'Record this call' }).click();
  await host.getByRole('button', { name: 'Go live' }).click();
  await expect(host.getByTestId('consent-error')).toBeVisible();
  await host.getByRole('checkbox', { name: 'I told the customer this call is recorded' }).check();
  await host.getByRole('button', { name: 'Go live' }).click();
  await expect(host.getByTestId('host-live')).toContainText('Live');

  // The board tells the team the call is recorded (so it can be clipped).
  await expect(rep.getByTestId('call-card').filter({ hasText: 'Renewal with Globex' }).getByTestId('recorded-badge')).toHaveText('Recorded');

  // The rep listens; once audio flows for a few seconds, presses Ctrl+Shift+K.
  await listenTo(rep, 'Renewal with Globex');
  const packets = await numberAttribute(rep, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(rep, 'listen-stats', 'data-packets'), { timeout: 20_000 }).toBeGreaterThan(packets + 150);
  await rep.keyboard.press('Control+Shift+K');
  const panel = rep.getByTestId('clip-panel');
  await expect(panel).toBeVisible();
  // The panel does not interrupt listening.
  await expect(rep.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');
  await panel.getByLabel('Clip title').fill('Handling the renewal objection');
  await panel.getByLabel('Clip note').fill('Acknowledges the budget freeze before offering terms');
  await panel.getByTestId('tag-picker').getByRole('button', { name: 'objection' }).click();
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(panel).toContainText('Saved');
  await expect(rep.getByTestId('clip-status')).toHaveAttribute('data-status', 'ready');

  // The clip is in the library with its note and tag, and plays.
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  const row = rep.getByTestId('library-row').filter({ hasText: 'Handling the renewal objection' });
  await expect(row).toContainText('Acknowledges the budget freeze');
  await expect(row).toContainText('objection');
  await expect(row).toContainText('Hank Host');
  await row.getByRole('link', { name: 'Handling the renewal objection' }).click();
  const player = rep.getByTestId('clip-player');
  await expect(player).toHaveAttribute('data-status', 'ready');
  await expect(player.getByTestId('waveform')).toBeVisible();
  await player.getByTestId('play-button').click();
  await expect(player.getByTestId('play-button')).toHaveAccessibleName('Pause');
  await expect(player.getByTestId('player-time')).not.toHaveText(/^0:00 /);

  // A comment at the current moment shows as a marker on the waveform.
  await player.getByTestId('comment-input').fill('Great pause before the price');
  await player.getByTestId('comment-submit').click();
  const comment = player.getByTestId('comment').filter({ hasText: 'Great pause before the price' });
  await expect(comment).toBeVisible();
  const marker = player.getByTestId('comment-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAccessibleName(/Comment by Rita Rep at \d:\d\d/);
  expect(Number(await marker.getAttribute('data-at-ms'))).toBeGreaterThanOrEqual(0);

  // The host sees it too, and the search finds it by the note.
  await host.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await host.getByRole('searchbox').fill('budget freeze');
  await expect(host.getByTestId('library-row')).toHaveCount(1);
  await expect(host.getByTestId('library-row')).toContainText('1 comment');
});
