/** The host's go-live choices for questions and whispers. */
export interface AudienceChoices {
  questionsLive: boolean;
  whispers: boolean;
}

/**
 * Two switches on the Go live form: whether listeners' questions show live (a small counter,
 * never a popup) or only after the call, and whether managers riding along may whisper.
 */
export function GoLiveChoices({ value, onChange }: { value: AudienceChoices; onChange(next: AudienceChoices): void }) {
  return (
    <fieldset className="recording-fields">
      <legend className="sr-only">Questions and whispers</legend>
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={value.questionsLive}
          data-testid="questions-live-switch"
          onChange={(e) => onChange({ ...value, questionsLive: e.currentTarget.checked })}
        />
        <span className="switch-label">Show listeners’ questions during the call</span>
      </label>
      <p className="field-hint">
        {value.questionsLive
          ? 'A small counter shows how many are waiting; you read them when you choose.'
          : 'Questions wait quietly until the call ends, then open in your debrief.'}
      </p>
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={value.whispers}
          data-testid="whispers-switch"
          onChange={(e) => onChange({ ...value, whispers: e.currentTarget.checked })}
        />
        <span className="switch-label">Let managers riding along whisper to me</span>
      </label>
      <p className="field-hint">Whispers are short notes only you see, during the call. They are not saved.</p>
    </fieldset>
  );
}
