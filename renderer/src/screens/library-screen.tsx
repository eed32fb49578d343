import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { STANDARD_CLIP_TAGS, clipDisplayTitle, type ClipSummary, type LibraryQuery } from '../../../contract';
import { restQueries } from '../api/queries';
import { Button, EmptyState, LoadingBlock, RetryNote, Spinner } from '../components/feedback';
import { SelectField, TextField } from '../components/field';
import { HeadphonesIcon } from '../components/icons';
import { TagList } from '../components/tag-list';
import { formatDateTime, formatDuration } from '../labels';
import { count, visibilityShort } from '../library-labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';

interface Filters {
  q: string;
  rep: string;
  tag: string;
  /** `yyyy-mm-dd` from the date inputs, or ''. */
  from: string;
  to: string;
  reviewed: '' | 'yes' | 'no';
}

const NO_FILTERS: Filters = { q: '', rep: '', tag: '', from: '', to: '', reviewed: '' };
const SEARCH_DEBOUNCE_MS = 300;

function toQuery(f: Filters): LibraryQuery {
  const day = (value: string, end: boolean) => {
    if (!value) return undefined;
    const [y, m, d] = value.split('-').map(Number);
    if (!y || !m || !d) return undefined;
    return end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
  };
  return {
    q: f.q.trim() || undefined,
    rep: f.rep || undefined,
    tag: f.tag || undefined,
    from: day(f.from, false),
    to: day(f.to, true),
    reviewed: f.reviewed || undefined,
  };
}

/** Every clip the person may see, newest first, with filters and search. */
export function LibraryScreen() {
  const session = useSession();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [search, setSearch] = useState('');
  const query = useMemo(() => toQuery(filters), [filters]);
  // Keep showing the last results while new ones load, so filtering does not flicker. Pushes
  // (`library:changed`, `clip:ready`) refresh the list through the session.
  const clips = useQuery({ ...restQueries.clips(session.rest, query), placeholderData: keepPreviousData });
  const members = useQuery(restQueries.members(session.rest));

  // Search as the person types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const shown = clips.data?.clips ?? null;
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) || search.trim() !== '';

  const tags = useMemo(() => {
    const seen = new Set<string>(STANDARD_CLIP_TAGS);
    for (const clip of shown ?? []) for (const tag of clip.tags) seen.add(tag);
    if (filters.tag) seen.add(filters.tag);
    return [...seen];
  }, [shown, filters.tag]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const clear = () => {
    setSearch('');
    setFilters(NO_FILTERS);
  };

  return (
    <section className="page" aria-labelledby="library-title">
      <div className="page-head">
        <div>
          <h1 id="library-title">Library</h1>
          <p className="muted">Moments your team clipped from recorded calls. Search titles, notes and comments.</p>
        </div>
        <a className="btn btn-secondary" href={routeHref({ name: 'recordings' })}>
          Clip from a recording
        </a>
      </div>

      <form className="library-filters" role="search" aria-label="Filter clips" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          value={search}
          placeholder="Titles, notes, comments…"
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <SelectField label="Rep" value={filters.rep} onChange={(e) => set({ rep: e.currentTarget.value })}>
          <option value="">Everyone</option>
          {members.data
            ? [...members.data.members]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))
            : null}
        </SelectField>
        <SelectField label="Tag" value={filters.tag} onChange={(e) => set({ tag: e.currentTarget.value })}>
          <option value="">Any tag</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </SelectField>
        <TextField label="From" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
        <TextField label="To" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
        <SelectField label="Review" value={filters.reviewed} onChange={(e) => set({ reviewed: e.currentTarget.value as Filters['reviewed'] })}>
          <option value="">All clips</option>
          <option value="no">Not reviewed</option>
          <option value="yes">Reviewed</option>
        </SelectField>
        {filtered ? (
          <button type="button" className="btn btn-ghost library-clear" onClick={clear}>
            Clear filters
          </button>
        ) : null}
      </form>

      {clips.isError ? (
        <RetryNote error={clips.error} onRetry={() => void clips.refetch()} />
      ) : shown === null ? (
        <LoadingBlock label="Loading clips…" />
      ) : shown.length === 0 ? (
        filtered ? (
          <EmptyState title="No clips match these filters" testId="library-no-results">
            <p>Try other words, a wider date range or another rep.</p>
            <Button variant="secondary" onClick={clear}>
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title="No clips yet" icon={<HeadphonesIcon size={32} />} testId="library-empty">
            <p>
              Clips appear here when someone presses <strong>Clip</strong> (<kbd>Ctrl</kbd>/<kbd>Cmd</kbd>+<kbd>Shift</kbd>+<kbd>K</kbd>) while
              listening to a recorded call.
            </p>
            <p>
              You can also <a href={routeHref({ name: 'recordings' })}>cut a clip from a kept recording</a>.
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <p className="library-count muted" aria-live="polite">
            {clips.isPlaceholderData ? <Spinner label="Updating" /> : null} {count(shown.length, 'clip')}
          </p>
          <ul className="library-list" aria-label="Clips">
            {shown.map((clip) => (
              <LibraryRow key={clip.id} clip={clip} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function LibraryRow({ clip }: { clip: ClipSummary }) {
  const title = clipDisplayTitle(clip);
  return (
    <li className={`library-row status-${clip.status}`} data-testid="library-row" data-clip-id={clip.id}>
      <div className="library-main">
        <a className="library-title" href={routeHref({ name: 'clip', id: clip.id })}>
          {title}
        </a>
        {clip.note ? <p className="library-note">{clip.note}</p> : null}
        <p className="library-meta muted">
          <span>{clip.hostName}’s call</span>
          <span>“{clip.callTitle}”</span>
          {clip.account ? <span>with {clip.account}</span> : null}
          <span>clipped by {clip.clipperName}</span>
          <time dateTime={new Date(clip.createdAt).toISOString()}>{formatDateTime(clip.createdAt)}</time>
        </p>
        <TagList tags={clip.tags} />
      </div>
      <div className="library-side">
        {clip.status === 'pending' ? (
          <span className="badge badge-pending">
            <Spinner /> Being cut…
          </span>
        ) : clip.status === 'failed' ? (
          <span className="badge badge-failed">Failed</span>
        ) : (
          <span className="library-duration" aria-label={`Duration ${formatDuration(clip.durationMs)}`}>
            {formatDuration(clip.durationMs)}
          </span>
        )}
        <span className="library-comments">{count(clip.commentCount, 'comment')}</span>
        {clip.reviewed ? <span className="badge badge-reviewed">✓ Reviewed</span> : null}
        {clip.visibility !== 'team' ? <span className="badge">{visibilityShort[clip.visibility]}</span> : null}
      </div>
    </li>
  );
}
