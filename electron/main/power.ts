import { powerMonitor, type BrowserWindow } from 'electron';
import type { PowerState } from '../../contract';
import type { Logger } from './logger';
import { sendEvent } from './renderer-events';

/** The `powerMonitor` events forwarded to the renderer, as the contract names them. */
export const POWER_STATES = ['suspend', 'resume', 'lock-screen', 'unlock-screen'] as const satisfies readonly PowerState[];

export interface PowerDeps {
  log: Logger;
  /** The app's window now (it may have been closed and reopened, or hidden in the tray). */
  getWindow(): BrowserWindow | null;
}

/**
 * Sleep and lock: each `powerMonitor` change is logged once and pushed to the renderer as
 * `power:changed`, which marks the connection asleep on `suspend` and reconnects at once on
 * `resume` (a socket that slept is often dead without knowing it). Nothing here ends a call:
 * the server's grace period decides that. No window (closed to the tray): nothing to tell;
 * a window opened later boots and connects afresh. Returns an idempotent `close()`.
 */
export function setupPower(deps: PowerDeps): { close(): void } {
  const log = deps.log.child({ module: 'power' });
  const handlers = POWER_STATES.map((state) => {
    const handler = () => {
      log.info('power state changed', { state });
      sendEvent(deps.getWindow(), 'power:changed', { state }, log);
    };
    powerMonitor.on(state as 'suspend', handler);
    return [state, handler] as const;
  });
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      for (const [state, handler] of handlers) powerMonitor.removeListener(state as 'suspend', handler);
    },
  };
}
