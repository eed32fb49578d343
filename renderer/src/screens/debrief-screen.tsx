import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { AnswerText, ANSWER_MAX_CHARS, type DebriefReply, type QuestionView } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Button, EmptyState, ErrorNote } from '../components/feedback';
import { TextAreaField } from '../components/field';
import { LoadStatePage } from '../components/load-state-page';
import { useContractForm } from '../forms/use-contract-form';
import { formatDateTime, formatDuration } from '../labels';
import { MomentLink } from '../questions/question-item';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';

const AnswerForm = z.object({ answer: AnswerText });

/** After a call: its questions in call order with their moments, its clips and who listened. */
export function DebriefScreen({ callId }: { callId: string }) {
  const session = useSession();
  const debrief = useQuery(restQueries.debrief(session.rest, callId));
  if (!debrief.isSuccess) {
    return (
      <LoadStatePage
        error={debrief.error}
        title="Debrief"
        titleId="debrief-title"
        loadingLabel="Loading the debrief…"
        notFound={{
          title: 'There is no debrief of this call for you',
          heading: 'Debrief not found',
          text: 'Only the host of a call (and managers, for questions shared with them) can open its debrief.',
          testId: 'debrief-not-found',
          back: { href: routeHref({ name: 'questions' }), label: 'Back to questions' },
        }}
        onRetry={() => void debrief.refetch()}
      />
    );
  }
  return <DebriefView d={debrief.data} />;
}

function DebriefView({ d }: { d: DebriefReply }) {
  const { call } = d;
  const waiting = d.questions.filter((q) => q.status === 'open').length;
  return (
    <section className="page" aria-labelledby="debrief-title" data-testid="debrief" data-call-id={call.id}>
      <p className="breadcrumb">
        <a href={routeHref({ name: 'questions' })}>Questions</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="debrief-title">Debrief: {call.title}</h1>
          <p className="muted">
            {call.hostName}’s call{call.account ? ` with ${call.account}` : ''} · {formatDateTime(call.startedAt)}
            {call.endedAt ? ` · ${formatDuration(call.endedAt - call.startedAt)}` : ' · still live'}
            {d.recorded ? ' · recording kept' : ' · no recording'}
          </p>
        </div>
      </div>

      <div className="panel">
        <h2>
          Questions <span className="count">{d.questions.length}</span>
        </h2>
        {d.isHost ? null : <p className="muted">You see the questions their askers shared with managers.</p>}
        {d.questions.length === 0 ? (
          <EmptyState title={call.endedAt || !d.isHost ? 'No questions' : 'Questions open when the call ends'} testId="debrief-no-questions">
            <p>{call.endedAt ? 'Nobody asked anything on this call.' : 'Listeners’ questions wait until you end the call.'}</p>
          </EmptyState>
        ) : (
          <>
            {d.isHost ? <p className="muted" aria-live="polite">{waiting === 0 ? 'All answered or dismissed.' : `${waiting} waiting for your answer.`}</p> : null}
            <ol className="questions debrief-questions">
              {d.questions.map((q) => (
                <DebriefQuestion key={q.id} q={q} canAnswer={d.isHost} />
              ))}
            </ol>
          </>
        )}
      </div>

      <div className="panel">
        <h2>
          Clips made on this call <span className="count">{d.clips.length}</span>
        </h2>
        {d.clips.length === 0 ? (
          <p className="muted">No clips were made on this call.</p>
        ) : (
          <ul className="debrief-clips">
            {d.clips.map((c) => (
              <li key={c.id}>
                <a href={routeHref({ name: 'clip', id: c.id })}>{c.title || 'Untitled clip'}</a>{' '}
                <span className="muted">
                  by {c.clipperName} · {formatDuration(c.durationMs)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="panel">
        <h2>
          Who listened <span className="count">{d.listeners.length}</span>
        </h2>
        {d.listeners.length === 0 ? (
          <p className="muted">Nobody listened to this call.</p>
        ) : (
          <ul className="people" data-testid="debrief-listeners">
            {d.listeners.map((l) => (
              <li key={l.userId} className="person">
                <span className="person-name">{l.name}</span>
                <span className="muted">
                  {formatDuration(l.listenedMs)}
                  {l.joins > 1 ? ` over ${l.joins} joins` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function DebriefQuestion({ q, canAnswer }: { q: QuestionView; canAnswer: boolean }) {
  return (
    <li className={`question question-${q.status}`} data-testid="debrief-question" data-status={q.status}>
      <div className="question-head">
        <MomentLink q={q} />
        <span className="muted">{q.askerName ?? 'Anonymous'}</span>
        {q.status === 'dismissed' ? <span className="status-pill status-dismissed">Dismissed</span> : null}
      </div>
      <p className="question-text">{q.text}</p>
      {q.answer ? (
        <blockquote className="question-answer">
          <span className="muted">Your answer:</span>
          <p>{q.answer}</p>
        </blockquote>
      ) : null}
      {canAnswer && q.status === 'open' ? <AnswerBox q={q} /> : null}
    </li>
  );
}

function AnswerBox({ q }: { q: QuestionView }) {
  const session = useSession();
  const form = useContractForm(AnswerForm, { answer: '' }, { answer: 'Answer' });
  const dismiss = useNotifiedMutation({
    call: () => session.rest.call('dismissQuestion', { params: { id: q.id } }),
    success: 'Question dismissed.',
    invalidates: [queryKeys.questions.all],
  });
  const onSubmit = form.submit(
    async (data) => {
      const result = await session.rest.call('answerQuestion', { params: { id: q.id }, body: data });
      await session.queries.invalidateQueries({ queryKey: queryKeys.questions.all });
      return result;
    },
  );
  return (
    <form className="form answer-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Answer the question">
      <TextAreaField label="Your answer" rows={2} maxLength={ANSWER_MAX_CHARS} data-testid="answer-text" {...form.field('answer')} />
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" busy={form.busy} busyLabel="Saving…" data-testid="answer-button">
          Answer
        </Button>
        <Button variant="ghost" busy={dismiss.isPending} busyLabel="Dismissing…" onClick={() => dismiss.mutate()}>
          Dismiss
        </Button>
      </div>
    </form>
  );
}

