import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { z } from 'zod';
import { can, QUESTION_MAX_CHARS, QuestionText, WHISPER_MAX_CHARS, WhisperText, type CallSummary } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote } from '../components/feedback';
import { TextAreaField, TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';
import { formatDuration } from '../labels';

const AskForm = z.object({ text: QuestionText, anonymous: z.boolean(), shareWithManagers: z.boolean() });
const WhisperForm = z.object({ text: WhisperText });

/**
 * A listener's silent question to the host. The moment is taken when the listener starts
 * typing (what they just heard, at their playout position), not when they press Ask.
 */
export function AskPanel({ call }: { call: CallSummary }) {
  const session = useSession();
  const queries = useQueryClient();
  const role = useAppStore((s) => s.me?.user.role);
  const form = useContractForm(AskForm, { text: '', anonymous: false, shareWithManagers: false }, { text: 'Question' });
  const [moment, setMoment] = useState<number | null>(null);
  const id = useId();

  const capture = () => {
    void session.listen.playoutPosition().then((at) => setMoment((m) => m ?? at));
  };
  const field = form.field('text');
  const onSubmit = form.submit(
    async (data) => {
      const atMs = moment ?? (await session.listen.playoutPosition()) ?? 0;
      return session.questions.ask({ callId: call.id, atMs, ...data });
    },
    (question) => {
      notify(`Question saved at ${formatDuration(question.atMs)}. ${call.questions === 'live' ? 'The host can see it now.' : 'The host sees it after the call.'}`, 'success');
      form.form.reset({ text: '', anonymous: form.form.getValues('anonymous'), shareWithManagers: form.form.getValues('shareWithManagers') });
      setMoment(null);
      void queries.invalidateQueries({ queryKey: queryKeys.questions.mine });
    },
  );

  return (
    <section className="ask-panel" aria-labelledby={`${id}-title`} data-testid="ask-panel">
      <h2 id={`${id}-title`}>Ask {call.hostName}</h2>
      <p className="field-hint">
        {call.questions === 'live'
          ? 'Your question waits quietly; the host sees a count during the call and reads it when they choose.'
          : 'Your question waits until the call ends; the host answers it in the debrief.'}{' '}
        <a href={routeHref({ name: 'questions', tab: 'mine' })}>My questions</a>
      </p>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Ask a question">
        <TextAreaField
          label="Question"
          rows={2}
          maxLength={QUESTION_MAX_CHARS}
          placeholder="Why did you…"
          data-testid="question-text"
          {...field}
          onChange={(e) => {
            if (moment === null && e.currentTarget.value.trim()) capture();
            void field.onChange(e);
          }}
        />
        <p className="muted ask-moment" data-testid="question-moment">
          {moment === null ? 'Anchored to the moment you start typing.' : `About the moment at ${formatDuration(moment)}`}
          {moment !== null ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => void session.listen.playoutPosition().then(setMoment)}>
                Use now
              </button>
            </>
          ) : null}
        </p>
        <label className="check">
          <input type="checkbox" data-testid="question-anonymous" {...form.form.register('anonymous')} />
          Anonymous to the host
        </label>
        <label className="check">
          <input type="checkbox" data-testid="question-share" {...form.form.register('shareWithManagers')} />
          Managers may see this question
        </label>
        <ErrorNote error={form.error} />
        <div className="actions">
          <Button type="submit" variant="secondary" busy={form.busy} busyLabel="Saving…" data-testid="ask-button">
            Ask
          </Button>
        </div>
      </form>
      {call.whispers && role && can.seeEverything(role) ? <WhisperBox call={call} /> : null}
    </section>
  );
}

/** A manager riding along whispers a short note to the host (only if the host allowed it). */
function WhisperBox({ call }: { call: CallSummary }) {
  const session = useSession();
  const form = useContractForm(WhisperForm, { text: '' }, { text: 'Whisper' });
  const onSubmit = form.submit(
    (data) => session.questions.whisper(call.id, data.text),
    () => {
      notify(`Whispered to ${call.hostName}.`, 'success');
      form.form.reset({ text: '' });
    },
  );
  const field = form.field('text');
  return (
    <form className="form whisper-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Whisper to the host">
      <TextField label={`Whisper to ${call.hostName} (only they see it)`} maxLength={WHISPER_MAX_CHARS} data-testid="whisper-text" {...field} />
      <ErrorNote error={form.error} />
      <Button type="submit" variant="ghost" busy={form.busy} busyLabel="Sending…">
        Whisper
      </Button>
    </form>
  );
}
