import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TalkTrackDetail } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { DeletePanel } from '../components/confirm-delete';
import { Button } from '../components/feedback';
import { LoadStatePage } from '../components/load-state-page';
import { TagList } from '../components/tag-list';
import { formatDateTime } from '../labels';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { SafeMarkdown } from './safe-markdown';
import { TalkTrackExampleItem } from './talk-track-example';
import { TalkTrackHistory } from './talk-track-history';
import { talkTrackQueries } from './talk-track-queries';

/** One talk track: situation, what to say, why it works, example clips, history. */
export function TalkTrackScreen({ trackId }: { trackId: string }) {
  const session = useSession();
  // `talk-tracks:changed` pushes refresh this query through the session.
  const detail = useQuery(talkTrackQueries.detail(session.rest, trackId));
  if (!detail.isSuccess) {
    return (
      <LoadStatePage
        error={detail.error}
        title="Talk track"
        titleId="talk-track-title"
        loadingLabel="Loading the talk track…"
        notFound={{
          title: 'This talk track was deleted',
          heading: 'Talk track not found',
          text: 'Someone may have deleted it.',
          testId: 'talk-track-not-found',
          back: { href: routeHref({ name: 'talk-tracks' }), label: 'Back to talk tracks' },
        }}
        onRetry={() => void detail.refetch()}
      />
    );
  }
  return <TalkTrackView track={detail.data.track} />;
}

function TalkTrackView({ track }: { track: TalkTrackDetail }) {
  const session = useSession();
  const [showHistory, setShowHistory] = useState(false);
  const remove = useNotifiedMutation({
    call: () => session.rest.call('deleteTalkTrack', { params: { id: track.id } }),
    success: 'Talk track deleted.',
    invalidates: [queryKeys.talkTracks.lists],
    then: () => navigate({ name: 'talk-tracks' }),
  });

  return (
    <section className="page talk-track-page" aria-labelledby="talk-track-title" data-testid="talk-track" data-track-id={track.id} data-version={track.version}>
      <p className="breadcrumb">
        <a href={routeHref({ name: 'talk-tracks' })}>Talk tracks</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="talk-track-title">{track.title}</h1>
          <p className="muted">
            By {track.authorName} · version {track.version}, saved by {track.updatedByName}{' '}
            <time dateTime={new Date(track.updatedAt).toISOString()}>{formatDateTime(track.updatedAt)}</time>
          </p>
          <TagList tags={track.tags} />
        </div>
        <div className="actions">
          {track.canEdit ? (
            <a className="btn btn-primary" href={routeHref({ name: 'talk-track-edit', id: track.id })}>
              Edit
            </a>
          ) : null}
          <Button variant="secondary" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
            {showHistory ? 'Hide history' : 'History'}
          </Button>
        </div>
      </div>

      {showHistory ? <TalkTrackHistory track={track} /> : null}

      <div className="track-layout">
        <div className="track-main">
          <div className="panel track-section">
            <h2>Situation</h2>
            <p className="track-situation">{track.situation}</p>
          </div>
          <div className="panel track-section" data-testid="track-what-to-say">
            <h2>What to say</h2>
            <SafeMarkdown source={track.whatToSay} />
          </div>
          {track.whyItWorks ? (
            <div className="panel track-section" data-testid="track-why">
              <h2>Why it works</h2>
              <SafeMarkdown source={track.whyItWorks} />
            </div>
          ) : null}
        </div>
        <aside className="track-side" aria-labelledby="track-examples-title">
          <div className="panel">
            <h2 id="track-examples-title">Example clips</h2>
            {track.examples.length === 0 ? (
              <p className="muted">
                No example clips yet.{track.canEdit ? ' Link moments from the library in the editor, or use “Add to talk track” on a clip.' : ''}
              </p>
            ) : (
              <ol className="track-examples">
                {track.examples.map((e, i) => (
                  <TalkTrackExampleItem key={`${e.clipId}@${e.atMs}#${i}`} example={e} />
                ))}
              </ol>
            )}
          </div>
          {track.canDelete ? (
            <DeletePanel what="talk track" busy={remove.isPending} onConfirm={() => remove.mutate()}>
              Delete “{track.title}” and all its versions? This cannot be undone. The clips it links stay in the library.
            </DeletePanel>
          ) : null}
        </aside>
      </div>
    </section>
  );
}
