import { PASSWORD, seedTeam } from './api';
import { expect, test } from './fixtures';

test('a wrong password gets a clear error; the right one opens an empty board', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match. Check both and try again.');
  await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'BAD_CREDENTIALS');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const empty = page.getByTestId('board-empty');
  await expect(empty).toContainText('No one is live right now');
  await expect(empty).toContainText('When a teammate goes live');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');

  // The session survives a reload.
  await page.reload();
  await expect(page.getByTestId('board-empty')).toBeVisible();
});

test('the setup form explains invalid fields before sending anything', async ({ openApp }) => {
  const page = await openApp();
  await page.getByLabel('Team name').fill('Acme West');
  await page.getByLabel('Your name').fill('Alice Ace');
  await page.getByLabel('Work email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByText('Work email must be an email address.')).toBeVisible();
  await expect(page.getByText('Password must be at least 10 characters.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
});
