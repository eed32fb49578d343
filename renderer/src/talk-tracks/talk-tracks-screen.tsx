import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { STANDARD_CLIP_TAGS, type TalkTrackSummary, type TalkTracksQuery } from '../../../contract';
import { Button, EmptyState, LoadingBlock, RetryNote, Spinner } from '../components/feedback';
import { SelectField, TextField } from '../components/field';
import { TagList } from '../components/tag-list';
import { formatDateTime } from '../labels';
import { count } from '../library-labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { talkTrackQueries, useMayWriteTalkTracks } from './talk-track-queries';

const SEARCH_DEBOUNCE_MS = 300;

/** The team's talk tracks, latest edit first, with full-text search and a tag filter. */
export function TalkTracksScreen() {
  const session = useSession();
  const mayWrite = useMayWriteTalkTracks();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const query = useMemo<TalkTracksQuery>(() => ({ q: q.trim() || undefined, tag: tag || undefined }), [q, tag]);
  // `talk-tracks:changed` pushes refresh the list through the session.
  const tracks = useQuery({ ...talkTrackQueries.list(session.rest, query), placeholderData: keepPreviousData });

  useEffect(() => {
    const timer = setTimeout(() => setQ(search), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const shown = tracks.data?.tracks ?? null;
  const filtered = search.trim() !== '' || tag !== '';
  const tags = useMemo(() => {
    const seen = new Set<string>(STANDARD_CLIP_TAGS);
    for (const t of shown ?? []) for (const name of t.tags) seen.add(name);
    if (tag) seen.add(tag);
    return [...seen];
  }, [shown, tag]);
  const clear = () => {
    setSearch('');
    setQ('');
    setTag('');
  };

  return (
    <section className="page" aria-labelledby="talk-tracks-title">
      <div className="page-head">
        <div>
          <h1 id="talk-tracks-title">Talk tracks</h1>
          <p className="muted">What to say when it gets hard, and why it works, with example moments from real calls.</p>
        </div>
        {mayWrite ? (
          <a className="btn btn-primary" href={routeHref({ name: 'talk-track-edit', id: 'new' })} data-testid="new-talk-track">
            New talk track
          </a>
        ) : null}
      </div>

      <form className="library-filters" role="search" aria-label="Search talk tracks" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          value={search}
          placeholder="Titles, situations, what to say…"
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <SelectField label="Tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)}>
          <option value="">Any tag</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        {filtered ? (
          <button type="button" className="btn btn-ghost library-clear" onClick={clear}>
            Clear filters
          </button>
        ) : null}
      </form>

      {tracks.isError ? (
        <RetryNote error={tracks.error} onRetry={() => void tracks.refetch()} />
      ) : shown === null ? (
        <LoadingBlock label="Loading talk tracks…" />
      ) : shown.length === 0 ? (
        filtered ? (
          <EmptyState title="No talk tracks match" testId="talk-tracks-no-results">
            <p>Try other words or another tag.</p>
            <Button variant="secondary" onClick={clear}>
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title="No talk tracks yet" testId="talk-tracks-empty">
            <p>Talk tracks capture what your best people say in a tough moment, and why it works.</p>
            {mayWrite ? (
              <p>
                <a href={routeHref({ name: 'talk-track-edit', id: 'new' })}>Write the first one</a>.
              </p>
            ) : (
              <p>Mentors and managers write them; they will appear here.</p>
            )}
          </EmptyState>
        )
      ) : (
        <>
          <p className="library-count muted" aria-live="polite">
            {tracks.isPlaceholderData ? <Spinner label="Updating" /> : null} {count(shown.length, 'talk track')}
          </p>
          <ul className="library-list" aria-label="Talk tracks">
            {shown.map((t) => (
              <TalkTrackRow key={t.id} track={t} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function TalkTrackRow({ track }: { track: TalkTrackSummary }) {
  return (
    <li className="library-row" data-testid="talk-track-row" data-track-id={track.id}>
      <div className="library-main">
        <a className="library-title" href={routeHref({ name: 'talk-track', id: track.id })}>
          {track.title}
        </a>
        <p className="library-note">{track.situation}</p>
        <p className="library-meta muted">
          <span>by {track.authorName}</span>
          <span>
            updated by {track.updatedByName} <time dateTime={new Date(track.updatedAt).toISOString()}>{formatDateTime(track.updatedAt)}</time>
          </span>
          <span>version {track.version}</span>
          <span>{count(track.exampleCount, 'example clip')}</span>
        </p>
        <TagList tags={track.tags} />
      </div>
    </li>
  );
}
