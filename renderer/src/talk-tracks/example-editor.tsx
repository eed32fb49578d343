import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { clipDisplayTitle, MAX_TALK_TRACK_EXAMPLES, type ClipSummary, type TalkTrackContentInput } from '../../../contract';
import { restQueries } from '../api/queries';
import { Button, LoadingBlock, RetryNote } from '../components/feedback';
import { TextField } from '../components/field';
import { formatDuration } from '../labels';
import { useSession } from '../services/session-context';

type ExampleInput = NonNullable<TalkTrackContentInput['examples']>[number];

/**
 * The example clips of a track being edited: each linked clip with its moment (seconds into the
 * clip) and caption, and a library search to link more. `clips` names the clips known so far
 * (null: unavailable to this editor, kept as linked).
 */
export function ExampleEditor({
  examples,
  clips,
  error,
  onChange,
  onClipKnown,
}: {
  examples: ExampleInput[];
  clips: ReadonlyMap<string, ClipSummary | null>;
  error: string | undefined;
  onChange(examples: ExampleInput[]): void;
  onClipKnown(clip: ClipSummary): void;
}) {
  const [picking, setPicking] = useState(false);
  const full = examples.length >= MAX_TALK_TRACK_EXAMPLES;
  const update = (i: number, patch: Partial<ExampleInput>) => onChange(examples.map((e, j) => (j === i ? { ...e, ...patch } : e)));

  return (
    <fieldset className="track-example-editor" data-testid="example-editor">
      <legend>Example clips</legend>
      {examples.length === 0 ? <p className="muted">No example clips yet. Link moments from the library that show this talk track at work.</p> : null}
      <ol className="track-examples">
        {examples.map((e, i) => {
          const clip = clips.get(e.clipId);
          const name = clip ? clipDisplayTitle(clip) : 'Clip unavailable';
          return (
            <li key={`${e.clipId}#${i}`} className="track-example-edit" data-testid="example-edit" data-clip-id={e.clipId}>
              <p className="track-example-head">
                <strong>{name}</strong>
                {clip ? <span className="muted"> · {formatDuration(clip.durationMs)}</span> : null}
              </p>
              <div className="track-example-fields">
                <TextField
                  label="From second"
                  type="number"
                  min={0}
                  max={clip ? Math.floor(clip.durationMs / 1000) : undefined}
                  value={Math.floor((e.atMs ?? 0) / 1000)}
                  onChange={(ev) => update(i, { atMs: Math.max(0, Math.round(Number(ev.currentTarget.value) || 0)) * 1000 })}
                />
                <TextField label="Caption" maxLength={200} placeholder="What to listen for" value={e.caption ?? ''} onChange={(ev) => update(i, { caption: ev.currentTarget.value })} />
                <Button variant="ghost" aria-label={`Remove example ${name}`} onClick={() => onChange(examples.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {picking ? (
        <ClipPicker
          linked={new Set(examples.map((e) => e.clipId))}
          onPick={(clip) => {
            onClipKnown(clip);
            onChange([...examples, { clipId: clip.id, atMs: 0, caption: '' }]);
          }}
          onClose={() => setPicking(false)}
        />
      ) : (
        <Button variant="secondary" disabled={full} onClick={() => setPicking(true)} data-testid="link-clip">
          {full ? `At most ${MAX_TALK_TRACK_EXAMPLES} example clips` : 'Link a clip from the library…'}
        </Button>
      )}
    </fieldset>
  );
}

const SEARCH_DEBOUNCE_MS = 300;

/** Searches the library (the clips this person may see) and links one. */
function ClipPicker({ linked, onPick, onClose }: { linked: ReadonlySet<string>; onPick(clip: ClipSummary): void; onClose(): void }) {
  const session = useSession();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);
  const found = useQuery({ ...restQueries.clips(session.rest, { q: q || undefined, limit: 20 }), placeholderData: keepPreviousData });

  return (
    <div className="clip-picker" role="group" aria-label="Link a clip" data-testid="clip-picker">
      <TextField label="Search the library" type="search" value={search} placeholder="Titles, notes, comments…" maxLength={200} autoFocus onChange={(e) => setSearch(e.currentTarget.value)} />
      {found.isError ? (
        <RetryNote error={found.error} onRetry={() => void found.refetch()} />
      ) : !found.data ? (
        <LoadingBlock label="Searching clips…" />
      ) : found.data.clips.length === 0 ? (
        <p className="muted">No clips match. Clips come from recorded calls; try other words.</p>
      ) : (
        <ul className="clip-picker-list" aria-label="Clips">
          {found.data.clips.map((clip) => (
            <li key={clip.id} data-testid="clip-picker-row">
              <span>
                <strong>{clipDisplayTitle(clip)}</strong> <span className="muted">· {clip.hostName}’s call “{clip.callTitle}”</span>
              </span>
              <Button variant="secondary" disabled={linked.has(clip.id)} onClick={() => onPick(clip)} aria-label={`Link ${clipDisplayTitle(clip)}`}>
                {linked.has(clip.id) ? 'Linked' : 'Link'}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button variant="ghost" onClick={onClose}>
        Done
      </Button>
    </div>
  );
}
