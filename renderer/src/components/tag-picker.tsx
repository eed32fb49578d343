import { useId, useState, type KeyboardEvent } from 'react';
import { ClipTag, STANDARD_CLIP_TAGS } from '../../../contract';

const MAX_TAGS = 12;

/**
 * Tags for a clip: the standard ones as toggles, plus custom tags typed in (validated with the
 * contract's `ClipTag`, so what is accepted here is what the server accepts). `error` is the
 * form's message about the whole list, shown unless the tag being typed has its own.
 */
export function TagPicker({
  value,
  onChange,
  disabled,
  error: listError,
}: {
  value: string[];
  onChange(tags: string[]): void;
  disabled?: boolean;
  error?: string | undefined;
}) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [draftError, setError] = useState<string | null>(null);
  const error = draftError ?? listError ?? null;
  const standard: readonly string[] = STANDARD_CLIP_TAGS;
  const custom = value.filter((t) => !standard.includes(t));
  const full = value.length >= MAX_TAGS;

  const toggle = (tag: string) => onChange(value.includes(tag) ? value.filter((t) => t !== tag) : [...value, tag]);

  const add = () => {
    if (draft.trim() === '') return;
    const parsed = ClipTag.safeParse(draft);
    if (!parsed.success) {
      setError(`Tag ${parsed.error.issues[0]?.message ?? 'is not valid'}.`);
      return;
    }
    if (!value.includes(parsed.data)) {
      if (full) {
        setError(`A clip can have at most ${MAX_TAGS} tags.`);
        return;
      }
      onChange([...value, parsed.data]);
    }
    setDraft('');
    setError(null);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    }
  };

  return (
    <fieldset className="tag-picker" disabled={disabled} data-testid="tag-picker">
      <legend>Tags</legend>
      <div className="tag-options">
        {[...standard, ...custom].map((tag) => {
          const on = value.includes(tag);
          return (
            <button
              key={tag}
              type="button"
              className={`tag-toggle${on ? ' is-on' : ''}`}
              aria-pressed={on}
              disabled={disabled || (!on && full)}
              onClick={() => toggle(tag)}
            >
              {tag}
            </button>
          );
        })}
      </div>
      <div className="tag-add">
        <label className="sr-only" htmlFor={id}>
          Add a custom tag
        </label>
        <input
          id={id}
          value={draft}
          placeholder="Add a tag…"
          maxLength={40}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={onKey}
        />
        <button type="button" className="btn btn-secondary btn-sm" disabled={disabled || draft.trim() === ''} onClick={add}>
          Add tag
        </button>
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
