import type { QuestionView } from '../../../contract';
import { formatDateTime, formatDuration } from '../labels';
import { routeHref } from '../routing';
import { recordingStartMs } from './moment';

const statusLabels: Record<QuestionView['status'], string> = { open: 'Waiting', answered: 'Answered', dismissed: 'Dismissed' };

/** The moment of a question, as a link that plays the kept recording from there when there is one. */
export function MomentLink({ q }: { q: Pick<QuestionView, 'atMs' | 'callId' | 'recorded' | 'recordingOffsetMs'> }) {
  const label = formatDuration(q.atMs);
  if (!q.recorded) {
    return (
      <span className="moment" title="The call was not recorded (or its recording is gone)">
        {label}
      </span>
    );
  }
  return (
    <a
      className="moment moment-link"
      href={routeHref({ name: 'recording', callId: q.callId, atMs: recordingStartMs(q.atMs, q.recordingOffsetMs) })}
      aria-label={`Play the recording from ${label}`}
      data-testid="question-moment-link"
    >
      ▶ {label}
    </a>
  );
}

/** One question as its asker sees it: the moment, the question and the host's answer beside it. */
export function MyQuestionItem({ q }: { q: QuestionView }) {
  return (
    <li className={`question question-${q.status}`} data-testid="my-question" data-status={q.status}>
      <div className="question-head">
        <MomentLink q={q} />
        <span className="muted">
          {q.hostName} · “{q.callTitle}” · {formatDateTime(q.createdAt)}
          {q.anonymous ? ' · anonymous to the host' : ''}
          {q.shareWithManagers ? ' · managers may see' : ''}
        </span>
        <span className={`status-pill status-${q.status}`}>{statusLabels[q.status]}</span>
      </div>
      <p className="question-text">{q.text}</p>
      {q.answer ? (
        <blockquote className="question-answer" data-testid="question-answer">
          <span className="muted">{q.hostName} answered:</span>
          <p>{q.answer}</p>
        </blockquote>
      ) : q.status === 'open' ? (
        <p className="muted">Waiting for {q.hostName}’s answer.</p>
      ) : (
        <p className="muted">{q.hostName} dismissed it without an answer.</p>
      )}
    </li>
  );
}
