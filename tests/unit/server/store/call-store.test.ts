import { afterEach, describe, expect, it } from 'vitest';
import { CallStore } from '../../../../server/store/call-store';
import { TeamStore } from '../../../../server/store/team-store';
import { closeStores, engines, exec, freshStore } from './store-engines';

afterEach(closeStores);

describe.each(engines)('call store on %s', (engine) => {
  it('applies fire-and-forget history writes in the order they were asked for', async () => {
    const store = await freshStore(engine);
    const host = await new TeamStore(store).createTeamWithAdmin({ teamName: 'Acme', name: 'Alice', email: 'a@acme.test', passwordHash: 'h' });
    const calls = new CallStore(store);
    // As the registry does: nothing awaited between a call starting, a listen starting and
    // ending, and the call ending. Each write depends on the one before it.
    const writes = [
      calls.insertCall({ id: 'c1', teamId: host.teamId, hostId: host.id, title: 'Demo', account: null, policy: 'team', startedAt: 1 }),
      calls.listenStarted('l1', 'c1', host.id, 2),
      calls.listenEnded('l1', 3),
      calls.listenStarted('l2', 'c1', host.id, 4),
      calls.endCall('c1', 'host-ended', 5),
    ];
    await calls.idle();
    await Promise.all(writes);
    const run = exec(store.db);
    expect(await run`SELECT id, joined_at, left_at FROM listens ORDER BY id`).toEqual([
      { id: 'l1', joined_at: 2, left_at: 3 },
      { id: 'l2', joined_at: 4, left_at: 5 },
    ]);
    expect(await calls.endedCallOfTeam(host.teamId, 'c1')).toBe(true);
    expect(await calls.endedCallOfTeam('other-team', 'c1')).toBe(false);
  });

  it('lets the event loop run between batches when hundreds of writes come at once', async () => {
    const store = await freshStore(engine);
    const host = await new TeamStore(store).createTeamWithAdmin({ teamName: 'Acme', name: 'Alice', email: 'a@acme.test', passwordHash: 'h' });
    const calls = new CallStore(store);
    await calls.insertCall({ id: 'c1', teamId: host.teamId, hostId: host.id, title: 'Demo', account: null, policy: 'team', startedAt: 1 });
    let landed = 0;
    // 200 listens ending together, as when 200 listeners' sockets close in one burst.
    const writes = Array.from({ length: 200 }, (_, i) => calls.listenStarted(`l${i}`, 'c1', host.id, i).then(() => landed++));
    // A timer due now (as a media packet would be) runs before the whole burst is written.
    const landedWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(landed), 0));
    await Promise.all(writes);
    expect(landedWhenTimerRan).toBeLessThan(200);
    expect(landed).toBe(200);
    expect(await exec(store.db)`SELECT COUNT(*) AS n FROM listens`).toEqual([{ n: 200 }]);
  });

  it('keeps going after a failed write, and reports the failure to its caller', async () => {
    const store = await freshStore(engine);
    const calls = new CallStore(store);
    const bad = calls.listenStarted('l1', 'no-such-call', 'no-such-user', 1);
    const next = calls.closeOrphans(2);
    await expect(bad).rejects.toThrow();
    expect(await next).toBe(0);
  });

  it('closes orphaned calls and listens but those a live node still carries, and reads open calls back for adoption', async () => {
    const store = await freshStore(engine);
    const host = await new TeamStore(store).createTeamWithAdmin({ teamName: 'Acme', name: 'Alice', email: 'a@acme.test', passwordHash: 'h' });
    const calls = new CallStore(store);
    const call = (id: string) => ({ id, teamId: host.teamId, hostId: host.id, title: `Call ${id}`, account: null, policy: 'team' as const, startedAt: 7 });
    await Promise.all([calls.insertCall(call('live')), calls.insertCall(call('orphan'))]);
    await Promise.all([calls.listenStarted('l1', 'live', host.id, 8), calls.listenStarted('l2', 'orphan', host.id, 8)]);
    expect((await calls.openCallIds()).sort()).toEqual(['live', 'orphan']);
    expect(await calls.closeOrphans(9, ['live'])).toBe(1);
    expect(await calls.openCallIds()).toEqual(['live']);
    expect(await exec(store.db)`SELECT id, left_at FROM listens ORDER BY id`).toEqual([
      { id: 'l1', left_at: null },
      { id: 'l2', left_at: 9 },
    ]);
    expect(await calls.openCall('live')).toMatchObject({ id: 'live', teamId: host.teamId, hostId: host.id, title: 'Call live', policy: 'team', startedAt: 7, kind: 'other', questions: 'after-call', whispers: false, managersMayJoin: true, recordingConsentBy: null });
    expect(await calls.openCallOfTeam('other-team', 'live')).toBeUndefined();
    expect(await calls.openCall('orphan')).toBeUndefined();
  });
});
