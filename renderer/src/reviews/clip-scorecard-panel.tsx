import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can, type ClipSummary, type Scorecard } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, LoadingBlock, RetryNote } from '../components/feedback';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';
import { ScorecardForm } from './scorecard-form';
import { ScorecardView } from './scorecard-view';

/**
 * A clip's review on its page. Scores rate a person, so only the clip's rep (the call's host) and
 * managers see this panel (and only they may load the scorecard); managers review from it.
 */
export function ClipScorecardPanel({ clip }: { clip: ClipSummary }) {
  const me = useAppStore((s) => s.me?.user);
  if (!me) return null;
  const manager = can.seeEverything(me.role);
  if (!manager && clip.hostId !== me.id) return null;
  return <ScorecardPanel clip={clip} canReview={manager && clip.hostId !== me.id} />;
}

function ScorecardPanel({ clip, canReview }: { clip: ClipSummary; canReview: boolean }) {
  const session = useSession();
  const queries = useQueryClient();
  const card = useQuery(restQueries.clipScorecard(session.rest, clip.id));
  const [editing, setEditing] = useState(false);

  const saved = (updated: Scorecard, what: string) => {
    queries.setQueryData(queryKeys.reviews.clipScorecard(clip.id), { scorecard: updated });
    void queries.invalidateQueries({ queryKey: queryKeys.clips.all });
    setEditing(false);
    notify(what, 'success');
  };

  return (
    <div className="panel scorecard-panel" aria-labelledby="scorecard-title" data-testid="scorecard-panel">
      <h2 id="scorecard-title">Scorecard</h2>
      {card.isPending ? (
        <LoadingBlock label="Loading the scorecard…" />
      ) : card.isError ? (
        <RetryNote error={card.error} onRetry={() => void card.refetch()} />
      ) : card.data.scorecard && !editing ? (
        <>
          <ScorecardView card={card.data.scorecard} />
          {card.data.scorecard.canEdit ? (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit scorecard
            </Button>
          ) : null}
        </>
      ) : card.data.scorecard && editing ? (
        <ScorecardForm
          skills={card.data.scorecard.scores.map((s) => s.skill)}
          initial={card.data.scorecard}
          send={(body) => session.rest.call('editScorecard', { params: { id: card.data.scorecard!.id }, body })}
          onDone={(c) => saved(c, 'Scorecard saved.')}
          onCancel={() => setEditing(false)}
        />
      ) : canReview ? (
        <NewScorecard clip={clip} onDone={(c) => saved(c, 'Review submitted. The clip is marked reviewed.')} />
      ) : (
        <p className="muted" data-testid="scorecard-none">
          {clip.reviewed ? 'Marked reviewed, without a scorecard.' : 'No review yet. A manager’s scorecard will show here, for you and managers only.'}
        </p>
      )}
    </div>
  );
}

function NewScorecard({ clip, onDone }: { clip: ClipSummary; onDone(card: Scorecard): void }) {
  const session = useSession();
  const rubric = useQuery(restQueries.rubric(session.rest));
  if (rubric.isPending) return <LoadingBlock label="Loading the rubric…" />;
  if (rubric.isError) return <RetryNote error={rubric.error} onRetry={() => void rubric.refetch()} />;
  return (
    <>
      <p className="muted">
        Score {clip.hostName} on each skill from 1 (needs work) to 5 (excellent). Only {clip.hostName} and managers will see it.
      </p>
      <ScorecardForm
        skills={rubric.data.skills}
        send={(body) => session.rest.call('submitScorecard', { params: { id: clip.id }, body })}
        onDone={onDone}
      />
    </>
  );
}
