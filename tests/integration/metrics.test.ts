/**
 * Shadowing credit and team metrics over real HTTP, from two weeks of known activity written
 * through the stores (see tests/helpers/metrics-week.ts). Runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRoutes, routes, type AuthReply, type MetricsReply, type MetricsRow } from '../../contract';
import { getWithQuery, expectRefused } from '../helpers/review-team';
import { rivalTeam, runCleanups, serverWithTeam } from '../helpers/live-call';
import { EXPECTED, METRICS_NOW, W1, W2, seedMetricsWeeks } from '../helpers/metrics-week';
import { openTestStore } from '../helpers/test-database';
import { addMember, api, unwrap, type TestServer } from '../helpers/test-server';

const MIN = 60_000;
const T1 = Date.parse(`${W1}T00:00:00Z`);

let server: TestServer;
let admin: AuthReply;
let max: AuthReply;
let rita: AuthReply;
let olga: AuthReply;
let mia: AuthReply;
let eve: AuthReply;
const stepCalls: [number, number][] = [];

beforeAll(async () => {
  ({ server, admin } = await serverWithTeam({
    now: () => METRICS_NOW,
    // Onboarding's provider (helper A's paths) stands in as a plain function: Rita did 2 steps in W1.
    stepsCompletedBetween: (_teamId, fromMs, toMs) => {
      stepCalls.push([fromMs, toMs]);
      return Promise.resolve(new Map(fromMs === T1 && rita ? [[rita.user.id, 2]] : []));
    },
  }));
  max = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  rita = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  olga = await addMember(server.url, admin.token, 'Olga Rep', 'rep');
  mia = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  // A name a spreadsheet would run as a formula.
  const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
  eve = unwrap(
    (await api(server.url, routes.signup, {
      body: { inviteCode: invite.code, name: '=HYPERLINK("x"), Eve', email: 'eve@acme.test', password: 'correct horse battery' },
    })).result,
  );
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: max.user.id }, body: { menteeIds: [rita.user.id] } })).result);
  const store = await openTestStore(server);
  try {
    await seedMetricsWeeks(store, { teamId: admin.team.id, alice: admin.user.id, max: max.user.id, rita: rita.user.id, olga: olga.user.id, mia: mia.user.id });
  } finally {
    await store.close();
  }
}, 60_000);

afterAll(runCleanups);

const metrics = async (who: AuthReply, query: Record<string, string>) => getWithQuery(server.url, routes.metrics, who.token, query);
const csv = (who: AuthReply, query: Record<string, string>) =>
  fetch(`${server.url}${exportRoutes.metricsCsv.path}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${who.token}` } });

/** Every field of a row as the expectation names it (absent counts are 0). */
function expectedRow(e: Partial<Record<string, number>>) {
  return {
    listenedMs: (e.listenedMin ?? 0) * MIN,
    hostsShadowed: e.hostsShadowed ?? 0,
    callsHosted: e.callsHosted ?? 0,
    teachingMs: (e.teachingMin ?? 0) * MIN,
    clipsMade: e.clipsMade ?? 0,
    scorecardsGiven: e.scorecardsGiven ?? 0,
    callClipsReviewed: e.callClipsReviewed ?? 0,
    questionsAsked: e.questionsAsked ?? 0,
    questionsAnswered: e.questionsAnswered ?? 0,
    medianFirstManagerCommentMs: e.medianMin === undefined ? null : e.medianMin * MIN,
  };
}

function row(reply: MetricsReply, userId: string, week: string): MetricsRow {
  const found = reply.rows.find((r) => r.userId === userId && r.week === week);
  expect(found, `a row for ${userId} in ${week}`).toBeDefined();
  return found!;
}

describe('weekly metrics', () => {
  it('reports the exact weekly numbers of every person to a manager, splitting listens at the week boundary', async () => {
    const reply = unwrap((await metrics(mia, { from: W1, to: W2 })).result);
    expect(reply.scope).toBe('team');
    expect(reply.weeks).toEqual([W1, W2]);
    expect(reply.generatedAt).toBe(METRICS_NOW);
    expect(reply.rows).toHaveLength(6 * 2);
    const people = { alice: admin, max, rita, olga, mia, eve } as const;
    for (const week of [W1, W2] as const) {
      for (const [name, who] of Object.entries(people)) {
        const expected = EXPECTED[week][name as keyof (typeof EXPECTED)[typeof week]];
        expect(row(reply, who.user.id, week), `${name} in ${week}`).toMatchObject(expectedRow(expected));
      }
    }
  });

  it('counts path progress per week from the onboarding provider, one call per week', async () => {
    stepCalls.length = 0;
    const reply = unwrap((await metrics(mia, { from: W1, to: W2 })).result);
    expect(reply.pathProgress).toBe(true);
    expect(stepCalls).toEqual([
      [T1, T1 + 7 * 86_400_000],
      [T1 + 7 * 86_400_000, T1 + 14 * 86_400_000],
    ]);
    expect(row(reply, rita.user.id, W1).stepsCompleted).toBe(2);
    expect(row(reply, rita.user.id, W2).stepsCompleted).toBe(0);
    expect(row(reply, olga.user.id, W1).stepsCompleted).toBe(0);
  });

  it('lists mentor↔mentee pairs with the mentee’s hours on the mentor’s calls', async () => {
    const reply = unwrap((await metrics(mia, { from: W1, to: W2 })).result);
    expect(reply.pairs).toEqual([
      { mentorId: max.user.id, mentorName: 'Max Mentor', menteeId: rita.user.id, menteeName: 'Rita Rep', week: W1, listenedMs: 30 * MIN },
      { mentorId: max.user.id, mentorName: 'Max Mentor', menteeId: rita.user.id, menteeName: 'Rita Rep', week: W2, listenedMs: 30 * MIN },
    ]);
  });

  it('shows a rep only their own rows, teaching credit included, and their own pairs', async () => {
    const reply = unwrap((await metrics(rita, { from: W1, to: W2 })).result);
    expect(reply.scope).toBe('self');
    expect(reply.rows.map((r) => [r.userId, r.week])).toEqual([
      [rita.user.id, W1],
      [rita.user.id, W2],
    ]);
    expect(row(reply, rita.user.id, W2)).toMatchObject(expectedRow(EXPECTED[W2].rita));
    expect(reply.pairs.every((p) => p.menteeId === rita.user.id)).toBe(true);
    // Asking for oneself by id is the same answer.
    expect(unwrap((await metrics(rita, { from: W1, to: W2, person: rita.user.id })).result).rows).toEqual(reply.rows);
  });

  it('shows a mentor their own teaching credit', async () => {
    const reply = unwrap((await metrics(max, { from: W1, to: W2 })).result);
    expect(reply.rows.map((r) => [r.week, r.teachingMs])).toEqual([
      [W1, 40 * MIN],
      [W2, 60 * MIN],
    ]);
  });

  it('filters a manager’s view to one person', async () => {
    const reply = unwrap((await metrics(mia, { from: W2, to: W2, person: olga.user.id })).result);
    expect(reply.rows).toHaveLength(1);
    expect(reply.rows[0]).toMatchObject({ userId: olga.user.id, week: W2, teachingMs: 20 * MIN });
    expect(reply.pairs).toEqual([]);
  });
});

describe('CSV export', () => {
  it('downloads the rows as text/csv with a file name, escaped and safe from formulas', async () => {
    const res = await csv(mia, { from: W1, to: W2 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bullpen-metrics-2026-11-16-to-2026-11-23.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      'week_start_utc,iso_week,person,role,hours_shadowed,hosts_shadowed,calls_shared_live,teaching_hours,clips_made,' +
        'scorecards_given,own_call_clips_reviewed,questions_asked,questions_answered,median_minutes_to_first_manager_comment,' +
        'onboarding_steps_completed',
    );
    // 6 people × 2 weeks, then the final line break.
    expect(lines).toHaveLength(1 + 12 + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines).toContain('2026-11-16,2026-W47,Rita Rep,rep,0.83,2,0,0,2,0,0,2,0,20,2');
    expect(lines).toContain('2026-11-23,2026-W48,Max Mentor,mentor,0.5,1,1,1,1,0,1,0,1,,0');
    // A name a spreadsheet would run as a formula is prefixed and, holding a comma and quotes, quoted.
    expect(lines).toContain('2026-11-16,2026-W47,"\'=HYPERLINK(""x""), Eve",rep,0,0,0,0,0,0,0,0,0,,0');
  });

  it('gives a rep only their own rows', async () => {
    const text = await (await csv(rita, { from: W1, to: W2 })).text();
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(',Rita Rep,'))).toBe(true);
  });
});

describe('metrics permissions', () => {
  it('refuses: a rep reading another person’s row, over JSON and CSV', async () => {
    expectRefused(await metrics(rita, { from: W1, to: W2, person: olga.user.id }), 'FORBIDDEN');
    expectRefused(await metrics(max, { from: W1, to: W2, person: rita.user.id }), 'FORBIDDEN');
    const res = await csv(rita, { from: W1, to: W2, person: olga.user.id });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain('Olga');
    expect(JSON.parse(body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses: a rep reading the team (they get only their own rows; naming a teammate is FORBIDDEN)', async () => {
    const reply = unwrap((await metrics(eve, { from: W1, to: W2 })).result);
    expect(reply.scope).toBe('self');
    expect(new Set(reply.rows.map((r) => r.userId))).toEqual(new Set([eve.user.id]));
    expect(reply.pairs).toEqual([]);
    expectRefused(await metrics(eve, { from: W1, to: W2, person: mia.user.id }), 'FORBIDDEN');
  });

  it('refuses: another team’s admin reading this team’s people', async () => {
    const rex = await rivalTeam(server);
    const r = await metrics(rex, { from: W1, to: W2, person: rita.user.id });
    expect(r.status).toBe(404);
    expectRefused(r, 'NOT_FOUND');
    expect((await csv(rex, { from: W1, to: W2, person: rita.user.id })).status).toBe(404);
    // Their own team's view holds only their own (idle) team.
    const own = unwrap((await metrics(rex, { from: W1, to: W2 })).result);
    expect(own.rows.map((x) => x.userId)).toEqual([rex.user.id, rex.user.id]);
    expect(own.rows.every((x) => x.listenedMs === 0 && x.teachingMs === 0 && x.clipsMade === 0)).toBe(true);
  });

  it('refuses: bad week ranges', async () => {
    const bad: Record<string, string>[] = [
      { from: '2026-11-17', to: W2 }, // a Tuesday
      { from: W2, to: W1 }, // backwards
      { from: '2025-11-17', to: W2 }, // more than 53 weeks
      { from: '2026-13-02', to: W2 }, // no such date
      { from: 'last week', to: W2 },
      { to: W2 }, // missing
    ];
    for (const query of bad) {
      const r = await metrics(mia, query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expectRefused(r, 'BAD_REQUEST');
      expect((await csv(mia, query)).status, JSON.stringify(query)).toBe(400);
    }
  });

  it('refuses: no session', async () => {
    const res = await fetch(`${server.url}${exportRoutes.metricsCsv.path}?from=${W1}&to=${W2}`);
    expect(res.status).toBe(401);
    const { status } = await api(server.url, routes.metrics, {});
    expect(status).toBe(401);
  });
});
