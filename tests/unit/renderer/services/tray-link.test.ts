import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActivityState, type Activity, type BullpenBridge, type CallSummary, type TrayCommand } from '../../../../contract';
import { createElectronPlatform } from '../../../../renderer/src/platform/electron-platform';
import { Session } from '../../../../renderer/src/services/session';
import { activityOf, linkTray } from '../../../../renderer/src/services/tray-link';
import { initialHost, initialListen, initialState, store, useAppStore, type AppState } from '../../../../renderer/src/state/store';

const me: NonNullable<AppState['me']> = {
  user: { id: 'u1', teamId: 't1', name: 'Max Mentor', email: 'max@acme.test', role: 'mentor' },
  team: { id: 't1', name: 'Acme' },
};

function call(patch: Partial<CallSummary> = {}): CallSummary {
  return {
    id: 'c1',
    hostId: 'u2',
    hostName: 'Alice Ace',
    title: 'Renewal with Globex',
    account: null,
    policy: 'team',
    startedAt: 1,
    hostState: 'live',
    listeners: [],
    recording: false,
    canListen: true,
    ...patch,
  };
}

const state = (patch: Partial<AppState>) => ({ ...initialState, me, ...patch });

describe('activityOf', () => {
  it('is signed out without a person, whatever else the store holds', () => {
    expect(activityOf({ ...initialState, host: { ...initialHost, phase: 'live', call: call() } })).toEqual({ state: 'signed-out' });
  });

  it('is idle when signed in with no call, or once a call has ended or failed', () => {
    expect(activityOf(state({}))).toEqual({ state: 'idle' });
    expect(activityOf(state({ host: { ...initialHost, phase: 'ended', call: call() } }))).toEqual({ state: 'idle' });
    for (const phase of ['idle', 'ended', 'failed'] as const) {
      expect(activityOf(state({ listen: { ...initialListen, phase, call: call() } }))).toEqual({ state: 'idle' });
    }
  });

  it('hosting: live, or recording when the call is recorded, from Go live until the call has ended', () => {
    expect(activityOf(state({ host: { ...initialHost, phase: 'starting' } }))).toEqual({ state: 'live' });
    expect(activityOf(state({ host: { ...initialHost, phase: 'live', call: call() } }))).toEqual({ state: 'live', callTitle: 'Renewal with Globex' });
    expect(activityOf(state({ host: { ...initialHost, phase: 'ending', call: call({ recording: true }) } }))).toEqual({
      state: 'recording',
      callTitle: 'Renewal with Globex',
    });
  });

  it('listening: joining through rejoining, named by host and title', () => {
    for (const phase of ['joining', 'connecting', 'playing', 'rejoining'] as const) {
      expect(activityOf(state({ listen: { ...initialListen, phase, callId: 'c1', call: call() } }))).toEqual({
        state: 'listening',
        callTitle: 'Alice Ace · Renewal with Globex',
      });
    }
    expect(activityOf(state({ listen: { ...initialListen, phase: 'joining', callId: 'c1', call: null } }))).toEqual({ state: 'listening' });
  });

  it('keeps the title within what the contract accepts', () => {
    const activity = activityOf(state({ host: { ...initialHost, phase: 'live', call: call({ title: `  ${'x'.repeat(300)}  ` }) } }));
    expect(activity.callTitle).toHaveLength(200);
  });
});

describe('linkTray', () => {
  let reported: Activity[];
  let sendCommand: ((command: TrayCommand) => void) | null;
  let session: Session;
  let stop: () => void;

  /** The desktop bridge stands in for the preload: it records reports and delivers commands. */
  function bridge(): BullpenBridge {
    const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
    return {
      tray: {
        reportActivity: (activity: Activity) => {
          reported.push(activity);
          return ok(null);
        },
      },
      events: {
        onOpenLink: () => () => {},
        onTrayCommand: (listener: (command: TrayCommand) => void) => {
          sendCommand = listener;
          return () => {
            sendCommand = null;
          };
        },
      },
    } as unknown as BullpenBridge;
  }

  beforeEach(() => {
    reported = [];
    sendCommand = null;
    useAppStore.setState(initialState, true);
    session = new Session(createElectronPlatform(bridge()));
    stop = linkTray(session);
    vi.stubGlobal('location', { hash: '#/board' });
  });
  afterEach(() => {
    stop();
    vi.unstubAllGlobals();
  });

  it('reports now and on every change of activity, and nothing for other changes', () => {
    expect(reported).toEqual([{ state: 'signed-out' }]);
    store.set({ me });
    store.set({ notices: [{ id: 1, tone: 'info', text: 'hello' }] });
    store.host({ phase: 'live', call: call({ recording: true }) });
    store.host({ listeners: [{ userId: 'u3', name: 'Jo', joinedAt: 2 }] });
    store.set({ host: initialHost });
    expect(reported).toEqual([{ state: 'signed-out' }, { state: 'idle' }, { state: 'recording', callTitle: 'Renewal with Globex' }, { state: 'idle' }]);
    // Every report is one the main process accepts.
    for (const activity of reported) expect(ActivityState.options).toContain(activity.state);
  });

  it('Go live opens the go-live form, also while a reopened window is still restoring the session', () => {
    sendCommand!('go-live');
    expect(location.hash).toBe('#/go-live');
    location.hash = '#/board';
    store.set({ me });
    sendCommand!('go-live');
    expect(location.hash).toBe('#/go-live');
  });

  it('End call goes through the End call button’s path: here unconnected, so the person is told why', async () => {
    store.set({ me, host: { ...initialHost, phase: 'live', call: call() } });
    sendCommand!('end-call');
    await vi.waitFor(() => expect(store.get().notices.map((n) => [n.tone, n.text])).toEqual([['error', 'Not connected to the server.']]));
    expect(store.get().host).toMatchObject({ phase: 'live', error: { code: 'UNAVAILABLE' } });
  });

  it('Leave leaves at once, as the Leave button does, and the tray hears idle', async () => {
    store.set({ me, listen: { ...initialListen, phase: 'playing', callId: 'c1', call: call() } });
    sendCommand!('leave');
    await vi.waitFor(() => expect(store.get().listen.phase).toBe('idle'));
    expect(reported.at(-1)).toEqual({ state: 'idle' });
  });

  it('ignores a command that no longer fits (a menu opened before the call ended)', async () => {
    store.set({ me });
    sendCommand!('end-call');
    sendCommand!('leave');
    await Promise.resolve();
    expect(store.get().notices).toEqual([]);
    expect(store.get().host.phase).toBe('idle');
    expect(reported).toEqual([{ state: 'signed-out' }, { state: 'idle' }]);
  });

  it('stops reporting and listening when unlinked', () => {
    stop();
    expect(sendCommand).toBeNull();
    store.set({ me });
    expect(reported).toEqual([{ state: 'signed-out' }]);
  });
});
