import { useId, useRef, useState } from 'react';

/** A read-only value (link, code) with a Copy button that confirms what happened. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'select'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      // Clipboard refused (no permission, insecure page): select it for Ctrl/Cmd+C instead.
      input.current?.select();
      setStatus('select');
    }
    setTimeout(() => setStatus('idle'), 2500);
  };

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} ref={input} readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
          {status === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {status === 'copied' ? `${label} copied` : status === 'select' ? 'Press Control or Command plus C to copy' : ''}
      </p>
    </div>
  );
}
