import type { MentorPair, MetricsRow } from '../../../contract';
import { formatDuration, formatMedian, formatSteps } from './metrics-view';

/** One week's rows: a person per line, every total in its own column. */
export function MetricsTable({ rows, caption }: { rows: MetricsRow[]; caption: string }) {
  return (
    // Focusable, so keyboard users can scroll the wide table sideways.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="table metrics-table" data-testid="metrics-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Hours shadowed</th>
            <th scope="col">Hosts shadowed</th>
            <th scope="col">Calls shared live</th>
            <th scope="col" title="Time teammates spent listening to their calls">Teaching credit</th>
            <th scope="col">Clips made</th>
            <th scope="col" title="Scorecards this person gave (managers and admins)">Scorecards given</th>
            <th scope="col" title="Clips from this person’s calls that a manager scored">Their call clips reviewed</th>
            <th scope="col">Questions asked</th>
            <th scope="col">Questions answered</th>
            <th scope="col" title="Median time from a clip they made to its first comment by a manager">Median to first manager comment</th>
            <th scope="col">Onboarding steps done</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.userId} data-testid="metrics-row" data-user={r.userId}>
              <th scope="row">{r.name}</th>
              <td data-col="listened">{formatDuration(r.listenedMs)}</td>
              <td data-col="hosts">{r.hostsShadowed}</td>
              <td data-col="calls">{r.callsHosted}</td>
              <td data-col="teaching">{formatDuration(r.teachingMs)}</td>
              <td data-col="clips">{r.clipsMade}</td>
              <td data-col="given">{r.scorecardsGiven}</td>
              <td data-col="reviewed">{r.callClipsReviewed}</td>
              <td data-col="asked">{r.questionsAsked}</td>
              <td data-col="answered">{r.questionsAnswered}</td>
              <td data-col="median">{formatMedian(r.medianFirstManagerCommentMs)}</td>
              <td data-col="steps">{formatSteps(r.stepsCompleted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Mentor↔mentee pairs of one week with the mentee's time on the mentor's calls. */
export function PairsTable({ pairs }: { pairs: MentorPair[] }) {
  return (
    <table className="table" data-testid="pairs-table">
      <thead>
        <tr>
          <th scope="col">Mentor</th>
          <th scope="col">Mentee</th>
          <th scope="col">Mentee’s time on the mentor’s calls</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((p) => (
          <tr key={`${p.mentorId}/${p.menteeId}`}>
            <td>{p.mentorName}</td>
            <td>{p.menteeName}</td>
            <td>{formatDuration(p.listenedMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
