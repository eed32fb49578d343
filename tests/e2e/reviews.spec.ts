import { seedMember, seedTeam } from './api';
import { signIn } from './app-steps';
import { expect, test } from './fixtures';
import { seedClip } from './seed-clip';

test('a manager reviews a clip with a scorecard; the rep sees it with a trend per skill, a teammate does not', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Mia Manager', email: 'mia@acme.test', role: 'manager' });
  const rita = await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  await seedMember(server.url, admin.token, { name: 'Tom Teammate', email: 'tom@acme.test', role: 'rep' });
  const clip = await seedClip(server.url, rita.token, { callTitle: 'Renewal with Globex', title: 'Budget objection', tags: ['objection'] });

  // The admin adds a skill to the team's rubric on the Team page.
  const adminPage = await openApp();
  await signIn(adminPage, 'alice@acme.test');
  await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  const rubric = adminPage.getByTestId('rubric');
  await expect(rubric.getByLabel('Skills, one a line')).toHaveValue('Discovery\nObjection handling\nPricing\nClosing\nRapport');
  await rubric.getByLabel('Skills, one a line').fill('Discovery\nObjection handling\nPricing\nClosing\nRapport\nNext steps');
  await rubric.getByRole('button', { name: 'Save rubric' }).click();
  await expect(adminPage.getByText('Rubric saved.')).toBeVisible();

  // The manager finds the clip in the review queue, filtered to Rita's calls.
  const manager = await openApp();
  await signIn(manager, 'mia@acme.test');
  await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(manager.getByRole('heading', { name: 'Reviews' })).toBeVisible();
  await manager.getByLabel('Rep').selectOption({ label: 'Rita Rep' });
  const row = manager.getByTestId('review-row').filter({ hasText: 'Budget objection' });
  await expect(row).toHaveAttribute('data-clip-id', clip.id);
  await row.getByRole('link', { name: 'Review Budget objection' }).click();

  // Scores on the default rubric: submitting without scores says what is missing.
  const form = manager.getByTestId('scorecard-form');
  await expect(form).toBeVisible();
  await form.getByLabel('Summary').fill('Calm, and named the budget freeze before offering terms.');
  await form.getByRole('button', { name: 'Submit review' }).click();
  await expect(form.getByRole('alert')).toContainText('pick a score from 1 to 5');
  const scores: Record<string, number> = { Discovery: 4, 'Objection handling': 5, Pricing: 3, Closing: 2, Rapport: 4, 'Next steps': 3 };
  for (const [skill, score] of Object.entries(scores)) {
    await form.getByRole('radiogroup', { name: `${skill} score` }).getByRole('radio', { name: new RegExp(`^${score}\\b`) }).check();
  }
  await form.getByLabel('Note on Closing (optional)').fill('Ask for the next meeting before hanging up');
  await form.getByLabel('What to try next').fill('Propose a date for the follow-up on the call.');
  await form.getByRole('button', { name: 'Submit review' }).click();
  const card = manager.getByTestId('scorecard');
  await expect(card).toContainText('Reviewed by Mia Manager');
  await expect(card.locator('[data-skill="Closing"]')).toHaveAttribute('data-score', '2');
  await expect(manager.getByTestId('clip-player').getByText('✓ Reviewed')).toBeVisible();

  // The queue is empty now.
  await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(manager.getByTestId('reviews-empty')).toBeVisible();

  // The rep sees the scorecard under Scorecards, with a trend chart per skill described in words.
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');
  await expect(rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' })).toHaveCount(0);
  await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scorecards' }).click();
  await expect(rep.getByRole('heading', { name: 'My scorecards' })).toBeVisible();
  const mine = rep.getByTestId('scorecard');
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId('scorecard-summary')).toHaveText('Calm, and named the budget freeze before offering terms.');
  await expect(mine.getByTestId('scorecard-next')).toHaveText('Propose a date for the follow-up on the call.');
  await expect(mine).toContainText('Ask for the next meeting before hanging up');
  await expect(mine).toContainText('Reviewed by Mia Manager');
  await expect(rep.getByTestId('trend')).toHaveCount(6);
  await expect(rep.getByRole('img', { name: 'Objection handling: 1 score, oldest first: 5. Average 5 out of 5.' })).toBeVisible();

  // On the clip's page too.
  await mine.page().getByRole('link', { name: 'Budget objection' }).click();
  await expect(rep.getByTestId('scorecard-panel').getByTestId('scorecard')).toBeVisible();
  await expect(rep.getByTestId('scorecard-panel').getByRole('button', { name: 'Edit scorecard' })).toHaveCount(0);

  // A teammate sees the clip, reviewed, but no scores anywhere.
  const tom = await openApp();
  await signIn(tom, 'tom@acme.test');
  await tom.goto(`/#/clips/${clip.id}`);
  await expect(tom.getByTestId('clip-player')).toBeVisible();
  await expect(tom.getByTestId('clip-player').getByText('✓ Reviewed')).toBeVisible();
  await expect(tom.getByTestId('scorecard-panel')).toHaveCount(0);
  await tom.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scorecards' }).click();
  await expect(tom.getByTestId('scorecards-empty')).toBeVisible();
});
