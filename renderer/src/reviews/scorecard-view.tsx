import type { Scorecard } from '../../../contract';
import { formatDateTime } from '../labels';
import { scorecardAverage } from './scorecard-stats';

/** A score as five dots, with the number for everyone (and screen readers). */
export function ScoreDots({ score }: { score: number }) {
  return (
    <span className="score-dots" aria-label={`${score} out of 5`} role="img">
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} className={`score-dot${n <= score ? ' is-on' : ''}`} aria-hidden="true" />
      ))}
      <span className="score-number" aria-hidden="true">
        {score}
      </span>
    </span>
  );
}

/** A scorecard as its rep and managers read it: scores and notes per skill, summary, what next, who and when. */
export function ScorecardView({ card }: { card: Scorecard }) {
  const edited = card.updatedAt > card.createdAt;
  return (
    <div className="scorecard" data-testid="scorecard" data-scorecard-id={card.id}>
      <p className="muted scorecard-meta">
        Reviewed by <strong>{card.reviewerName}</strong> on{' '}
        <time dateTime={new Date(card.createdAt).toISOString()}>{formatDateTime(card.createdAt)}</time>
        {edited ? ` · edited ${formatDateTime(card.updatedAt)}` : ''} · average {scorecardAverage(card)} / 5
      </p>
      <dl className="scorecard-scores">
        {card.scores.map((s) => (
          <div key={s.skill} className="scorecard-score" data-testid="scorecard-skill" data-skill={s.skill} data-score={s.score}>
            <dt>{s.skill}</dt>
            <dd>
              <ScoreDots score={s.score} />
              {s.note ? <p className="scorecard-note">{s.note}</p> : null}
            </dd>
          </div>
        ))}
      </dl>
      <h3>Summary</h3>
      <p className="scorecard-text" data-testid="scorecard-summary">
        {card.summary}
      </p>
      {card.nextSteps ? (
        <>
          <h3>What to try next</h3>
          <p className="scorecard-text" data-testid="scorecard-next">
            {card.nextSteps}
          </p>
        </>
      ) : null}
    </div>
  );
}
