import { PASSWORD, seedMember, seedTeam } from './api';
import { signIn } from './app-steps';
import { expect, test } from './fixtures';
import { seedClip } from './seed-clip';

test('a manager builds and assigns a path with a clip step; the new rep lands on My onboarding, plays the clip to the end; the manager sees it done', async ({
  server,
  openApp,
}) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Mia Manager', email: 'mia@acme.test', role: 'manager' });
  await seedMember(server.url, admin.token, { name: 'Nina New', email: 'nina@acme.test', role: 'rep' });
  const max = await seedMember(server.url, admin.token, { name: 'Max Mentor', email: 'max@acme.test', role: 'mentor' });
  await seedClip(server.url, max.token, { callTitle: 'Demo with Globex', title: 'Strong opener', tags: ['discovery'] });

  // The manager builds a path with a clip step and a task.
  const manager = await openApp();
  await signIn(manager, 'mia@acme.test');
  await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Paths' }).click();
  await expect(manager.getByTestId('paths-empty')).toBeVisible();
  await manager.getByRole('link', { name: 'New path' }).click();
  await manager.getByLabel('Name').fill('First week');
  await manager.getByLabel('New step').selectOption('clip');
  await manager.getByRole('button', { name: 'Add step' }).click();
  await manager.getByLabel('Step 1: Hear a clip').selectOption({ label: 'Strong opener' });
  await manager.getByLabel('New step').selectOption('task');
  await manager.getByRole('button', { name: 'Add step' }).click();
  await manager.getByLabel('Step 2: A task').fill('Set up your CRM login');
  await manager.getByRole('button', { name: 'Create path' }).click();
  await expect(manager.getByRole('heading', { name: 'First week' })).toBeVisible();
  await expect(manager.getByTestId('path-step')).toHaveText(['Hear “Strong opener”', 'Set up your CRM login']);

  // …and assigns it to Nina.
  const assign = manager.getByRole('form', { name: 'Assign this path' });
  await assign.getByRole('checkbox', { name: 'Nina New' }).check();
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(assign.getByRole('status')).toHaveText('Assigned to 1 person.');
  const progress = manager.getByTestId('assignee-progress').filter({ hasText: 'Nina New' });
  await expect(progress.getByTestId('onboarding-summary')).toHaveText('0 of 2 steps done');

  // Nina signs in and lands on My onboarding, the clip step next.
  const rep = await openApp();
  await expect(rep.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await rep.getByLabel('Email').fill('nina@acme.test');
  await rep.getByLabel('Password').fill(PASSWORD);
  await rep.getByRole('button', { name: 'Sign in' }).click();
  await expect(rep.getByRole('heading', { name: 'My onboarding' })).toBeVisible();
  const path = rep.getByTestId('onboarding-assignment').filter({ hasText: 'First week' });
  await expect(path.getByTestId('onboarding-next')).toHaveText('Next: Hear “Strong opener”');
  const clipStep = path.getByTestId('onboarding-step').filter({ hasText: 'Strong opener' });
  await expect(clipStep).toHaveAttribute('data-state', 'todo');

  // Opening the player is not enough; playing it to the end is.
  await clipStep.getByRole('button', { name: 'Listen' }).click();
  const player = clipStep.getByTestId('onboarding-player');
  await expect(player).toHaveAttribute('data-state', 'ready');
  await expect(clipStep).toHaveAttribute('data-state', 'todo');
  await player.getByTestId('play-button').click();
  await expect(clipStep).toHaveAttribute('data-state', 'done');
  await expect(path.getByTestId('onboarding-summary')).toHaveText('1 of 2 steps done');
  await expect(path.getByTestId('onboarding-next')).toHaveText('Next: Set up your CRM login');

  // The manager's page follows without a reload (the server pushes the change).
  await expect(progress.getByTestId('assignee-step').filter({ hasText: 'Strong opener' })).toHaveAttribute('data-state', 'done');
  await expect(progress.getByTestId('onboarding-summary')).toHaveText('1 of 2 steps done');
});
