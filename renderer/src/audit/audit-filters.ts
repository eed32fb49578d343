import { AuditKind, type AuditQueryInput } from '../../../contract';

/** The audit screen's filter form as typed ('' means "any"). */
export interface AuditFilters {
  kind: string;
  person: string;
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { kind: '', person: '', from: '', to: '' };

/**
 * The query for one page of the log: empty filters are left out, an unknown kind is ignored,
 * and a `from` after `to` is swapped so the range still means what the admin picked.
 */
export function auditQuery(filters: AuditFilters, page: number): AuditQueryInput {
  const query: AuditQueryInput = {};
  const kind = AuditKind.safeParse(filters.kind);
  if (kind.success) query.kind = kind.data;
  if (filters.person) query.person = filters.person;
  let { from, to } = filters;
  if (from && to && from > to) [from, to] = [to, from];
  if (from) query.from = from;
  if (to) query.to = to;
  if (page > 1) query.page = page;
  return query;
}

/** "Showing 51–100 of 230" for a page of the log. */
export function pageSummary(page: number, pageSize: number, shown: number, total: number): string {
  if (total === 0) return 'No events';
  const first = (page - 1) * pageSize + 1;
  return `Showing ${first}–${first + shown - 1} of ${total}`;
}
