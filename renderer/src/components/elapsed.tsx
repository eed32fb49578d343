import { formatDuration } from '../labels';
import { useNow } from '../hooks/use-now';

/** Time since `since` (ms since epoch), ticking every second. */
export function Elapsed({ since, className }: { since: number; className?: string }) {
  const now = useNow();
  const text = formatDuration(now - since);
  return (
    <time className={className ?? 'elapsed'} dateTime={`PT${Math.max(0, Math.floor((now - since) / 1000))}S`} aria-label={`${text} elapsed`}>
      {text}
    </time>
  );
}
