import { useQuery } from '@tanstack/react-query';
import { restQueries } from '../api/queries';
import { RetryNote, LoadingBlock } from '../components/feedback';
import { formatBytes } from '../labels';
import { useSession } from '../services/session-context';

/**
 * "Storage" (admins only): how much disk the team's audio takes on the server, and how much of
 * the day's clip budget it used. Fetched fresh each time the team page opens.
 */
export function StorageSection() {
  const session = useSession();
  const usage = useQuery({ ...restQueries.teamUsage(session.rest), staleTime: 0 });

  return (
    <div className="panel" aria-labelledby="storage-title" data-testid="storage">
      <h2 id="storage-title">Storage</h2>
      <p className="muted">
        The team’s audio on the server. Full recordings are deleted when their retention ends; clips stay until someone deletes them.
      </p>
      {usage.isPending ? (
        <LoadingBlock label="Loading storage…" />
      ) : usage.isError ? (
        <RetryNote error={usage.error} onRetry={() => void usage.refetch()} />
      ) : (
        <dl className="clip-facts" data-testid="storage-usage" data-bytes={usage.data.usage.recordingsBytes + usage.data.usage.clipsBytes}>
          <dt>Full recordings</dt>
          <dd>
            {formatBytes(usage.data.usage.recordingsBytes)} <span className="muted">· {count(usage.data.usage.recordings, 'recording')}</span>
          </dd>
          <dt>Clips</dt>
          <dd>
            {formatBytes(usage.data.usage.clipsBytes)} <span className="muted">· {count(usage.data.usage.clips, 'clip')}</span>
          </dd>
          <dt>Total</dt>
          <dd>
            <strong>{formatBytes(usage.data.usage.recordingsBytes + usage.data.usage.clipsBytes)}</strong>
          </dd>
          <dt>Clips cut today</dt>
          <dd>
            {usage.data.usage.clipMinutesToday} of {usage.data.usage.clipMinutesPerDay} minutes a day
          </dd>
        </dl>
      )}
    </div>
  );
}

function count(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}
