import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ClipStore } from '../../../../server/store/clip-store';
import { SqliteStatementCache } from '../../../../server/store/sqlite-statement-cache';
import { TeamStore } from '../../../../server/store/team-store';
import { closeStores, engines, freshStore } from './store-engines';

afterEach(closeStores);

describe.each(engines)('prepared statements on %s', (engine) => {
  it('are compiled once per query shape and then reused', async () => {
    const store = await freshStore(engine);
    const teams = new TeamStore(store);
    const clips = new ClipStore(store);
    const admin = await teams.createTeamWithAdmin({ teamName: 'Acme', name: 'Alice', email: 'a@acme.test', passwordHash: 'h' });
    const viewer = { userId: admin.id, teamId: admin.teamId, privileged: true };
    const work = async () => {
      await teams.userById(admin.id);
      await teams.members(admin.teamId);
      await clips.library(viewer, { q: 'pricing', limit: 50 } as never);
    };
    // PostgreSQL prepares per connection: a pool's connections each prepare a shape once.
    for (let i = 0; i < 10; i++) await work();
    const warm = store.preparedCount();
    expect(warm).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) await work();
    expect(store.preparedCount()).toBe(warm);
    // A new query shape is compiled, then reused too.
    await teams.invites(admin.teamId);
    const withInvites = store.preparedCount();
    expect(withInvites).toBeGreaterThan(warm);
    for (let i = 0; i < 20; i++) await teams.invites(admin.teamId);
    expect(store.preparedCount()).toBe(withInvites);
    if (engine === 'sqlite') expect(withInvites).toBe(warm + 1);
  });
});

describe('the SQLite statement cache', () => {
  it('is bounded: the least recently used statement is dropped and compiled again when needed', () => {
    const cache = new SqliteStatementCache(new Database(':memory:'), 2);
    const a = cache.prepare('SELECT 1');
    cache.prepare('SELECT 2');
    expect(cache.prepare('SELECT 1')).toBe(a); // a is now the most recently used
    cache.prepare('SELECT 3'); // evicts SELECT 2
    expect(cache.prepared).toBe(3);
    expect(cache.prepare('SELECT 1')).toBe(a);
    cache.prepare('SELECT 2');
    expect(cache.prepared).toBe(4);
    cache.close();
  });
});
