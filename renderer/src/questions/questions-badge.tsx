import { useQuery } from '@tanstack/react-query';
import { restQueries } from '../api/queries';
import { useSession } from '../services/session-context';

/** The nav badge: how many questions wait in the host's queue (hidden at zero). */
export function QuestionsBadge() {
  const session = useSession();
  const waiting = useQuery(restQueries.questionQueue(session.rest)).data?.questions.length ?? 0;
  if (waiting === 0) return null;
  return (
    <span className="nav-badge" data-testid="questions-badge" aria-label={`${waiting} unanswered`}>
      {waiting > 99 ? '99+' : waiting}
    </span>
  );
}
