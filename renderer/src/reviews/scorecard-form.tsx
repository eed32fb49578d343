import { MAX_SCORE, MIN_SCORE, ScorecardBody, type Result, type Scorecard, type ScorecardReply } from '../../../contract';
import type { z } from 'zod';
import { Button, ErrorNote } from '../components/feedback';
import { TextAreaField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';

const SCORES = Array.from({ length: MAX_SCORE - MIN_SCORE + 1 }, (_, i) => MIN_SCORE + i);
const SCORE_WORDS: Record<number, string> = { 1: 'needs work', 2: 'developing', 3: 'solid', 4: 'strong', 5: 'excellent' };

/**
 * The scorecard form: for each skill a 1–5 choice (radio buttons, arrow keys move between them)
 * and an optional note, then a summary and what to try next. Validated with the contract's
 * schema before it is sent; the server checks the skills against the rubric again.
 */
export function ScorecardForm({
  skills,
  initial,
  send,
  onDone,
  onCancel,
}: {
  /** The rubric to score on: the team's for a new scorecard, the card's own when editing. */
  skills: readonly string[];
  initial?: Scorecard;
  send(body: z.output<typeof ScorecardBody>): Promise<Result<z.infer<typeof ScorecardReply>>>;
  onDone(card: Scorecard): void;
  onCancel?(): void;
}) {
  const defaults: z.input<typeof ScorecardBody> = {
    scores: skills.map((skill) => {
      const was = initial?.scores.find((s) => s.skill === skill);
      return { skill, score: was?.score as number, note: was?.note ?? '' };
    }),
    summary: initial?.summary ?? '',
    nextSteps: initial?.nextSteps ?? '',
  };
  const { form, field, fieldError, error, busy, submit } = useContractForm(ScorecardBody, defaults, {
    scores: 'Scores',
    summary: 'Summary',
    nextSteps: 'What to try next',
  });
  const onSubmit = submit(send, (value) => onDone(value.scorecard));
  const scores = form.watch('scores');

  return (
    <form className="scorecard-form" onSubmit={onSubmit} noValidate data-testid="scorecard-form" aria-label={initial ? 'Edit scorecard' : 'Scorecard'}>
      {skills.map((skill, i) => (
        <fieldset key={skill} className="scorecard-skill" data-skill={skill}>
          <legend>{skill}</legend>
          <div className="score-choice" role="radiogroup" aria-label={`${skill} score`}>
            {SCORES.map((n) => (
              <label key={n} className="score-option" title={SCORE_WORDS[n]}>
                <input
                  type="radio"
                  name={`score-${i}`}
                  value={n}
                  // Set as a number (react-hook-form reads radios as strings); the form holds the value.
                  checked={scores[i]?.score === n}
                  onChange={() => {
                    form.setValue(`scores.${i}.score`, n);
                    form.clearErrors('scores');
                  }}
                />
                <span>{n}</span>
                <span className="sr-only"> ({SCORE_WORDS[n]})</span>
              </label>
            ))}
          </div>
          <input
            className="scorecard-note-input"
            aria-label={`Note on ${skill} (optional)`}
            placeholder="Note (optional)"
            maxLength={1000}
            {...form.register(`scores.${i}.note`)}
          />
        </fieldset>
      ))}
      {fieldError('scores') ? (
        <p className="field-error" role="alert">
          {fieldError('scores')}
        </p>
      ) : null}
      <TextAreaField label="Summary" rows={3} maxLength={4000} {...field('summary')} />
      <TextAreaField label="What to try next" rows={2} maxLength={4000} hint="Optional: one or two concrete things to try on the next call." {...field('nextSteps')} />
      <ErrorNote error={error} />
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          {initial ? 'Save scorecard' : 'Submit review'}
        </Button>
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
