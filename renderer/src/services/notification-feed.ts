import type { QueryClient } from '@tanstack/react-query';
import type { Notification } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import type { SocketClient } from '../api/socket-client';
import { mergePushed, PopUpTracker, type CentreData } from '../notifications/notification-inbox';
import { desktopNotificationOf, notificationText } from '../notifications/notification-labels';
import type { Platform } from '../platform/platform';
import { notify, store } from '../state/store';

/**
 * Feeds the notification centre: `notification:new` pushes go into the centre's query (by
 * id, never twice), `notifications:changed` reloads it, and each new notification pops up
 * once (a live toast in the window, a system notification when the window is in the
 * background), never while the person hosts a call. A notification missed while offline
 * arrives in the refetch after the reconnect and pops then, once.
 */
export class NotificationFeed {
  readonly #platform: Platform;
  readonly #queries: QueryClient;
  #tracker = new PopUpTracker();

  constructor(platform: Platform, queries: QueryClient) {
    this.#platform = platform;
    this.#queries = queries;
  }

  /** Starts feeding from a newly signed-in socket; returns the unsubscribes. */
  attach(socket: SocketClient): (() => void)[] {
    this.#tracker = new PopUpTracker();
    const unsubscribeCache = this.#queries.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      if (event.query.queryKey[0] !== queryKeys.notifications[0]) return;
      const data = event.query.state.data as CentreData | undefined;
      // setQueryData (a merged push) also reports success; the tracker has seen those ids already.
      if (data) this.#popUp(this.#tracker.fetched(data.notifications));
    });
    return [
      unsubscribeCache,
      socket.on('notification:new', ({ notification }) => {
        this.#queries.setQueryData<CentreData>(queryKeys.notifications, (data) => mergePushed(data, notification));
        this.#popUp(this.#tracker.pushed(notification));
      }),
      socket.on('notifications:changed', () => void this.#queries.invalidateQueries({ queryKey: queryKeys.notifications })),
    ];
  }

  #popUp(fresh: Notification[]): void {
    const host = store.get().host.phase;
    // Quiet while hosting: they stay in the centre only.
    if (host === 'live' || host === 'ending' || host === 'starting') return;
    for (const n of fresh) {
      if (document.hasFocus()) notify(notificationText(n).title);
      else this.#platform.showNotification(desktopNotificationOf(n));
    }
  }
}
