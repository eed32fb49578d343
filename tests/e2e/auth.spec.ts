import { SESSION_EXPIRED_MESSAGE } from '../../contract';
import { SIGN_IN_LIMITS } from '../../server/auth/sign-in-throttle';
import { openTestStore } from '../helpers/test-database';
import { PASSWORD, seedTeam } from './api';
import { signIn } from './app-steps';
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

test('a password that is easy to guess is refused on the password field, saying why and how to fix it', async ({ openApp }) => {
  const page = await openApp();
  await page.getByLabel('Team name').fill('Acme West');
  await page.getByLabel('Your name').fill('Alice Ace');
  await page.getByLabel('Work email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(
    page.getByText(
      'Password is too easy to guess. This is a commonly used password. Add more words that are less common. A few unrelated words make a strong password.',
    ),
  ).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('heading', { name: 'Live now' })).toBeVisible();
});

test.describe('after too many failed sign-ins', () => {
  // A wait long enough to see on the form (the default first wait is 1 s).
  test.use({ signInLimits: { ...SIGN_IN_LIMITS, firstWaitSec: 4 } });

  test('the form counts the wait down with Sign in disabled, then signs in', async ({ server, openApp }) => {
    await seedTeam(server.url);
    const page = await openApp();
    await page.getByLabel('Email').fill('alice@acme.test');
    await page.getByLabel('Password').fill('not the password');
    const button = page.getByRole('button', { name: 'Sign in' });
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free; i++) {
      await button.click();
      await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'BAD_CREDENTIALS');
      await expect(button).toBeEnabled();
    }
    await button.click();
    const alert = page.getByRole('alert');
    await expect(alert).toHaveText(/^Too many failed sign-ins\. You can try again in [1-4] seconds?\.$/);
    await expect(button).toBeDisabled();
    await expect(alert).toHaveText('Too many failed sign-ins. You can try again in 1 second.');
    await expect(alert).toHaveCount(0);
    await expect(button).toBeEnabled();

    await page.getByLabel('Password').fill(PASSWORD);
    await button.click();
    await expect(page.getByRole('heading', { name: 'Live now' })).toBeVisible();
  });
});

test('an expired session returns to sign-in saying so', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp();
  await signIn(page, 'alice@acme.test');
  // A month passes without the app being opened.
  const store = await openTestStore(server);
  await store.db.updateTable('sessions').set({ last_seen_at: Date.now() - 31 * 86_400_000 }).execute();
  await store.close();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(SESSION_EXPIRED_MESSAGE)).toBeVisible();
  await signIn(page, 'alice@acme.test');
});
