import type { ButtonHTMLAttributes, ReactNode } from 'react';
import type { AppError } from '../../../contract';
import { describeError } from '../api/errors';

/** An error a person can act on, announced to screen readers. */
export function ErrorNote({ error, children }: { error: AppError | string | null | undefined; children?: ReactNode }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : describeError(error);
  return (
    <div className="note note-error" role="alert" data-testid="error" data-code={typeof error === 'string' ? undefined : error.code}>
      <span className="note-icon" aria-hidden="true" />
      <div>
        <p>{text}</p>
        {children}
      </div>
    </div>
  );
}

/** An error from a load that can simply be repeated, with a "Try again" button. */
export function RetryNote({ error, onRetry }: { error: AppError; onRetry(): void }) {
  return (
    <ErrorNote error={error}>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </ErrorNote>
  );
}

export function InfoNote({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warn' | 'success' }) {
  return (
    <div className={`note note-${tone}`} role="status">
      <div>{children}</div>
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner" role={label ? 'status' : undefined} aria-label={label}>
      <span aria-hidden="true" />
    </span>
  );
}

/** A button that shows progress and stays disabled while its action runs. */
export function Button({
  busy,
  busyLabel,
  variant = 'primary',
  children,
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; busyLabel?: string; variant?: 'primary' | 'secondary' | 'danger' | 'ghost' | 'live' }) {
  return (
    <button
      type="button"
      className={`btn btn-${variant}${busy ? ' is-busy' : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Spinner /> : null}
      <span>{busy && busyLabel ? busyLabel : children}</span>
    </button>
  );
}

export function EmptyState({ title, children, icon, testId }: { title: string; children?: ReactNode; icon?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function LoadingBlock({ label }: { label: string }) {
  return (
    <div className="loading-block">
      <Spinner label={label} />
      <span>{label}</span>
    </div>
  );
}
