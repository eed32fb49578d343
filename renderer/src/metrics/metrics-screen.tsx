import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { can, type AppError, type MetricsQuery } from '../../../contract';
import { restQueries } from '../api/queries';
import { saveBlob } from '../api/save-download';
import { Button, EmptyState, ErrorNote, LoadingBlock, RetryNote } from '../components/feedback';
import { PersonOptions } from '../components/person-options';
import { SelectField } from '../components/field';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { MetricsTable, PairsTable } from './metrics-table';
import {
  defaultRange,
  fileNameFrom,
  metricsCsvPath,
  pairsOfWeek,
  rowsOfWeek,
  weekChoices,
  weekLabel,
  weeklySeries,
} from './metrics-view';
import { WeeklyChart } from './weekly-chart';

/**
 * `#/metrics`: weekly shadowing credit and team metrics. Managers and admins read the team at a
 * glance (charts of weekly totals, a week's table, mentor pairs, CSV export) and may narrow it to
 * one person; everyone else sees their own weekly totals, teaching credit included.
 */
export function MetricsScreen() {
  const session = useSession();
  const me = useAppStore((s) => s.me?.user);
  const manager = me ? can.seeEverything(me.role) : false;
  const [now] = useState(() => Date.now());
  const choices = useMemo(() => weekChoices(now), [now]);
  const [range, setRange] = useState(() => defaultRange(now));
  const [person, setPerson] = useState('');
  const [pickedWeek, setPickedWeek] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<AppError | null>(null);

  const rangeOk = range.from <= range.to;
  const query: MetricsQuery = { from: range.from, to: range.to, ...(manager && person ? { person } : {}) };
  const metrics = useQuery({ ...restQueries.metrics(session.rest, query), enabled: rangeOk, placeholderData: keepPreviousData });
  const members = useQuery({ ...restQueries.members(session.rest), enabled: manager });
  const data = metrics.data;
  const week = data && pickedWeek && data.weeks.includes(pickedWeek) ? pickedWeek : (data?.weeks.at(-1) ?? range.to);
  const series = useMemo(() => (data ? weeklySeries(data) : []), [data]);
  const weekRows = data ? rowsOfWeek(data.rows, week) : [];
  const weekPairs = data ? pairsOfWeek(data.pairs, week) : [];
  const idle = data ? data.rows.every((r) => r.listenedMs === 0 && r.teachingMs === 0 && r.callsHosted === 0 && r.clipsMade === 0) : false;

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    const result = await session.rest.fetchExport(metricsCsvPath(query), 'text/csv');
    setExporting(false);
    if (!result.ok) {
      setExportError(result.error);
      return;
    }
    saveBlob(result.value.blob, fileNameFrom(result.value.disposition, 'bullpen-metrics.csv'));
  };

  return (
    <section className="page" aria-labelledby="metrics-title">
      <div className="page-head">
        <div>
          <h1 id="metrics-title">{manager ? 'Team metrics' : 'My metrics'}</h1>
          <p className="muted">
            {manager
              ? 'Weekly shadowing, coaching and review totals per person. Everyone sees their own row; managers and admins see the team.'
              : 'Your weekly totals, your teaching credit included. Only you, managers and admins see them.'}
          </p>
        </div>
        <Button variant="secondary" busy={exporting} busyLabel="Preparing CSV…" disabled={!rangeOk} onClick={() => void exportCsv()}>
          Export CSV
        </Button>
      </div>

      <div className="metrics-filters" role="group" aria-label="Filters">
        <SelectField label="From week" value={range.from} onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="To week"
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.currentTarget.value })}
          error={rangeOk ? undefined : 'Pick a week on or after the first one.'}
        >
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        {manager ? (
          <SelectField label="Person" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
            <option value="">Everyone</option>
            <PersonOptions members={members.data?.members} meId={me?.id} />
          </SelectField>
        ) : null}
      </div>
      <p className="field-hint">Weeks run from Monday 00:00 UTC. Totals are per week only: Bullpen never shows a timeline of anyone’s listening.</p>
      <ErrorNote error={exportError} />

      {!rangeOk ? null : metrics.isPending ? (
        <LoadingBlock label="Adding up the weeks…" />
      ) : metrics.isError ? (
        <RetryNote error={metrics.error} onRetry={() => void metrics.refetch()} />
      ) : data!.rows.length === 0 ? (
        <EmptyState title="Nobody to show" testId="metrics-empty">
          <p>There is no one on the team in this view.</p>
        </EmptyState>
      ) : (
        <>
          {idle ? (
            <p className="note note-info" data-testid="metrics-idle">
              No listening, calls or clips in these weeks yet. Totals appear as people shadow calls and make clips.
            </p>
          ) : null}
          <div className="metrics-charts" aria-busy={metrics.isFetching || undefined}>
            <WeeklyChart title="Hours shadowed" data={series} measure="shadowedHours" unit={['h', 'h']} />
            <WeeklyChart title="Teaching credit" data={series} measure="teachingHours" unit={['h', 'h']} />
            <WeeklyChart title="Calls shared live" data={series} measure="callsHosted" unit={['call', 'calls']} />
            <WeeklyChart title="Clips made" data={series} measure="clipsMade" unit={['clip', 'clips']} />
          </div>

          <div className="panel">
            <div className="metrics-week-head">
              <h2 id="metrics-week-title">Week {weekLabel(week)}</h2>
              <SelectField label="Week" value={week} onChange={(e) => setPickedWeek(e.currentTarget.value)}>
                {[...data!.weeks].reverse().map((w) => (
                  <option key={w} value={w}>
                    {weekLabel(w)}
                  </option>
                ))}
              </SelectField>
            </div>
            <MetricsTable rows={weekRows} caption={`Totals for the week ${weekLabel(week)}`} />
            <p className="field-hint">
              A manager’s comment is one by someone who is a manager or admin now (Bullpen does not record roles at the time of a
              comment). Onboarding steps show “—” when this server has no onboarding paths to count from.
            </p>
          </div>

          {data!.pairs.length > 0 ? (
            <div className="panel">
              <h2>Mentors and mentees</h2>
              {weekPairs.length > 0 ? <PairsTable pairs={weekPairs} /> : <p className="muted">No mentor pairs this week.</p>}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
