/** The host's go-live choices for questions, whispers and manager access. */
export interface AudienceChoices {
  questionsLive: boolean;
  whispers: boolean;
  /** Managers and admins may join (unless this is off and the team setting allows keeping them out). */
  managersMayJoin: boolean;
}

/**
 * Two switches on the Go live form: whether listeners' questions show live (a small counter,
 * never a popup) or only after the call, and whether managers riding along may whisper; and
 * whether managers may join at all.
 */
export function GoLiveChoices({ value, onChange }: { value: AudienceChoices; onChange(next: AudienceChoices): void }) {
  return (
    <fieldset className="recording-fields">
      <legend className="sr-only">Questions, whispers and managers</legend>
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
      <label className="switch-row">
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={value.managersMayJoin}
          data-testid="managers-may-join-switch"
          onChange={(e) => onChange({ ...value, managersMayJoin: e.currentTarget.checked })}
        />
        <span className="switch-label">Let managers join this call</span>
      </label>
      <p className="field-hint">
        {value.managersMayJoin
          ? 'Managers and admins can ride along, as always.'
          : 'Managers and admins are kept out, unless your admin set “Managers can always join calls”.'}
      </p>
    </fieldset>
  );
}
