import { seedMember, seedTeam } from './api';
import { goLive, signIn } from './app-steps';
import { expect, test } from './fixtures';

test('an admin revokes an invite, changes a role and pairs a mentee, and the board follows', async ({ server, openApp }) => {
  const admin = await seedTeam(server.url);
  await seedMember(server.url, admin.token, { name: 'Hank Host', email: 'hank@acme.test', role: 'mentor' });
  await seedMember(server.url, admin.token, { name: 'Rita Rep', email: 'rita@acme.test', role: 'rep' });
  await seedMember(server.url, admin.token, { name: 'Sam Seller', email: 'sam@acme.test', role: 'rep' });

  const alice = await openApp();
  await signIn(alice, 'alice@acme.test');
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  // The admin sees what the team's audio takes on disk (nothing recorded yet).
  const storage = alice.getByTestId('storage-usage');
  await expect(storage).toHaveAttribute('data-bytes', '0');
  await expect(storage).toContainText('Clips cut today');

  // A revoked invite link tells the person what to do.
  await alice.getByRole('button', { name: 'Create invite' }).click();
  const code = await alice.getByTestId('invite-code').inputValue();
  const link = await alice.getByTestId('invite-link').inputValue();
  await alice.getByRole('button', { name: `Revoke invite ${code}` }).click();
  await expect(alice.getByText('Invite revoked. Its link no longer works.')).toBeVisible();
  const stranger = await openApp(link);
  await expect(stranger.getByRole('heading', { name: 'This invite can’t be used' })).toBeVisible();
  await expect(stranger.getByTestId('error')).toHaveAttribute('data-code', 'INVITE_INVALID');

  // Roles: the admin makes Sam a mentor.
  await alice.getByLabel('Role of Sam Seller').selectOption('mentor');
  await expect(alice.getByText('Sam Seller is now mentor.')).toBeVisible();

  // Mentorship: Rita becomes Hank's mentee.
  const hankRow = alice.getByTestId('members').getByRole('listitem').filter({ hasText: 'hank@acme.test' });
  await hankRow.getByRole('button', { name: 'Mentees…' }).click();
  await hankRow.getByLabel('Rita Rep').check();
  await hankRow.getByRole('button', { name: 'Save' }).click();
  await expect(alice.getByText('Saved who Hank Host mentors.')).toBeVisible();
  await expect(hankRow).toContainText('Mentors Rita Rep');

  // Hank shares a call with his mentees: Rita may listen, Sam may not, and is told why.
  const hank = await openApp();
  await signIn(hank, 'hank@acme.test');
  await goLive(hank, { title: 'Onboarding walkthrough', policy: 'mentees-and-managers' });
  const rita = await openApp();
  await signIn(rita, 'rita@acme.test');
  await expect(rita.getByTestId('call-card').getByRole('button', { name: /Listen/ })).toBeEnabled();
  // Storage is for admins: a rep's team page has none.
  await rita.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(rita.getByTestId('members')).toBeVisible();
  await expect(rita.getByTestId('storage')).toHaveCount(0);
  const sam = await openApp();
  await signIn(sam, 'sam@acme.test');
  const samCard = sam.getByTestId('call-card');
  await expect(samCard).toContainText('Restricted');
  await expect(samCard).not.toContainText('Onboarding walkthrough');
  await expect(samCard.getByRole('button', { name: /Listen/ })).toHaveCount(0);
});
