import { routes } from '../../contract';
import { seedMember, seedTeam } from './api';
import { goLive, signIn } from './app-steps';
import { expect, test } from './fixtures';

test('a rep follows a mentor, the mentor goes live, and the notification opens the listen screen', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  const hank = await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  const rita = await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  await seedMember(server.url, admin.token, { name: 'Sam Seller', email: 'sam@acme.test', role: 'rep' });
  // Rita is Hank's mentee: she follows him by default.
  const mentees = await fetch(server.url + routes.setMentees.path.replace(':id', hank.user.id), {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ menteeIds: [rita.user.id] }),
  });
  expect(mentees.status).toBe(200);

  // Sam follows Hank from the team page; Rita already follows him as his mentee.
  const sam = await openApp();
  await signIn(sam, 'sam@acme.test');
  await expect(sam.getByTestId('notification-bell')).toHaveAttribute('data-unread', '0');
  await sam.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await sam.getByRole('button', { name: 'Follow Hank Host' }).click();
  await expect(sam.getByRole('button', { name: 'Unfollow Hank Host' })).toHaveAttribute('aria-pressed', 'true');
  const rita$ = await openApp();
  await signIn(rita$, 'rita@acme.test');
  await rita$.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(rita$.getByRole('button', { name: 'Unfollow Hank Host' })).toHaveAttribute('aria-pressed', 'true');

  // Hank goes live; both followers get one notification, pushed while they look at another page.
  const host = await openApp();
  await signIn(host, 'hank@acme.test');
  await goLive(host, { title: 'Pricing call with Globex', policy: 'team' });
  await expect(sam.getByTestId('notification-bell')).toHaveAttribute('data-unread', '1');
  await expect(rita$.getByTestId('notification-bell')).toHaveAttribute('data-unread', '1');

  // Sam opens the centre and the notification's Listen action: the listen screen plays the call.
  await sam.getByTestId('notification-bell').click();
  await expect(sam.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  const item = sam.getByTestId('notification').filter({ hasText: 'Hank Host is live' });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Pricing call with Globex');
  await expect(item).toHaveAttribute('data-unread', 'true');
  await item.getByRole('link', { name: 'Listen' }).click();
  // The listen screen of that call; joining stays one click (browsers start audio on a gesture).
  await expect(sam).toHaveURL(new RegExp(`#/listen/[^/]+$`));
  await expect(sam.getByRole('heading', { name: 'Pricing call with Globex' })).toBeVisible();
  // Opening it marked it read.
  await expect(sam.getByTestId('notification-bell')).toHaveAttribute('data-unread', '0');
  await sam.getByRole('button', { name: /Listen/ }).click();
  await expect(sam.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');

  // The host itself has no notification of its own call.
  await expect(host.getByTestId('notification-bell')).toHaveAttribute('data-unread', '0');
});
