import { describe, expect, it } from 'vitest';
import { auditQuery, NO_AUDIT_FILTERS, pageSummary } from '../../../renderer/src/audit/audit-filters';
import { confirmsName, resetLink, resetProblem } from '../../../renderer/src/people/people-labels';
import { parseRoute, routeHref } from '../../../renderer/src/routing';

describe('people labels', () => {
  it('builds the reset link on the server URL', () => {
    expect(resetLink('http://localhost:4280/', 'abc_DEF-1')).toBe('http://localhost:4280/#/reset/abc_DEF-1');
  });

  it('accepts the typed name as the server does (case and spaces aside), never an empty one', () => {
    expect(confirmsName('  rita   REP ', 'Rita Rep')).toBe(true);
    expect(confirmsName('Rita', 'Rita Rep')).toBe(false);
    expect(confirmsName('', '')).toBe(false);
  });

  it('says why a reset link cannot be used', () => {
    expect(resetProblem({ status: 'valid', name: 'A', email: 'a@x', teamName: 'T', expiresAt: 1 })).toBeNull();
    expect(resetProblem({ status: 'used' })).toMatch(/already used/);
    expect(resetProblem({ status: 'expired' })).toMatch(/expired/);
    expect(resetProblem({ status: 'invalid' })).toMatch(/not valid/);
  });
});

describe('audit filters', () => {
  it('leaves out empty filters and unknown kinds, swaps a reversed range, and pages', () => {
    expect(auditQuery(NO_AUDIT_FILTERS, 1)).toEqual({});
    expect(auditQuery({ kind: 'sign-in', person: 'u1', from: '2026-02-01', to: '2026-01-01' }, 3)).toEqual({
      kind: 'sign-in',
      person: 'u1',
      from: '2026-01-01',
      to: '2026-02-01',
      page: 3,
    });
    expect(auditQuery({ ...NO_AUDIT_FILTERS, kind: 'nonsense' }, 1)).toEqual({});
  });

  it('summarises a page', () => {
    expect(pageSummary(2, 50, 50, 230)).toBe('Showing 51–100 of 230');
    expect(pageSummary(1, 50, 0, 0)).toBe('No events');
  });
});

describe('people routes', () => {
  it('parses and builds #/audit and #/reset/<token>', () => {
    expect(parseRoute('#/audit')).toEqual({ name: 'audit' });
    expect(parseRoute('#/reset/tok_123')).toEqual({ name: 'reset-password', token: 'tok_123' });
    expect(routeHref({ name: 'reset-password', token: 'a b' })).toBe('#/reset/a%20b');
    expect(routeHref({ name: 'audit' })).toBe('#/audit');
  });
});
