import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { clipDisplayTitle, type TalkTrackDetail, type TalkTrackVersion, type TalkTrackVersionInfo } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Button, LoadingBlock, RetryNote } from '../components/feedback';
import { SelectField } from '../components/field';
import { formatDateTime } from '../labels';
import { useSession } from '../services/session-context';
import { SafeMarkdown } from './safe-markdown';
import { talkTrackQueries } from './talk-track-queries';
import { compareVersions, diffSummary, type FieldDiff } from './version-diff';

/** A track's versions: who saved each and when; view one, compare two, restore an old one. */
export function TalkTrackHistory({ track }: { track: TalkTrackDetail }) {
  const session = useSession();
  const versions = useQuery(talkTrackQueries.versions(session.rest, track.id));
  const [viewing, setViewing] = useState<number | null>(null);
  const [compare, setCompare] = useState<{ older: number; newer: number } | null>(null);

  if (versions.isError) return <RetryNote error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!versions.data) return <LoadingBlock label="Loading versions…" />;
  const list = versions.data.versions;
  const pair = compare ?? (list.length >= 2 ? { older: list[1]!.version, newer: list[0]!.version } : null);

  return (
    <div className="panel track-history" aria-labelledby="track-history-title" data-testid="track-history">
      <h2 id="track-history-title">History</h2>
      <ol className="track-versions" aria-label="Versions">
        {list.map((v) => (
          <VersionRow key={v.version} info={v} latest={v.version === track.version} viewing={viewing === v.version} onView={() => setViewing(viewing === v.version ? null : v.version)} />
        ))}
      </ol>
      {viewing !== null ? <VersionView track={track} version={viewing} /> : null}
      {pair ? (
        <div className="track-compare" data-testid="track-compare">
          <h3>Compare versions</h3>
          <div className="track-compare-pick">
            <SelectField label="Older" value={pair.older} onChange={(e) => setCompare({ ...pair, older: Number(e.currentTarget.value) })}>
              {list.map((v) => (
                <option key={v.version} value={v.version}>
                  Version {v.version}
                </option>
              ))}
            </SelectField>
            <SelectField label="Newer" value={pair.newer} onChange={(e) => setCompare({ ...pair, newer: Number(e.currentTarget.value) })}>
              {list.map((v) => (
                <option key={v.version} value={v.version}>
                  Version {v.version}
                </option>
              ))}
            </SelectField>
          </div>
          <VersionDiff track={track} older={pair.older} newer={pair.newer} />
        </div>
      ) : (
        <p className="muted">Only one version so far: every save adds one, and any two can be compared.</p>
      )}
    </div>
  );
}

function VersionRow({ info, latest, viewing, onView }: { info: TalkTrackVersionInfo; latest: boolean; viewing: boolean; onView(): void }) {
  return (
    <li className="track-version" data-testid="track-version" data-version={info.version}>
      <span>
        <strong>Version {info.version}</strong>
        {latest ? <span className="badge">Current</span> : null} by {info.authorName}, {formatDateTime(info.createdAt)}
        {info.restoredFrom !== null ? <span className="muted"> · restored version {info.restoredFrom}</span> : null}
      </span>
      <Button variant="ghost" aria-expanded={viewing} onClick={onView}>
        {viewing ? 'Hide' : 'View'}
      </Button>
    </li>
  );
}

/** One old version as it read, with Restore when the reader may write and it is not the current one. */
function VersionView({ track, version }: { track: TalkTrackDetail; version: number }) {
  const session = useSession();
  const found = useQuery(talkTrackQueries.version(session.rest, track.id, version));
  const restore = useNotifiedMutation({
    call: () => session.rest.call('restoreTalkTrackVersion', { params: { id: track.id, version: String(version) }, body: { baseVersion: track.version } }),
    success: ({ track: t }) => `Version ${version} restored as version ${t.version}.`,
    invalidates: [queryKeys.talkTracks.all],
  });
  if (found.isError) return <RetryNote error={found.error} onRetry={() => void found.refetch()} />;
  if (!found.data) return <LoadingBlock label={`Loading version ${version}…`} />;
  const v: TalkTrackVersion = found.data.version;
  return (
    <div className="track-version-view" data-testid="track-version-view" data-version={version}>
      <h3>
        Version {v.version}: {v.title}
      </h3>
      <p>{v.situation}</p>
      <h4>What to say</h4>
      <SafeMarkdown source={v.whatToSay} />
      {v.whyItWorks ? (
        <>
          <h4>Why it works</h4>
          <SafeMarkdown source={v.whyItWorks} />
        </>
      ) : null}
      {track.canEdit && v.version !== track.version ? (
        <Button variant="secondary" busy={restore.isPending} busyLabel="Restoring…" onClick={() => restore.mutate()}>
          Restore version {v.version}
        </Button>
      ) : null}
    </div>
  );
}

/** Two versions side by side as one text with additions and removals marked. */
function VersionDiff({ track, older, newer }: { track: TalkTrackDetail; older: number; newer: number }) {
  const session = useSession();
  const a = useQuery(talkTrackQueries.version(session.rest, track.id, older));
  const b = useQuery(talkTrackQueries.version(session.rest, track.id, newer));
  const fields = useMemo(() => {
    if (!a.data || !b.data) return null;
    const titles = new Map(track.examples.flatMap((e) => (e.clip ? [[e.clipId, clipDisplayTitle(e.clip)] as const] : [])));
    return compareVersions(a.data.version, b.data.version, (id) => titles.get(id));
  }, [a.data, b.data, track.examples]);
  const error = a.error ?? b.error;
  if (error) return <RetryNote error={error} onRetry={() => void Promise.all([a.refetch(), b.refetch()])} />;
  if (!fields) return <LoadingBlock label="Comparing…" />;
  return (
    <div data-testid="track-diff">
      <p className="muted" aria-live="polite">
        {diffSummary(fields)}
      </p>
      {fields
        .filter((f) => f.changed)
        .map((f) => (
          <FieldChanges key={f.field} diff={f} />
        ))}
    </div>
  );
}

function FieldChanges({ diff }: { diff: FieldDiff }) {
  return (
    <div className="diff-field">
      <h4>{diff.label}</h4>
      <p className="diff-text">
        {diff.parts.map((p, i) =>
          p.kind === 'added' ? (
            <ins key={i} className="diff-added">
              {p.text}
            </ins>
          ) : p.kind === 'removed' ? (
            <del key={i} className="diff-removed">
              {p.text}
            </del>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </p>
    </div>
  );
}
