import { useQuery } from '@tanstack/react-query';
import { restQueries } from '../api/queries';
import { BellIcon } from '../components/icons';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';

/** The header's bell: opens the notification centre, with the unread count as a badge. */
export function NotificationBell({ current }: { current: boolean }) {
  const session = useSession();
  // Kept loaded while signed in: pushes merge into it, and a reconnect refetches it.
  const centre = useQuery(restQueries.notifications(session.rest));
  const unread = centre.data?.unread ?? 0;
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <a
      className={`bell${current ? ' is-current' : ''}`}
      href={routeHref({ name: 'notifications' })}
      aria-label={label}
      aria-current={current ? 'page' : undefined}
      title={label}
      data-testid="notification-bell"
      data-unread={unread}
    >
      <BellIcon />
      {unread > 0 ? (
        <span className="bell-badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </a>
  );
}
