import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { AUDIT_PAGE_SIZE, AuditKind, AuditRetentionDays, auditKindLabels, can, DEFAULT_AUDIT_RETENTION_DAYS, type AuditEvent } from '../../../contract';
import { describeError } from '../api/errors';
import { restQueries, unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { saveBlob } from '../api/save-download';
import { Button, EmptyState, ErrorNote, LoadingBlock, RetryNote } from '../components/feedback';
import { SelectField, TextField } from '../components/field';
import { daysForm } from '../forms/days-form';
import { useContractForm } from '../forms/use-contract-form';
import { formatDateTime } from '../labels';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';
import { auditQuery, NO_AUDIT_FILTERS, pageSummary, type AuditFilters } from './audit-filters';

/**
 * Admins: the team's audit log (sign-ins, people, invites, listening, downloads, settings),
 * filtered by kind, person and day, a page at a time, exportable as CSV; and how long it is kept.
 */
export function AuditScreen() {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const [page, setPage] = useState(1);
  const query = auditQuery(filters, page);
  const log = useQuery({
    queryKey: queryKeys.audit.page(query),
    queryFn: () => unwrap(session.rest.call('audit', { query })),
    placeholderData: keepPreviousData,
    enabled: role !== undefined && can.manageTeam(role),
  });
  const members = useQuery({ ...restQueries.members(session.rest), enabled: role !== undefined && can.manageTeam(role) });
  const exportCsv = useMutation({
    mutationFn: () => unwrap(session.rest.call('auditExport', { query: auditQuery(filters, 1) })),
    onSuccess: (reply) => {
      saveBlob(new Blob([reply.csv], { type: 'text/csv;charset=utf-8' }), reply.filename);
      notify(reply.truncated ? `Exported the newest ${reply.rows} events. Narrow the dates to export the rest.` : `Exported ${reply.rows} events.`, 'success');
    },
    onError: (error) => notify(describeError(error), 'error'),
  });

  if (!role || !can.manageTeam(role)) {
    return (
      <section className="page" aria-labelledby="audit-title">
        <h1 id="audit-title">Audit log</h1>
        <EmptyState title="Only admins can read the audit log." />
      </section>
    );
  }
  const change = (patch: Partial<AuditFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const data = log.data;
  return (
    <section className="page" aria-labelledby="audit-title">
      <div className="page-head">
        <div>
          <h1 id="audit-title">Audit log</h1>
          <p className="muted">Sign-ins, changes to people and invites, who listened to which call and who downloaded which audio.</p>
        </div>
        <Button variant="secondary" busy={exportCsv.isPending} busyLabel="Exporting…" onClick={() => exportCsv.mutate()}>
          Export CSV
        </Button>
      </div>
      <div className="panel">
        <form className="audit-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
          <SelectField label="Event" value={filters.kind} onChange={(e) => change({ kind: e.currentTarget.value })}>
            <option value="">All events</option>
            {AuditKind.options.map((k) => (
              <option key={k} value={k}>
                {auditKindLabels[k]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Person" value={filters.person} onChange={(e) => change({ person: e.currentTarget.value })}>
            <option value="">Everyone</option>
            {(members.data?.members ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <TextField label="From (UTC)" type="date" value={filters.from} onChange={(e) => change({ from: e.currentTarget.value })} />
          <TextField label="To (UTC)" type="date" value={filters.to} onChange={(e) => change({ to: e.currentTarget.value })} />
        </form>
        {log.isPending ? (
          <LoadingBlock label="Loading the audit log…" />
        ) : log.isError ? (
          <RetryNote error={log.error} onRetry={() => void log.refetch()} />
        ) : data && data.events.length === 0 ? (
          <EmptyState title="No events match these filters." testId="audit-empty" />
        ) : data ? (
          <>
            <AuditTable events={data.events} />
            <nav className="audit-pages" aria-label="Audit log pages">
              <Button variant="ghost" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                Newer
              </Button>
              <span className="muted" role="status">
                {pageSummary(data.page, AUDIT_PAGE_SIZE, data.events.length, data.total)}
              </span>
              <Button variant="ghost" disabled={page >= data.pages} onClick={() => setPage((p) => p + 1)}>
                Older
              </Button>
            </nav>
          </>
        ) : null}
      </div>
      <AuditRetention />
    </section>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <table className="table audit-table" data-testid="audit-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">By</th>
          <th scope="col">About</th>
          <th scope="col">Call, clip or invite</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-kind={e.kind}>
            <td>{formatDateTime(e.at)}</td>
            <td>{auditKindLabels[e.kind]}</td>
            <td>{e.actorName ?? '—'}</td>
            <td>{e.subjectName ?? ''}</td>
            {/* Ids without a title (an invite someone used) are in the CSV; here they would be noise. */}
            <td>{e.targetLabel ?? ''}</td>
            <td>{e.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RetentionForm = daysForm(AuditRetentionDays);

/** How long audit rows are kept; older ones are deleted daily (and at once when shortened). */
function AuditRetention() {
  const session = useSession();
  const settings = useQuery({ queryKey: queryKeys.audit.settings, queryFn: () => unwrap(session.rest.call('auditSettings')) });
  return (
    <div className="panel" aria-labelledby="audit-retention-title">
      <h2 id="audit-retention-title">Keep the audit log</h2>
      {settings.isPending ? (
        <LoadingBlock label="Loading…" />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <AuditRetentionForm days={settings.data.settings.retentionDays} />
      )}
    </div>
  );
}

function AuditRetentionForm({ days }: { days: number }) {
  const session = useSession();
  const queries = useQueryClient();
  const form = useContractForm(RetentionForm, { retentionDays: String(days) }, { retentionDays: 'Keep audit events for (days)' });
  const save = form.submit(
    (body) => session.rest.call('updateAuditSettings', { body }),
    () => {
      void queries.invalidateQueries({ queryKey: queryKeys.audit.all });
      notify('Saved. Older events are deleted now and daily.', 'success');
    },
  );
  return (
    <form className="team-name-form" onSubmit={(e) => void save(e)} noValidate aria-label="Audit log retention">
      <TextField
        label="Keep audit events for (days)"
        inputMode="numeric"
        maxLength={4}
        hint={`From 1 to 3650 days (default ${DEFAULT_AUDIT_RETENTION_DAYS}).`}
        {...form.field('retentionDays')}
      />
      <Button type="submit" busy={form.busy} busyLabel="Saving…">
        Save
      </Button>
      <ErrorNote error={form.error} />
    </form>
  );
}
