import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { can, clipDisplayTitle, STANDARD_CLIP_TAGS, type ClipSummary, type ReviewQueueQuery } from '../../../contract';
import { restQueries } from '../api/queries';
import { Button, EmptyState, LoadingBlock, RetryNote, Spinner } from '../components/feedback';
import { SelectField } from '../components/field';
import { TagList } from '../components/tag-list';
import { formatDateTime, formatDuration } from '../labels';
import { count } from '../library-labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** The review queue (managers): clips not reviewed yet, oldest first, by rep and tag, a page at a time. */
export function ReviewsScreen() {
  const role = useAppStore((s) => s.me?.user.role);
  if (role && !can.seeEverything(role)) {
    return (
      <section className="page" aria-labelledby="reviews-title">
        <h1 id="reviews-title">Reviews</h1>
        <EmptyState title="Reviews are for managers" testId="reviews-not-allowed">
          <p>
            Managers review clips with a scorecard. Your own scorecards are under <a href={routeHref({ name: 'scorecards', rep: null })}>Scorecards</a>.
          </p>
        </EmptyState>
      </section>
    );
  }
  return <ReviewQueue />;
}

function ReviewQueue() {
  const session = useSession();
  const [filters, setFilters] = useState<{ rep: string; tag: string }>({ rep: '', tag: '' });
  const [page, setPage] = useState(1);
  const query: ReviewQueueQuery = { rep: filters.rep || undefined, tag: filters.tag || undefined, page };
  // `library:changed` pushes refresh the queue (its key nests under the clip lists).
  const queue = useQuery({ ...restQueries.reviewQueue(session.rest, query), placeholderData: keepPreviousData });
  const members = useQuery(restQueries.members(session.rest));
  const filtered = filters.rep !== '' || filters.tag !== '';
  const set = (patch: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const data = queue.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <section className="page" aria-labelledby="reviews-title">
      <div className="page-head">
        <div>
          <h1 id="reviews-title">Reviews</h1>
          <p className="muted">Clips nobody has reviewed yet, oldest first. Open one to score it on the team’s rubric.</p>
        </div>
      </div>
      <form className="library-filters" aria-label="Filter the review queue" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Rep" value={filters.rep} onChange={(e) => set({ rep: e.currentTarget.value })}>
          <option value="">Everyone</option>
          {(members.data?.members ?? [])
            .slice()
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
        </SelectField>
        <SelectField label="Tag" value={filters.tag} onChange={(e) => set({ tag: e.currentTarget.value })}>
          <option value="">Any tag</option>
          {STANDARD_CLIP_TAGS.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </SelectField>
        {filtered ? (
          <button type="button" className="btn btn-ghost library-clear" onClick={() => set({ rep: '', tag: '' })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {queue.isError ? (
        <RetryNote error={queue.error} onRetry={() => void queue.refetch()} />
      ) : !data ? (
        <LoadingBlock label="Loading the review queue…" />
      ) : data.clips.length === 0 ? (
        filtered ? (
          <EmptyState title="No clips to review match these filters" testId="reviews-no-results">
            <Button variant="secondary" onClick={() => set({ rep: '', tag: '' })}>
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title="All caught up" testId="reviews-empty">
            <p>Every clip has been reviewed. New clips show here as your team makes them.</p>
          </EmptyState>
        )
      ) : (
        <>
          <p className="library-count muted" aria-live="polite">
            {queue.isPlaceholderData ? <Spinner label="Updating" /> : null} {count(data.total, 'clip')} to review
          </p>
          <ul className="library-list" aria-label="Clips to review">
            {data.clips.map((clip) => (
              <QueueRow key={clip.id} clip={clip} />
            ))}
          </ul>
          {pages > 1 ? (
            <nav className="pager" aria-label="Pages">
              <Button variant="secondary" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                Previous
              </Button>
              <span>
                Page {data.page} of {pages}
              </span>
              <Button variant="secondary" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                Next
              </Button>
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}

function QueueRow({ clip }: { clip: ClipSummary }) {
  return (
    <li className="library-row" data-testid="review-row" data-clip-id={clip.id}>
      <div className="library-main">
        <a className="library-title" href={routeHref({ name: 'clip', id: clip.id })}>
          {clipDisplayTitle(clip)}
        </a>
        <p className="library-meta muted">
          <span>{clip.hostName}’s call</span>
          <span>“{clip.callTitle}”</span>
          <span>clipped by {clip.clipperName}</span>
          <time dateTime={new Date(clip.createdAt).toISOString()}>{formatDateTime(clip.createdAt)}</time>
        </p>
        <TagList tags={clip.tags} />
      </div>
      <div className="library-side">
        {clip.status === 'ready' ? <span className="library-duration">{formatDuration(clip.durationMs)}</span> : null}
        <a className="btn btn-secondary btn-sm" href={routeHref({ name: 'clip', id: clip.id })} aria-label={`Review ${clipDisplayTitle(clip)}`}>
          Review
        </a>
      </div>
    </li>
  );
}
