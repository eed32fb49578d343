import type { Activity } from '../../contract';
import type { Logger } from './logger';

const SIGNED_OUT: Activity = { state: 'signed-out' };

/**
 * What the person is doing in the renderer (idle, hosting, recording, listening), as last
 * reported over `app:activity`. The renderer owns this state; the main process only keeps its
 * latest report for the tray and for what closing the window or quitting should do.
 */
export class ActivityTracker {
  #current: Activity = SIGNED_OUT;
  readonly #listeners = new Set<(activity: Activity) => void>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** The latest report (signed out until the renderer has said anything). */
  get current(): Activity {
    return this.#current;
  }

  /** Takes a new report; listeners hear only real changes. */
  set(activity: Activity): void {
    if (activity.state === this.#current.state && activity.callTitle === this.#current.callTitle) return;
    this.#current = activity;
    this.#log.info('activity changed', { state: activity.state });
    for (const listener of this.#listeners) listener(activity);
  }

  /**
   * The renderer went away (window closed, crashed): no call goes on without it. A signed-in
   * person stays signed in (the token is kept), so the tray offers Go live, which opens a
   * new window.
   */
  reset(): void {
    this.set(this.#current.state === 'signed-out' ? SIGNED_OUT : { state: 'idle' });
  }

  /** Calls `listener` on every change; returns its unsubscribe function. */
  onChange(listener: (activity: Activity) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Creates the tracker; `setupIpcHandlers` feeds it the renderer's `app:activity` reports. */
export function setupActivity(opts: { log: Logger }): ActivityTracker {
  return new ActivityTracker(opts.log.child({ module: 'activity' }));
}
