import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClipSummary } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Button, ErrorNote, LoadingBlock, RetryNote } from '../components/feedback';
import { SelectField, TextField } from '../components/field';
import type { ClipPlayer } from '../media/clip-player';
import { formatDuration } from '../labels';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { talkTrackQueries, useMayWriteTalkTracks } from './talk-track-queries';

/**
 * On a clip's page: the talk tracks that cite it, and (for people who write tracks) "Add to
 * talk track" at the player's current moment.
 */
export function ClipTalkTracks({ clip, player }: { clip: ClipSummary; player: ClipPlayer | null }) {
  const session = useSession();
  const mayWrite = useMayWriteTalkTracks();
  const citing = useQuery(talkTrackQueries.citing(session.rest, clip.id));
  const [adding, setAdding] = useState(false);

  return (
    <div className="panel" aria-labelledby="clip-tracks-title" data-testid="clip-talk-tracks">
      <h2 id="clip-tracks-title">Cited in talk tracks</h2>
      {citing.isError ? (
        <RetryNote error={citing.error} onRetry={() => void citing.refetch()} />
      ) : !citing.data ? (
        <LoadingBlock label="Loading talk tracks…" />
      ) : citing.data.tracks.length === 0 ? (
        <p className="muted">No talk track cites this clip yet.</p>
      ) : (
        <ul className="clip-track-list">
          {citing.data.tracks.map((t) => (
            <li key={t.id}>
              <a href={routeHref({ name: 'talk-track', id: t.id })}>{t.title}</a>
            </li>
          ))}
        </ul>
      )}
      {mayWrite ? (
        adding ? (
          <AddToTrack clip={clip} player={player} onDone={() => setAdding(false)} />
        ) : (
          <Button variant="secondary" onClick={() => setAdding(true)} data-testid="add-to-talk-track">
            Add to talk track…
          </Button>
        )
      ) : null}
    </div>
  );
}

function AddToTrack({ clip, player, onDone }: { clip: ClipSummary; player: ClipPlayer | null; onDone(): void }) {
  const session = useSession();
  const tracks = useQuery(talkTrackQueries.list(session.rest, { limit: 200 }));
  // The moment now under the playhead, in whole seconds (the editor can fine-tune it).
  const [atSec, setAtSec] = useState(() => Math.floor((player?.snapshot().positionMs ?? 0) / 1000));
  const [trackId, setTrackId] = useState('');
  const [caption, setCaption] = useState('');
  const add = useNotifiedMutation({
    call: () => session.rest.call('addTalkTrackExample', { params: { id: trackId }, body: { clipId: clip.id, atMs: atSec * 1000, caption } }),
    success: ({ track }) => `Added to “${track.title}”.`,
    invalidates: [queryKeys.talkTracks.all],
    then: onDone,
  });

  if (tracks.isError) return <RetryNote error={tracks.error} onRetry={() => void tracks.refetch()} />;
  if (!tracks.data) return <LoadingBlock label="Loading talk tracks…" />;
  return (
    <form
      className="clip-add-track"
      aria-label="Add to talk track"
      onSubmit={(e) => {
        e.preventDefault();
        if (trackId === 'new') navigate({ name: 'talk-track-edit', id: 'new', clipId: clip.id });
        else if (trackId) add.mutate();
      }}
    >
      <SelectField label="Talk track" value={trackId} onChange={(e) => setTrackId(e.currentTarget.value)}>
        <option value="">Choose a talk track…</option>
        <option value="new">New talk track with this clip</option>
        {tracks.data.tracks.map((t) => (
          <option key={t.id} value={t.id}>
            {t.title}
          </option>
        ))}
      </SelectField>
      <TextField
        label="From second"
        type="number"
        min={0}
        max={Math.floor(clip.durationMs / 1000)}
        value={atSec}
        hint={`The moment to play from: ${formatDuration(atSec * 1000)}.`}
        onChange={(e) => setAtSec(Math.max(0, Math.round(Number(e.currentTarget.value) || 0)))}
      />
      <TextField label="Caption" maxLength={200} placeholder="What to listen for" value={caption} onChange={(e) => setCaption(e.currentTarget.value)} />
      {add.error ? <ErrorNote error={add.error} /> : null}
      <div className="actions">
        <Button type="submit" disabled={!trackId} busy={add.isPending} busyLabel="Adding…">
          {trackId === 'new' ? 'Write a new talk track' : 'Add'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
