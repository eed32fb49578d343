/**
 * The audit log over real HTTP: a row for each admin-visible event, filters and pages, the CSV
 * export, retention pruning (at start-up and on demand), and who may read it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, routes, type AuditEvent, type AuditQueryInput } from '../../contract';
import { startServer } from '../../server/app';
import { rivalTeam } from '../helpers/live-call';
import { addMember, api, setupTeam, startTestServer, unwrap, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const PASSWORD = 'correct horse battery';
let now = Date.now();
let server: TestServer;
beforeEach(async () => {
  now = Date.now();
  server = await startTestServer({ now: () => now });
});
afterEach(async () => {
  await server.stop();
});

/** The log as an admin reads it, once every row recorded so far is written. */
async function log(token: string, query: AuditQueryInput = {}) {
  await server.audit.idle();
  const path = routes.audit.path + '?' + new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as { ok: boolean; value: { events: AuditEvent[]; page: number; pages: number; total: number }; error?: { code: string } } };
}
const kinds = (events: AuditEvent[]) => events.map((e) => e.kind);

describe('audit rows', () => {
  it('records sign-ins and failures, invites, role changes, lifecycle, resets, retention and renames, newest first with names and details', async () => {
    const admin = await setupTeam(server.url);
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep'); // invite-created, invite-used
    unwrap((await api(server.url, routes.login, { body: { email: rep.user.email, password: PASSWORD } })).result);
    await api(server.url, routes.login, { body: { email: rep.user.email, password: 'not the password' } });
    await api(server.url, routes.login, { body: { email: 'nobody@acme.test', password: 'not the password' } });
    unwrap((await api(server.url, routes.updateMember, { token: admin.token, params: { id: rep.user.id }, body: { role: 'mentor' } })).result);
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    unwrap((await api(server.url, routes.revokeInvite, { token: admin.token, params: { id: invite.id } })).result);
    const link = unwrap((await api(server.url, routes.issuePasswordReset, { token: admin.token, params: { id: rep.user.id } })).result);
    unwrap((await api(server.url, routes.completePasswordReset, { body: { token: link.token, password: 'purple giraffe evening walk' } })).result);
    unwrap((await api(server.url, routes.deactivateMember, { token: admin.token, params: { id: rep.user.id } })).result);
    await api(server.url, routes.login, { body: { email: rep.user.email, password: 'purple giraffe evening walk' } });
    unwrap((await api(server.url, routes.reactivateMember, { token: admin.token, params: { id: rep.user.id } })).result);
    unwrap((await api(server.url, routes.updateTeamSettings, { token: admin.token, body: { retentionDays: 90 } })).result);
    unwrap((await api(server.url, routes.updateAuditSettings, { token: admin.token, body: { retentionDays: 400 } })).result);
    unwrap((await api(server.url, routes.renameTeam, { token: admin.token, body: { name: 'Acme West' } })).result);
    unwrap((await api(server.url, routes.deactivateMember, { token: admin.token, params: { id: rep.user.id } })).result);
    unwrap((await api(server.url, routes.deleteMember, { token: admin.token, params: { id: rep.user.id }, body: { confirmName: 'Rita Rep', clips: 'keep' } })).result);

    const { events, total } = (await log(admin.token)).json.value;
    expect(total).toBe(events.length);
    // Sign-ins happen at the same millisecond as other rows at times: compare as a multiset, then check order by time.
    expect(kinds(events).sort()).toEqual(
      [
        'invite-created',
        'invite-used',
        'sign-in',
        'sign-in-failed',
        'role-changed',
        'invite-created',
        'invite-revoked',
        'password-reset-issued',
        'password-reset-used',
        'member-deactivated',
        'sign-in-failed',
        'member-reactivated',
        'retention-changed',
        'audit-retention-changed',
        'team-renamed',
        'member-deactivated',
        'member-deleted',
      ].sort(),
    );
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => b - a));
    const one = (kind: string) => events.find((e) => e.kind === kind)!;
    expect(one('role-changed')).toMatchObject({ actorName: 'Alice Admin', subjectId: rep.user.id, subjectName: 'Rita Rep', detail: 'rep → mentor' });
    expect(one('invite-revoked')).toMatchObject({ targetId: invite.id });
    expect(one('invite-used')).toMatchObject({ actorId: rep.user.id, detail: expect.stringContaining('as rep') });
    expect(one('sign-in')).toMatchObject({ actorId: rep.user.id, actorName: 'Rita Rep', detail: expect.stringContaining('from ') });
    expect(events.filter((e) => e.kind === 'sign-in-failed').map((e) => e.detail.split(',')[0]).sort()).toEqual(['account deactivated', 'wrong password']);
    expect(one('password-reset-used')).toMatchObject({ actorId: rep.user.id });
    expect(one('retention-changed').detail).toBe('recordings kept 30 → 90 days');
    expect(one('audit-retention-changed').detail).toBe('365 → 400 days');
    expect(one('team-renamed').detail).toBe('Acme Sales → Acme West');
    // The deleted member's rows keep the name they had.
    expect(one('member-deleted')).toMatchObject({ subjectName: 'Rita Rep', detail: '0 clips kept as Former member' });
  });

  it('filters by kind, person and day, and pages', async () => {
    const admin = await setupTeam(server.url);
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const today = new Date(now).toISOString().slice(0, 10);
    const yesterday = new Date(now - DAY).toISOString().slice(0, 10);
    // addMember made one invite; 52 more make 53 invite rows (two pages).
    for (let i = 0; i < AUDIT_PAGE_SIZE + 2; i++) unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result);
    await api(server.url, routes.login, { body: { email: rep.user.email, password: 'wrong password' } });
    now += 2 * DAY; // later rows fall on another day
    unwrap((await api(server.url, routes.renameTeam, { token: admin.token, body: { name: 'Later' } })).result);

    const failed = (await log(admin.token, { kind: 'invite-created' })).json.value;
    expect(failed).toMatchObject({ page: 1, pages: 2, total: AUDIT_PAGE_SIZE + 3 });
    expect(failed.events).toHaveLength(AUDIT_PAGE_SIZE);
    const second = (await log(admin.token, { kind: 'invite-created', page: 2 })).json.value;
    expect(second.events).toHaveLength(3);
    expect(new Set([...failed.events, ...second.events].map((e) => e.id)).size).toBe(AUDIT_PAGE_SIZE + 3);

    const aboutRep = (await log(admin.token, { person: rep.user.id })).json.value.events;
    expect(new Set(kinds(aboutRep))).toEqual(new Set(['invite-used', 'sign-in-failed']));
    const onDay = (await log(admin.token, { from: today, to: today })).json.value.events;
    expect(kinds(onDay)).not.toContain('team-renamed');
    expect((await log(admin.token, { from: today, to: today })).json.value.total).toBe(AUDIT_PAGE_SIZE + 5);
    expect((await log(admin.token, { to: yesterday })).json.value.total).toBe(0);
    const bad = await log(admin.token, { from: '2026-13-45' });
    expect(bad.status).toBe(400);
  });

  it('exports the filtered log as CSV that a spreadsheet will not run as formulas', async () => {
    const admin = await setupTeam(server.url);
    for (const [name, email] of [
      ['=HYPERLINK("http://evil.test","x")', 'evil@acme.test'],
      ['@SUM(1+1)', 'sum@acme.test'],
    ] as const) {
      const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
      unwrap((await api(server.url, routes.signup, { body: { inviteCode: invite.code, name, email, password: PASSWORD } })).result);
    }
    await server.audit.idle();
    const csv = unwrap((await api(server.url, routes.auditExport, { token: admin.token })).result);
    expect(csv.filename).toMatch(/^bullpen-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.truncated).toBe(false);
    const lines = csv.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"time (UTC)","event","by","by id","about","about id","target","target id","detail"');
    expect(lines).toHaveLength(csv.rows + 1);
    expect(csv.rows).toBe(4);
    expect(csv.csv).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csv.csv).toContain(`"'@SUM(1+1)"`);
    expect(csv.csv).not.toMatch(/(^|,)"[=+\-@]/m);
    const res = await fetch(`${server.url}${routes.auditExport.path}?kind=invite-used`, { headers: { authorization: `Bearer ${admin.token}` } });
    const onlyUsed = ((await res.json()) as { value: { csv: string; rows: number } }).value;
    expect(onlyUsed.rows).toBe(2);
    expect(onlyUsed.csv).toContain('Invite used (signed up)');
    expect(onlyUsed.csv).not.toContain('Invite made');
  });

  it('refuses: managers and reps reading, exporting or changing the log (nothing changes)', async () => {
    const admin = await setupTeam(server.url);
    const manager = await addMember(server.url, admin.token, 'Mona Manager', 'manager');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    for (const caller of [manager, rep]) {
      for (const res of [
        await api(server.url, routes.audit, { token: caller.token }),
        await api(server.url, routes.auditExport, { token: caller.token }),
        await api(server.url, routes.auditSettings, { token: caller.token }),
        await api(server.url, routes.updateAuditSettings, { token: caller.token, body: { retentionDays: 1 } }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect(unwrap((await api(server.url, routes.auditSettings, { token: admin.token })).result).settings.retentionDays).toBe(365);
    expect((await api(server.url, routes.audit, {})).status).toBe(401);
  });

  it("refuses: another team's admin seeing any of this team's rows", async () => {
    const admin = await setupTeam(server.url);
    await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const rex = await rivalTeam(server);
    const theirs = (await log(rex.token)).json.value.events;
    expect(kinds(theirs)).toEqual(['sign-in']);
    expect(theirs[0]!.actorName).toBe('Rex Rival');
    const filtered = (await log(rex.token, { person: admin.user.id })).json.value;
    expect(filtered.total).toBe(0);
    const csv = unwrap((await api(server.url, routes.auditExport, { token: rex.token })).result);
    expect(csv.csv).not.toContain('Alice Admin');
  });
});

describe('audit retention', () => {
  it('keeps rows 365 days by default, prunes older ones on demand and after a change, per team', async () => {
    const admin = await setupTeam(server.url);
    const start = now;
    await addMember(server.url, admin.token, 'Old Timer', 'rep'); // two rows at `start`
    now = start + 200 * DAY;
    // The first session expired meanwhile: signing in again is a row at start + 200 days.
    const again = unwrap((await api(server.url, routes.login, { body: { email: admin.user.email, password: PASSWORD } })).result);
    unwrap((await api(server.url, routes.renameTeam, { token: again.token, body: { name: 'Renamed' } })).result);
    const rex = await rivalTeam(server); // a rival team's row at start + 200 days
    await server.audit.idle();

    expect(await server.maintenance.pruneAudit(start + 365 * DAY)).toBe(0);
    expect(await server.maintenance.pruneAudit(start + 366 * DAY)).toBe(2);
    expect(kinds((await log(again.token)).json.value.events).sort()).toEqual(['sign-in', 'team-renamed']);

    // Shortening retention applies at once (its own row is recent and stays); the rival's rows keep theirs.
    now = start + 210 * DAY;
    unwrap((await api(server.url, routes.updateAuditSettings, { token: again.token, body: { retentionDays: 5 } })).result);
    expect(kinds((await log(again.token)).json.value.events)).toEqual(['audit-retention-changed']);
    expect((await log(rex.token)).json.value.total).toBe(1);
    const tooLong = await api(server.url, routes.updateAuditSettings, { token: again.token, body: { retentionDays: 4000 } });
    expect(tooLong.status).toBe(400);
  });

  it('prunes at start-up', async () => {
    const admin = await setupTeam(server.url);
    await addMember(server.url, admin.token, 'Old Timer', 'rep');
    await server.audit.idle();
    await server.close();
    const later = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: server.dataDir,
      databaseUrl: server.databaseUrl,
      logLevel: 'silent',
      now: () => now + 366 * DAY,
    });
    try {
      const signIn = unwrap((await api(later.url, routes.login, { body: { email: admin.user.email, password: PASSWORD } })).result);
      await later.audit.idle();
      const res = await fetch(later.url + routes.audit.path, { headers: { authorization: `Bearer ${signIn.token}` } });
      const events = ((await res.json()) as { value: { events: AuditEvent[] } }).value.events;
      expect(kinds(events)).toEqual(['sign-in']);
    } finally {
      await later.close();
    }
  });
});
