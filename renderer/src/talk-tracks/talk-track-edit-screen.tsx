import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { TalkTrackContent, type ClipSummary, type TalkTrackContentInput, type TalkTrackDetail } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, EmptyState, ErrorNote, LoadingBlock } from '../components/feedback';
import { TextAreaField, TextField } from '../components/field';
import { LoadStatePage } from '../components/load-state-page';
import { TagPicker } from '../components/tag-picker';
import { useContractForm } from '../forms/use-contract-form';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';
import { ExampleEditor } from './example-editor';
import { SafeMarkdown } from './safe-markdown';
import { talkTrackQueries, useMayWriteTalkTracks } from './talk-track-queries';

const LABELS = { title: 'Title', situation: 'Situation', whatToSay: 'What to say', whyItWorks: 'Why it works', tags: 'Tags', examples: 'Example clips' };

/** Writes a new talk track (`trackId` = `new`, optionally starting from a clip) or a new version of one. */
export function TalkTrackEditScreen({ trackId, clipId }: { trackId: string; clipId: string | null }) {
  const session = useSession();
  const mayWrite = useMayWriteTalkTracks();
  const isNew = trackId === 'new';
  const detail = useQuery({ ...talkTrackQueries.detail(session.rest, trackId), enabled: !isNew });
  const fromClip = useQuery({ ...restQueries.clip(session.rest, clipId ?? ''), enabled: isNew && clipId !== null });

  if (!mayWrite && (isNew || detail.data)) {
    return (
      <section className="page" aria-labelledby="track-edit-title">
        <EmptyState title="Mentors and managers write talk tracks" testId="talk-track-read-only">
          <h1 id="track-edit-title" className="sr-only">
            Edit talk track
          </h1>
          <p>Your admin can let reps write them too, on the Team page.</p>
          <a className="btn btn-secondary" href={routeHref(isNew ? { name: 'talk-tracks' } : { name: 'talk-track', id: trackId })}>
            Back
          </a>
        </EmptyState>
      </section>
    );
  }
  if (isNew) {
    if (clipId !== null && fromClip.isPending) return <LoadingBlock label="Loading the clip…" />;
    const clip = fromClip.data?.clip ?? null;
    return <TalkTrackForm track={null} startClip={clip} />;
  }
  if (!detail.isSuccess) {
    return (
      <LoadStatePage
        error={detail.error}
        title="Edit talk track"
        titleId="track-edit-title"
        loadingLabel="Loading the talk track…"
        notFound={{
          title: 'This talk track was deleted',
          heading: 'Talk track not found',
          text: 'Someone may have deleted it while you were away.',
          testId: 'talk-track-not-found',
          back: { href: routeHref({ name: 'talk-tracks' }), label: 'Back to talk tracks' },
        }}
        onRetry={() => void detail.refetch()}
      />
    );
  }
  return <TalkTrackForm track={detail.data.track} startClip={null} />;
}

function contentOf(track: TalkTrackDetail): TalkTrackContentInput {
  return {
    title: track.title,
    situation: track.situation,
    whatToSay: track.whatToSay,
    whyItWorks: track.whyItWorks,
    tags: track.tags,
    examples: track.examples.map(({ clipId, atMs, caption }) => ({ clipId, atMs, caption })),
  };
}

function TalkTrackForm({ track, startClip }: { track: TalkTrackDetail | null; startClip: ClipSummary | null }) {
  const session = useSession();
  const queries = useQueryClient();
  const initial: TalkTrackContentInput = track
    ? contentOf(track)
    : { title: '', situation: '', whatToSay: '', whyItWorks: '', tags: [], examples: startClip ? [{ clipId: startClip.id, atMs: 0, caption: '' }] : [] };
  const f = useContractForm(TalkTrackContent, initial, LABELS);
  // The version this text was started from: a save on top of anything else is refused (CONFLICT).
  const [base, setBase] = useState(track?.version ?? 0);
  const [latest, setLatest] = useState<TalkTrackDetail | null>(null);
  const [preview, setPreview] = useState(false);
  const known = new Map<string, ClipSummary | null>(track?.examples.map((e) => [e.clipId, e.clip]) ?? []);
  if (startClip) known.set(startClip.id, startClip);
  const [clips, setClips] = useState(known);

  const values = f.form.watch();
  const conflict = f.error?.code === 'CONFLICT';

  const onSubmit = f.submit(
    (data) =>
      track
        ? session.rest.call('updateTalkTrack', { params: { id: track.id }, body: { ...data, baseVersion: base } })
        : session.rest.call('createTalkTrack', { body: data }),
    ({ track: saved }) => {
      void queries.invalidateQueries({ queryKey: queryKeys.talkTracks.all });
      queries.setQueryData(queryKeys.talkTracks.detail(saved.id), { track: saved });
      notify(track ? `Saved as version ${saved.version}.` : 'Talk track created.', 'success');
      navigate({ name: 'talk-track', id: saved.id });
    },
  );

  /** After a CONFLICT: look at the latest version, keeping this text in the form. */
  const loadLatest = async () => {
    if (!track) return;
    const reply = await session.rest.call('talkTrack', { params: { id: track.id } });
    if (reply.ok) setLatest(reply.value.track);
    else f.setError(reply.error);
  };

  return (
    <section className="page" aria-labelledby="track-edit-title">
      <p className="breadcrumb">
        <a href={routeHref(track ? { name: 'talk-track', id: track.id } : { name: 'talk-tracks' })}>{track ? track.title : 'Talk tracks'}</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="track-edit-title">{track ? 'Edit talk track' : 'New talk track'}</h1>
          <p className="muted">
            {track ? `Saving adds version ${base + 1}; earlier versions stay in the history.` : 'Markdown works in “What to say” and “Why it works”.'}
          </p>
        </div>
      </div>
      <form className="panel track-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Talk track">
        <TextField label="Title" maxLength={120} {...f.field('title')} />
        <TextAreaField label="Situation" rows={2} hint="When does this come up? e.g. “Prospect says we’re too expensive”." {...f.field('situation')} />
        <TextAreaField label="What to say" rows={8} hint="Markdown: **bold**, _italic_, lists, > quotes, [links](https://…)." {...f.field('whatToSay')} />
        <TextAreaField label="Why it works" rows={5} {...f.field('whyItWorks')} />
        <div className="track-preview-toggle">
          <Button variant="ghost" aria-expanded={preview} onClick={() => setPreview((p) => !p)}>
            {preview ? 'Hide preview' : 'Preview'}
          </Button>
        </div>
        {preview ? (
          <div className="track-preview" data-testid="track-preview">
            <h2>What to say</h2>
            <SafeMarkdown source={values.whatToSay} />
            <h2>Why it works</h2>
            <SafeMarkdown source={values.whyItWorks ?? ''} />
          </div>
        ) : null}
        <TagPicker
          value={values.tags ?? []}
          onChange={(tags) => f.form.setValue('tags', tags, { shouldDirty: true })}
          error={f.fieldError('tags')}
        />
        <ExampleEditor
          examples={values.examples ?? []}
          clips={clips}
          error={f.fieldError('examples')}
          onChange={(examples) => f.form.setValue('examples', examples, { shouldDirty: true })}
          onClipKnown={(clip) => setClips((m) => new Map(m).set(clip.id, clip))}
        />
        {conflict ? (
          <div className="note note-warn" role="alert" data-testid="track-conflict">
            <p>
              <strong>Someone saved a newer version while you were editing.</strong> Your text is still here and nothing was lost.
            </p>
            {latest ? (
              <p>
                Version {latest.version} was saved by {latest.updatedByName}. Save again to put your text on top of it, or reload theirs.
              </p>
            ) : null}
            <div className="actions">
              {latest ? (
                <>
                  <Button
                    variant="primary"
                    onClick={() => {
                      setBase(latest.version);
                      f.setError(null);
                      setLatest(null);
                    }}
                  >
                    Keep my text on top of version {latest.version}
                  </Button>
                  <Button
                    variant="secondary"
                    onClick={() => {
                      f.form.reset(contentOf(latest));
                      setClips(new Map(latest.examples.map((e) => [e.clipId, e.clip])));
                      setBase(latest.version);
                      f.setError(null);
                      setLatest(null);
                    }}
                  >
                    Discard mine, load version {latest.version}
                  </Button>
                </>
              ) : (
                <Button variant="secondary" onClick={() => void loadLatest()}>
                  See the newer version
                </Button>
              )}
            </div>
          </div>
        ) : f.error ? (
          <ErrorNote error={f.error} />
        ) : null}
        <div className="actions">
          <Button type="submit" busy={f.busy} busyLabel="Saving…" data-testid="save-talk-track">
            {track ? 'Save new version' : 'Create talk track'}
          </Button>
          <a className="btn btn-ghost" href={routeHref(track ? { name: 'talk-track', id: track.id } : { name: 'talk-tracks' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
