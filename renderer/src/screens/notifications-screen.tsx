import { useQuery } from '@tanstack/react-query';
import type { Notification } from '../../../contract';
import { restQueries } from '../api/queries';
import { Button, EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { BellIcon } from '../components/icons';
import { formatAgo, formatDateTime } from '../labels';
import { notificationAction, notificationHref, notificationText } from '../notifications/notification-labels';
import { useMarkRead } from '../notifications/use-notification-actions';
import { useSession } from '../services/session-context';

/** The notification centre: newest first, unread marked; open one (marks it read), mark one or all read. */
export function NotificationsScreen() {
  const session = useSession();
  const centre = useQuery(restQueries.notifications(session.rest));
  const { one, all } = useMarkRead();

  return (
    <section className="page" aria-labelledby="notifications-title">
      <div className="page-head">
        <div>
          <h1 id="notifications-title">Notifications</h1>
          <p className="muted">Calls going live by people you follow, answers, reviews, comments and clips sent to you.</p>
        </div>
        {centre.data && centre.data.unread > 0 ? (
          <Button variant="secondary" busy={all.isPending} busyLabel="Marking…" onClick={() => all.mutate()}>
            Mark all read
          </Button>
        ) : null}
      </div>
      {centre.isPending ? (
        <LoadingBlock label="Loading notifications…" />
      ) : centre.isError ? (
        <RetryNote error={centre.error} onRetry={() => void centre.refetch()} />
      ) : centre.data.notifications.length === 0 ? (
        <EmptyState title="Nothing yet" icon={<BellIcon size={28} />} testId="notifications-empty">
          <p className="muted">
            Follow teammates on the <a href="#/team">Team</a> page to hear when they go live. Turn kinds of notification on or off in{' '}
            <a href="#/settings">Settings</a>.
          </p>
        </EmptyState>
      ) : (
        <ul className="notification-list" data-testid="notifications">
          {centre.data.notifications.map((n) => (
            <NotificationItem key={n.id} n={n} onOpen={() => n.readAt === null && one.mutate(n.id)} onRead={() => one.mutate(n.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function NotificationItem({ n, onOpen, onRead }: { n: Notification; onOpen(): void; onRead(): void }) {
  const { title, body } = notificationText(n);
  const unread = n.readAt === null;
  return (
    <li className={`notification${unread ? ' is-unread' : ''}`} data-testid="notification" data-kind={n.kind} data-unread={unread}>
      <span className="notification-dot" aria-hidden="true" />
      <div className="notification-text">
        <strong>{title}</strong>
        <span className="muted notification-body">{body}</span>
        <time className="muted notification-time" dateTime={new Date(n.createdAt).toISOString()} title={formatDateTime(n.createdAt)}>
          {formatAgo(n.createdAt)}
          {unread ? <span className="sr-only"> · unread</span> : null}
          {n.quiet ? ' · arrived while you were live' : ''}
        </time>
      </div>
      <div className="notification-actions">
        <a className={`btn btn-sm ${n.kind === 'call-live' ? 'btn-live' : 'btn-primary'}`} href={notificationHref(n)} onClick={onOpen}>
          {notificationAction(n)}
        </a>
        {unread ? (
          <Button variant="ghost" className="btn btn-ghost btn-sm" onClick={onRead} aria-label={`Mark “${title}” read`}>
            Mark read
          </Button>
        ) : null}
      </div>
    </li>
  );
}
