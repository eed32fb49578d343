import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { can } from '../../../contract';
import { restQueries } from '../api/queries';
import { EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { PersonOptions } from '../components/person-options';
import { SelectField } from '../components/field';
import { ScorecardView } from '../reviews/scorecard-view';
import { skillTrends } from '../reviews/scorecard-stats';
import { TrendChart } from '../reviews/trend-chart';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/**
 * A rep's scorecards over time: a trend per skill, then each scorecard, newest first. Reps see
 * their own; managers pick any rep (`#/scorecards/<rep>`).
 */
export function ScorecardsScreen({ rep }: { rep: string | null }) {
  const session = useSession();
  const me = useAppStore((s) => s.me?.user);
  const manager = me ? can.seeEverything(me.role) : false;
  const cards = useQuery(restQueries.scorecards(session.rest, rep));
  const members = useQuery({ ...restQueries.members(session.rest), enabled: manager });
  const trends = useMemo(() => skillTrends(cards.data?.scorecards ?? []), [cards.data]);
  const own = !rep || rep === me?.id;
  const name = cards.data?.rep.name;

  return (
    <section className="page" aria-labelledby="scorecards-title">
      <div className="page-head">
        <div>
          <h1 id="scorecards-title">{own ? 'My scorecards' : name ? `${name}’s scorecards` : 'Scorecards'}</h1>
          <p className="muted">
            {own
              ? 'Managers’ reviews of clips from your calls. Only you and managers see them.'
              : 'Scorecards are seen only by the rep they rate and managers.'}
          </p>
        </div>
        {manager ? (
          <SelectField
            label="Rep"
            value={rep ?? me?.id ?? ''}
            onChange={(e) => navigate({ name: 'scorecards', rep: e.currentTarget.value === me?.id ? null : e.currentTarget.value })}
          >
            <PersonOptions members={members.data?.members} meId={me?.id} />
          </SelectField>
        ) : null}
      </div>
      {cards.isPending ? (
        <LoadingBlock label="Loading scorecards…" />
      ) : cards.isError ? (
        <RetryNote error={cards.error} onRetry={() => void cards.refetch()} />
      ) : cards.data.scorecards.length === 0 ? (
        <EmptyState title={own ? 'No scorecards yet' : `No scorecards for ${cards.data.rep.name} yet`} testId="scorecards-empty">
          <p>When a manager reviews a clip from {own ? 'one of your calls' : 'their calls'}, the scorecard shows here with a trend per skill.</p>
        </EmptyState>
      ) : (
        <>
          <div className="panel" aria-labelledby="trends-title">
            <h2 id="trends-title">Trends</h2>
            <div className="trends" data-testid="trends">
              {trends.map((t) => (
                <TrendChart key={t.skill} trend={t} />
              ))}
            </div>
          </div>
          <ol className="scorecard-list" aria-label="Scorecards, newest first" reversed>
            {[...cards.data.scorecards].reverse().map((card) => (
              <li key={card.id} className="panel">
                <h2 className="scorecard-clip">
                  <a href={routeHref({ name: 'clip', id: card.clipId })}>{card.clipTitle || `Moment from “${card.callTitle}”`}</a>
                </h2>
                <ScorecardView card={card} />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
