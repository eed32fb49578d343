import { routes } from '../../contract';
import type { NotificationService } from '../notifications/notification-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the notification centre, notification settings, follows and "Send to…" routes. */
export function registerNotificationRoutes(router: ContractRoutes, notifications: NotificationService): void {
  router.authed(routes.notifications, async ({ caller }) => await notifications.list(caller));
  router.authed(routes.markNotificationRead, async ({ caller, params }) => {
    await notifications.markRead(caller, params.id);
    return {};
  });
  router.authed(routes.markAllNotificationsRead, async ({ caller }) => {
    await notifications.markAllRead(caller);
    return {};
  });
  router.authed(routes.notificationSettings, async ({ caller }) => ({ settings: await notifications.settings(caller) }));
  router.authed(routes.updateNotificationSettings, async ({ caller, body }) => ({
    settings: await notifications.updateSettings(caller, body),
  }));
  router.authed(routes.follows, async ({ caller }) => ({ followingIds: await notifications.following(caller) }));
  router.authed(routes.follow, async ({ caller, params }) => ({
    followingIds: await notifications.setFollowing(caller, params.id, true),
  }));
  router.authed(routes.unfollow, async ({ caller, params }) => ({
    followingIds: await notifications.setFollowing(caller, params.id, false),
  }));
  router.authed(routes.sendClip, async ({ caller, params, body }) => ({ sent: await notifications.sendClip(caller, params.id, body) }));
}
