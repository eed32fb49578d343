import { useState, type ReactNode } from 'react';
import { Button } from './feedback';

/** The step before deleting `what` ("clip", "comment"): the question, a danger button and Cancel. */
export function ConfirmDelete({
  what,
  busy,
  onConfirm,
  onCancel,
  children,
}: {
  what: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** The question, saying what goes and that it cannot be undone. */
  children: ReactNode;
}) {
  return (
    <div className="confirm" role="alertdialog" aria-label={`Confirm delete ${what}`}>
      <p>{children}</p>
      <div className="actions">
        <Button variant="danger" busy={busy} busyLabel="Deleting…" onClick={onConfirm}>
          {`Delete ${what}`}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

/** A panel with a "Delete `what`…" button that asks with {@link ConfirmDelete} first. */
export function DeletePanel({ what, busy, onConfirm, children }: { what: string; busy: boolean; onConfirm(): void; children: ReactNode }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="panel">
      {confirming ? (
        <ConfirmDelete what={what} busy={busy} onConfirm={onConfirm} onCancel={() => setConfirming(false)}>
          {children}
        </ConfirmDelete>
      ) : (
        <Button variant="ghost" onClick={() => setConfirming(true)}>
          {`Delete ${what}…`}
        </Button>
      )}
    </div>
  );
}
