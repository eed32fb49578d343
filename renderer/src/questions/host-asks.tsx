import type { CallSummary } from '../../../contract';
import { routeHref } from '../routing';
import { useAppStore } from '../state/store';
import { formatDuration } from '../labels';

/**
 * What the host sees live of its listeners: a quiet count of questions (only when the host chose
 * live questions; never their text, never a popup) and managers' whispers.
 */
export function HostAsks({ call }: { call: CallSummary }) {
  const asks = useAppStore((s) => (s.hostAsks.callId === call.id ? s.hostAsks : null));
  const count = asks?.count ?? 0;
  const whispers = asks?.whispers ?? [];
  return (
    <>
      {call.questions === 'live' ? (
        <p className="question-counter" data-testid="question-counter" data-count={count} aria-live="polite">
          {count === 0 ? 'No questions yet' : count === 1 ? '1 question waiting' : `${count} questions waiting`}
          {count > 0 ? (
            <>
              {' · '}
              <a href={routeHref({ name: 'questions' })}>Read</a>
            </>
          ) : null}
        </p>
      ) : null}
      {call.whispers ? (
        <div className="whispers" role="log" aria-label="Whispers" aria-live="polite" data-testid="whispers">
          {whispers.length === 0 ? (
            <p className="muted">Whispers from managers riding along show here. Only you see them.</p>
          ) : (
            <ul>
              {whispers.map((w) => (
                <li key={`${w.at}-${w.fromName}-${w.text}`} className="whisper">
                  <strong>{w.fromName}</strong> <span className="muted">at {formatDuration(w.at - call.startedAt)}</span>
                  <p>{w.text}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </>
  );
}
