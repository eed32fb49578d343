import type { Notification } from '../../../contract';

/** The centre's data as the notifications query holds it. */
export interface CentreData {
  notifications: Notification[];
  unread: number;
}

/**
 * Adds a pushed notification to the centre's data unless it is there already (a push and a
 * refetch after a reconnect may both carry it): the same id is never listed or counted twice.
 */
export function mergePushed(data: CentreData | undefined, n: Notification): CentreData | undefined {
  if (!data) return data;
  if (data.notifications.some((m) => m.id === n.id)) return data;
  return { notifications: [n, ...data.notifications], unread: data.unread + (n.readAt === null ? 1 : 0) };
}

/**
 * Decides which notifications pop up (desktop / browser notification, live toast): each id at
 * most once, whether it arrives as a push or in a fetch after a reconnect. The first fetch only
 * primes it (what was there before this window opened does not pop); quiet ones (created while
 * the person hosted a call) and read ones never pop.
 */
export class PopUpTracker {
  readonly #seen = new Set<string>();
  #primed = false;

  /** A push arrived: pop it if new. */
  pushed(n: Notification): Notification[] {
    return this.#take([n]);
  }

  /** The centre was fetched: the first time primes, later ones pop what is new. */
  fetched(list: readonly Notification[]): Notification[] {
    if (!this.#primed) {
      this.#primed = true;
      for (const n of list) this.#seen.add(n.id);
      return [];
    }
    return this.#take(list);
  }

  #take(list: readonly Notification[]): Notification[] {
    const fresh: Notification[] = [];
    for (const n of list) {
      if (this.#seen.has(n.id)) continue;
      this.#seen.add(n.id);
      if (!n.quiet && n.readAt === null) fresh.push(n);
    }
    return fresh;
  }
}
