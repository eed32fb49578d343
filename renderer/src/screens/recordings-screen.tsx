import { useQuery } from '@tanstack/react-query';
import { DEFAULT_RETENTION_DAYS, type RecordingSummary } from '../../../contract';
import { restQueries } from '../api/queries';
import { EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { useNow } from '../hooks/use-now';
import { formatDateTime, formatDuration } from '../labels';
import { count, expiresIn } from '../library-labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';

/** Kept recordings of ended calls the person may cut clips from. */
export function RecordingsScreen() {
  const session = useSession();
  // `library:changed` pushes refresh this query through the session.
  const recordings = useQuery(restQueries.recordings(session.rest));

  return (
    <section className="page" aria-labelledby="recordings-title">
      <div className="page-head">
        <div>
          <h1 id="recordings-title">Recordings</h1>
          <p className="muted">Full recordings of ended calls. Pick any moment and save it as a clip before the recording expires.</p>
        </div>
      </div>
      {recordings.isPending ? (
        <LoadingBlock label="Loading recordings…" />
      ) : recordings.isError ? (
        <RetryNote error={recordings.error} onRetry={() => void recordings.refetch()} />
      ) : recordings.data.recordings.length === 0 ? (
        <NoRecordings />
      ) : (
        <ul className="library-list" aria-label="Recordings">
          {recordings.data.recordings.map((r) => (
            <RecordingRow key={r.callId} recording={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

function NoRecordings() {
  const session = useSession();
  const settings = useQuery(restQueries.teamSettings(session.rest));
  const days = settings.data?.settings.retentionDays ?? DEFAULT_RETENTION_DAYS;
  return (
    <EmptyState title="No kept recordings" testId="recordings-empty">
      <p>Calls recorded with the customer’s consent are kept for {count(days, 'day')} after they end.</p>
      <p>
        Clips saved while listening live are in the <a href={routeHref({ name: 'library' })}>library</a>.
      </p>
    </EmptyState>
  );
}

function RecordingRow({ recording: r }: { recording: RecordingSummary }) {
  const now = useNow();
  return (
    <li className="library-row" data-testid="recording-row" data-call-id={r.callId}>
      <div className="library-main">
        <a className="library-title" href={routeHref({ name: 'recording', callId: r.callId })}>
          {r.callTitle}
        </a>
        <p className="library-meta muted">
          <span>{r.hostName}</span>
          {r.account ? <span>with {r.account}</span> : null}
          <time dateTime={new Date(r.startedAt).toISOString()}>{formatDateTime(r.startedAt)}</time>
        </p>
      </div>
      <div className="library-side">
        {r.state === 'recording' ? (
          <span className="badge badge-state-live">
            <span className="live-dot" aria-hidden="true" /> Recording
          </span>
        ) : (
          <span className="library-duration">{formatDuration(r.durationMs)}</span>
        )}
        <span>{count(r.clipCount, 'clip')}</span>
        {r.expiresAt ? <span className="muted">{expiresIn(r.expiresAt, now)}</span> : null}
      </div>
    </li>
  );
}
