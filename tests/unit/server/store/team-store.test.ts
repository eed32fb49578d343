import { afterEach, describe, expect, it } from 'vitest';
import { TeamStore } from '../../../../server/store/team-store';
import { closeStores, engines, freshStore } from './store-engines';

afterEach(closeStores);

const person = (n: number) => ({ name: `P${n}`, email: `p${n}@acme.test`, passwordHash: 'h' });

/** Check-then-write races that a pool of PostgreSQL connections could let through. */
describe.each(engines)('team store under concurrent requests on %s', (engine) => {
  it('sets the server up once when two set-ups race', async () => {
    const teams = new TeamStore(await freshStore(engine));
    const results = await Promise.allSettled([1, 2, 3].map((n) => teams.createTeamWithAdmin({ teamName: `T${n}`, ...person(n) })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'SETUP_DONE' });
  });

  it('lets one person redeem an invite when two race for it, and refuses a taken email', async () => {
    const teams = new TeamStore(await freshStore(engine));
    const admin = await teams.createTeamWithAdmin({ teamName: 'Acme', ...person(0) });
    const invite = await teams.createInvite(admin.teamId, admin.id, 'rep', 1);
    const results = await Promise.allSettled([1, 2].map((n) => teams.redeemInvite({ code: invite.code, ...person(n) })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'INVITE_INVALID' });
    expect((await teams.members(admin.teamId)).length).toBe(2);

    const second = await teams.createInvite(admin.teamId, admin.id, 'rep', 1);
    await expect(teams.redeemInvite({ code: second.code, ...person(0) })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect((await teams.invites(admin.teamId)).find((i) => i.id === second.id)?.usedAt).toBeNull();
  });

  it('never leaves a team without an admin when two admins demote each other at once', async () => {
    const teams = new TeamStore(await freshStore(engine));
    const first = await teams.createTeamWithAdmin({ teamName: 'Acme', ...person(0) });
    const invite = await teams.createInvite(first.teamId, first.id, 'admin', 1);
    const second = await teams.redeemInvite({ code: invite.code, ...person(1) });
    const results = await Promise.allSettled([teams.setRole(first.teamId, first.id, 'rep'), teams.setRole(first.teamId, second.id, 'rep')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await teams.members(first.teamId)).filter((m) => m.role === 'admin')).toHaveLength(1);
  });
});
