import type { Activity, Result, TrayCommand } from '../../../contract';
import { describeError } from '../api/errors';
import { navigate } from '../routing';
import { notify, useAppStore, type AppState } from '../state/store';
import { isActive } from './listen-service';
import type { Session } from './session';

/** The longest call title the tray is told (the contract's limit). */
const MAX_TITLE = 200;

function titled(state: Activity['state'], title: string | null | undefined): Activity {
  const trimmed = title?.trim().slice(0, MAX_TITLE).trim();
  return trimmed ? { state, callTitle: trimmed } : { state };
}

/**
 * What the tray shows for the app's state: signed out; hosting (`recording` when the call is
 * recorded, `live` otherwise, from the moment Go live is pressed until the call has ended);
 * listening (joining through rejoining); otherwise idle. Hosting wins if both were ever true.
 */
export function activityOf(state: Pick<AppState, 'me' | 'host' | 'listen'>): Activity {
  if (!state.me) return { state: 'signed-out' };
  const { host, listen } = state;
  if (host.phase === 'starting' || host.phase === 'live' || host.phase === 'ending') {
    return titled(host.call?.recording ? 'recording' : 'live', host.call?.title);
  }
  if (isActive(listen.phase)) return titled('listening', listen.call ? `${listen.call.hostName} · ${listen.call.title}` : null);
  return { state: 'idle' };
}

/** What a tray command acts through: the same services and routes as the app's own buttons. */
export interface TrayCommandTarget {
  state(): Pick<AppState, 'me' | 'host' | 'listen'>;
  /** The Go live button's action: the go-live form. */
  openGoLive(): void;
  /** The End call button's action (the tray keeps the full recording, the default). */
  endCall(): Promise<Result<null>>;
  /** The Leave button's action. */
  leave(): Promise<void>;
}

/**
 * Carries out a tray command. Go live opens the go-live form (the main process has brought the
 * window forward: a title and recording consent need the person); End call and Leave act at
 * once, as their buttons do. A command that no longer fits the state (a menu opened before the
 * call ended) does nothing.
 */
export async function actOnTrayCommand(command: TrayCommand, target: TrayCommandTarget): Promise<void> {
  const state = target.state();
  switch (command) {
    case 'go-live':
      // Also before `me` is known: a window the tray just reopened is still restoring the
      // session, and the route opens once it has.
      target.openGoLive();
      return;
    case 'end-call': {
      if (state.host.phase !== 'live') return;
      const result = await target.endCall();
      if (!result.ok) notify(describeError(result.error), 'error');
      return;
    }
    case 'leave':
      if (isActive(state.listen.phase)) await target.leave();
      return;
  }
}

/**
 * Keeps the shell's tray in step with the app: reports the activity now and whenever it
 * changes (only real changes cross the bridge), and carries out the tray's commands through
 * the session's services. Returns a function that stops both.
 */
export function linkTray(session: Pick<Session, 'platform' | 'host' | 'listen'>): () => void {
  let last = '';
  const report = (state: AppState) => {
    const activity = activityOf(state);
    const key = JSON.stringify(activity);
    if (key === last) return;
    last = key;
    session.platform.reportActivity(activity);
  };
  report(useAppStore.getState());
  const unsubscribeStore = useAppStore.subscribe(report);
  const target: TrayCommandTarget = {
    state: useAppStore.getState,
    openGoLive: () => navigate({ name: 'go-live' }),
    endCall: () => session.host.end({ keepRecording: true }),
    leave: () => session.listen.leave(),
  };
  const unsubscribeCommands = session.platform.onTrayCommand((command) => void actOnTrayCommand(command, target));
  return () => {
    unsubscribeStore();
    unsubscribeCommands();
  };
}
