import { seedMember, seedTeam, setRole } from './api';
import { goLive, listenTo, signIn } from './app-steps';
import { expect, test } from './fixtures';

test('a call limited to managers shows a rep only that its host is on a call; the admin sees it open', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });

  const host = await openApp();
  await signIn(host, 'hank@acme.test');
  const rep = await openApp();
  await signIn(rep, 'rita@acme.test');
  const boss = await openApp();
  await signIn(boss, 'alice@acme.test');

  await goLive(host, { title: 'Pricing negotiation', policy: 'managers' });

  const repCard = rep.getByTestId('call-card').filter({ hasText: 'Hank Host' });
  await expect(repCard).toHaveAttribute('data-restricted', 'true');
  await expect(repCard).toContainText('Restricted');
  await expect(repCard).not.toContainText('Pricing negotiation');
  await expect(repCard.getByRole('button', { name: /Listen/ })).toHaveCount(0);

  const bossCard = boss.getByTestId('call-card').filter({ hasText: 'Pricing negotiation' });
  await expect(bossCard.getByRole('button', { name: /Listen/ })).toBeEnabled();

  // Ending the call clears everyone's board.
  await host.getByRole('button', { name: 'End call' }).click();
  await host.getByTestId('end-call-choice').getByRole('button', { name: 'End call' }).click();
  await expect(rep.getByTestId('board-empty')).toBeVisible();
  await expect(boss.getByTestId('board-empty')).toBeVisible();
});

test('a manager demoted while listening to a managers-only call is cut off and told why', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  const mona = await seedMember(server.url, admin.token, { name: 'Mona Manager', email: 'mona@acme.test', role: 'manager' });

  const host = await openApp();
  await signIn(host, 'hank@acme.test');
  const listener = await openApp();
  await signIn(listener, 'mona@acme.test');
  await goLive(host, { title: 'Pricing negotiation', policy: 'managers' });
  await listenTo(listener, 'Pricing negotiation');

  await setRole(server.url, admin.token, mona.user.id, 'rep');
  const ended = listener.getByTestId('listen-ended');
  await expect(ended).toHaveAttribute('data-reason', 'NOT_ALLOWED');
  await expect(ended.getByRole('heading')).toHaveText('You can no longer listen');
  await expect(ended).toContainText('Only managers can listen to this call.');
  await expect(host.getByTestId('listener-count')).toHaveText('0');
});
