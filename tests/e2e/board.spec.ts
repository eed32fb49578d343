import { seedMember, seedTeam } from './api';
import { goLive, signIn } from './app-steps';
import { expect, test } from './fixtures';

test('a call limited to managers is shown closed to a rep, with why, and open to the admin', async ({ server, openApp }) => {
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

  const repCard = rep.getByTestId('call-card').filter({ hasText: 'Pricing negotiation' });
  await expect(repCard).toContainText('Hank Host');
  await expect(repCard.getByRole('button', { name: /Listen/ })).toBeDisabled();
  await expect(repCard).toContainText('Only managers can listen to this call.');

  const bossCard = boss.getByTestId('call-card').filter({ hasText: 'Pricing negotiation' });
  await expect(bossCard.getByRole('button', { name: /Listen/ })).toBeEnabled();

  // Ending the call clears everyone's board.
  await host.getByRole('button', { name: 'End call' }).click();
  await expect(rep.getByTestId('board-empty')).toBeVisible();
  await expect(boss.getByTestId('board-empty')).toBeVisible();
});
