import { useQuery } from '@tanstack/react-query';
import type { QuestionView } from '../../../contract';
import { restQueries } from '../api/queries';
import { EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { MyQuestionItem } from '../questions/question-item';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { formatDuration } from '../labels';

/** Questions: the host's queue of unanswered questions, and "My questions" with their answers. */
export function QuestionsScreen({ tab }: { tab: 'queue' | 'mine' }) {
  return (
    <section className="page" aria-labelledby="questions-title">
      <div className="page-head">
        <div>
          <h1 id="questions-title">Questions</h1>
          <p className="muted">Questions asked while listening, anchored to the moment of the call they are about.</p>
        </div>
      </div>
      <nav className="tabs" aria-label="Questions">
        <a className={`tab${tab === 'queue' ? ' is-current' : ''}`} href={routeHref({ name: 'questions' })} aria-current={tab === 'queue' ? 'page' : undefined}>
          To answer
        </a>
        <a
          className={`tab${tab === 'mine' ? ' is-current' : ''}`}
          href={routeHref({ name: 'questions', tab: 'mine' })}
          aria-current={tab === 'mine' ? 'page' : undefined}
          data-testid="my-questions-tab"
        >
          My questions
        </a>
      </nav>
      {tab === 'queue' ? <Queue /> : <Mine />}
    </section>
  );
}

function Queue() {
  const session = useSession();
  const queue = useQuery(restQueries.questionQueue(session.rest));
  if (queue.isPending) return <LoadingBlock label="Loading your questions…" />;
  if (queue.isError) return <RetryNote error={queue.error} onRetry={() => void queue.refetch()} />;
  const calls = groupByCall(queue.data.questions);
  if (calls.length === 0) {
    return (
      <EmptyState title="No questions waiting" testId="queue-empty">
        <p>When listeners ask you something during a call, it waits here until you answer or dismiss it.</p>
      </EmptyState>
    );
  }
  return (
    <ul className="question-calls" data-testid="question-queue">
      {calls.map(([callId, questions]) => (
        <li key={callId} className="panel">
          <div className="question-call-head">
            <h2>{questions[0]!.callTitle}</h2>
            <a className="btn btn-primary btn-sm" href={routeHref({ name: 'debrief', callId })} data-testid="queue-open-debrief">
              Answer in the debrief
            </a>
          </div>
          <ul className="questions">
            {questions.map((q) => (
              <li key={q.id} className="question">
                <span className="moment">{formatDuration(q.atMs)}</span> <span>{q.text}</span>{' '}
                <span className="muted">— {q.askerName ?? 'Anonymous'}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Mine() {
  const session = useSession();
  const mine = useQuery(restQueries.myQuestions(session.rest));
  if (mine.isPending) return <LoadingBlock label="Loading your questions…" />;
  if (mine.isError) return <RetryNote error={mine.error} onRetry={() => void mine.refetch()} />;
  if (mine.data.questions.length === 0) {
    return (
      <EmptyState title="You haven’t asked anything yet" testId="mine-empty">
        <p>While you listen to a call, type a question for the host. It’s saved at the moment you heard, and the answer shows up here.</p>
      </EmptyState>
    );
  }
  return (
    <ul className="questions panel" data-testid="my-questions">
      {mine.data.questions.map((q) => (
        <MyQuestionItem key={q.id} q={q} />
      ))}
    </ul>
  );
}

/** Questions grouped by call, in the order the calls first appear. */
function groupByCall(questions: QuestionView[]): [string, QuestionView[]][] {
  const byCall = new Map<string, QuestionView[]>();
  for (const q of questions) byCall.set(q.callId, [...(byCall.get(q.callId) ?? []), q]);
  return [...byCall.entries()];
}
