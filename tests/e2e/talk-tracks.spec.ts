import { seedMember, seedTeam } from './api';
import { signIn } from './app-steps';
import { expect, numberAttribute, test } from './fixtures';

test('a mentor writes a talk track with an example clip; a rep finds it by search and plays the example', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  const mentor = await openApp();
  await signIn(mentor, 'hank@acme.test');
  const nav = mentor.getByRole('navigation', { name: 'Main' });

  // A short clip: 2 s before the moment, 1 s after.
  await nav.getByRole('link', { name: 'Settings' }).click();
  const clipSettings = mentor.getByTestId('clip-settings');
  await clipSettings.getByLabel('Pre-roll (seconds)').fill('2');
  await clipSettings.getByLabel('Post-roll (seconds)').fill('1');
  await clipSettings.getByRole('button', { name: 'Save clip settings' }).click();
  await expect(clipSettings).toContainText('Saved');

  // The mentor records a call and clips a moment of it.
  await nav.getByRole('link', { name: 'Go live' }).click();
  await mentor.getByLabel('Call title').fill('Pricing call with Globex');
  await mentor.getByRole('switch', { name: 'Record this call' }).click();
  await mentor.getByRole('checkbox', { name: 'I told the customer this call is recorded' }).check();
  await mentor.getByRole('button', { name: 'Go live' }).click();
  await expect(mentor.getByTestId('host-live')).toContainText('Live');
  await expect.poll(() => numberAttribute(mentor, 'host-stats', 'data-packets-sent'), { timeout: 20_000 }).toBeGreaterThan(150);
  await mentor.getByTestId('clip-button').click();
  const panel = mentor.getByTestId('clip-panel');
  await panel.getByLabel('Clip title').fill('Anchoring on value');
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(panel).toContainText('Saved');
  await expect(mentor.getByTestId('clip-status')).toHaveAttribute('data-status', 'ready');

  // The mentor writes a talk track and links the clip from the library.
  await nav.getByRole('link', { name: 'Talk tracks' }).click();
  await expect(mentor.getByTestId('talk-tracks-empty')).toBeVisible();
  await mentor.getByTestId('new-talk-track').click();
  await mentor.getByLabel('Title').fill('Too expensive');
  await mentor.getByLabel('Situation').fill('Prospect says we are too expensive');
  await mentor.getByLabel('What to say').fill('Ask **what** they compare us with, then quantify the payback.\n\n[Pricing page](https://example.com/pricing) <script>alert(1)</script>');
  await mentor.getByLabel('Why it works').fill('It moves the talk from price to value.');
  await mentor.getByTestId('tag-picker').getByRole('button', { name: 'pricing' }).click();
  await mentor.getByTestId('link-clip').click();
  const picker = mentor.getByTestId('clip-picker');
  await picker.getByRole('searchbox').fill('anchoring');
  await expect(picker.getByTestId('clip-picker-row')).toHaveCount(1);
  await picker.getByRole('button', { name: 'Link Anchoring on value' }).click();
  const example = mentor.getByTestId('example-edit');
  await expect(example).toContainText('Anchoring on value');
  await example.getByLabel('Caption').fill('Listen to the pause');
  await mentor.getByTestId('save-talk-track').click();

  const track = mentor.getByTestId('talk-track');
  await expect(track).toHaveAttribute('data-version', '1');
  await expect(track.getByRole('heading', { name: 'Too expensive' })).toBeVisible();
  // Markdown is rendered; the script tag is not.
  await expect(track.getByTestId('track-what-to-say').locator('strong')).toHaveText('what');
  await expect(track.getByTestId('track-what-to-say').getByRole('link', { name: 'Pricing page' })).toHaveAttribute('href', 'https://example.com/pricing');
  await expect(track.locator('script')).toHaveCount(0);
  await expect(track.getByTestId('track-example')).toContainText('Listen to the pause');

  // A rep finds it by a word of its body and plays the example inline.
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Talk tracks' }).click();
  await expect(rep.getByTestId('new-talk-track')).toHaveCount(0);
  await rep.getByRole('searchbox').fill('payback');
  const rows = rep.getByTestId('talk-track-row');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Too expensive');
  await rep.getByRole('searchbox').fill('renewal');
  await expect(rep.getByTestId('talk-tracks-no-results')).toBeVisible();
  await rep.getByRole('searchbox').fill('quantif');
  await rows.getByRole('link', { name: 'Too expensive' }).click();
  const shown = rep.getByTestId('track-example');
  await expect(shown).toHaveAttribute('data-available', 'true');
  await shown.getByRole('button', { name: /Play example/ }).click();
  await expect(shown.getByTestId('track-example-player')).toHaveAttribute('data-state', 'ready');
  await expect(shown.getByTestId('play-button')).toHaveAccessibleName('Pause');

  // The clip's page lists the track citing it.
  await shown.getByRole('link', { name: 'Anchoring on value' }).click();
  await expect(rep.getByTestId('clip-talk-tracks').getByRole('link', { name: 'Too expensive' })).toBeVisible();
});
