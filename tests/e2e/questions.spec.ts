import { seedMember, seedTeam } from './api';
import { listenTo, signIn } from './app-steps';
import { expect, numberAttribute, test } from './fixtures';

test('a listener asks during a live call, the host answers in the debrief, and the asker sees the answer at the moment', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  const host = await openApp();
  await signIn(host, 'hank@acme.test');
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');

  // The host goes live, recorded, with questions shown live (as a counter).
  const hostNav = host.getByRole('navigation', { name: 'Main' });
  await hostNav.getByRole('link', { name: 'Go live' }).click();
  await host.getByLabel('Call title').fill('Pricing call with Initech');
  await host.getByRole('switch', { name: 'Record this call' }).click();
  await host.getByRole('checkbox', { name: 'I told the customer this call is recorded' }).check();
  await host.getByRole('switch', { name: 'Show listeners’ questions during the call' }).click();
  await host.getByRole('button', { name: 'Go live' }).click();
  await expect(host.getByTestId('host-live')).toContainText('Live');
  await expect(host.getByTestId('question-counter')).toHaveText('No questions yet');

  // The rep listens for a few seconds of real audio, then starts typing a question.
  await listenTo(rep, 'Pricing call with Initech');
  const packets = await numberAttribute(rep, 'listen-stats', 'data-packets');
  await expect.poll(() => numberAttribute(rep, 'listen-stats', 'data-packets'), { timeout: 20_000 }).toBeGreaterThan(packets + 100);
  await rep.getByTestId('question-text').fill('Why did you stay quiet after the price?');
  await expect(rep.getByTestId('question-moment')).toContainText(/About the moment at 0:0\d/);
  const moment = (await rep.getByTestId('question-moment').textContent())!.match(/\d+:\d\d/)![0];
  await rep.getByTestId('ask-button').click();
  await expect(rep.getByTestId('question-text')).toHaveValue('');

  // The host sees only a quiet count (no text, no popup) and the nav badge.
  await expect(host.getByTestId('question-counter')).toHaveAttribute('data-count', '1');
  await expect(host.getByTestId('question-counter')).toContainText('1 question waiting');
  await expect(host.getByTestId('host-live')).not.toContainText('stay quiet');
  await expect(host.getByTestId('questions-badge')).toHaveText('1');

  // The host ends the call (keeping the recording) and opens the debrief.
  await host.getByRole('button', { name: 'End call' }).click();
  await host.getByTestId('end-call-choice').getByRole('button', { name: 'End call' }).click();
  await expect(host.getByTestId('host-ended')).toBeVisible();
  await host.getByTestId('open-debrief').click();
  const debrief = host.getByTestId('debrief');
  await expect(debrief).toContainText('Debrief: Pricing call with Initech');
  await expect(host.getByTestId('debrief-listeners')).toContainText('Rita Rep');
  const question = host.getByTestId('debrief-question').filter({ hasText: 'Why did you stay quiet after the price?' });
  await expect(question).toContainText('Rita Rep');
  await expect(question.getByTestId('question-moment-link')).toContainText(moment);
  await question.getByTestId('answer-text').fill('Silence lets the number land. Whoever speaks first gives ground.');
  await question.getByTestId('answer-button').click();
  await expect(question).toHaveAttribute('data-status', 'answered');
  await expect(host.getByTestId('questions-badge')).toHaveCount(0);

  // The asker sees the answer beside the moment, and the moment plays the recording from there.
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questions' }).click();
  await rep.getByTestId('my-questions-tab').click();
  const mine = rep.getByTestId('my-question').filter({ hasText: 'Why did you stay quiet after the price?' });
  await expect(mine).toHaveAttribute('data-status', 'answered');
  await expect(mine.getByTestId('question-answer')).toContainText('Silence lets the number land.');
  const link = mine.getByTestId('question-moment-link');
  await expect(link).toContainText(moment);
  await link.click();
  await expect(rep.getByTestId('recording-picker')).toBeVisible();
  expect(rep.url()).toMatch(/#\/recordings\/[^/]+\/at\/\d+$/);
});
