import { beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, payload: unknown) => void;
const electron = vi.hoisted(() => {
  /** Listeners registered per channel, as ipcRenderer keeps them. */
  const listeners = new Map<string, Set<Handler>>();
  return {
    listeners,
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })),
      on: vi.fn((channel: string, handler: Handler) => void listeners.set(channel, (listeners.get(channel) ?? new Set()).add(handler))),
      removeListener: vi.fn((channel: string, handler: Handler) => void listeners.get(channel)?.delete(handler)),
    },
  };
});
vi.mock('electron', () => electron);

import { ipcChannels, ipcEvents, type BullpenBridge } from '../../../../contract';

let bridge: BullpenBridge;
beforeAll(async () => {
  await import('../../../../electron/preload/index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('bullpen');
  bridge = api as BullpenBridge;
});

/** The bridge's shape: namespace → method names. */
function shapeOf(value: object): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(value).map(([namespace, methods]) => [namespace, Object.keys(methods as object).sort()]),
  );
}

describe('preload bridge', () => {
  it('exposes exactly the BullpenBridge methods and nothing else', () => {
    expect(shapeOf(bridge)).toEqual({
      settings: ['get', 'set'],
      token: ['get', 'set'],
      app: ['info'],
      capture: ['armLoopback'],
      shell: ['openExternal'],
      notifications: ['show'],
      updates: ['install', 'status'],
      tray: ['reportActivity'],
      events: ['onClipHotkey', 'onClipHotkeyError', 'onNotificationOpen', 'onOpenLink', 'onPowerChange', 'onTrayCommand', 'onUpdateReady'],
    });
    for (const methods of Object.values(bridge)) {
      for (const method of Object.values(methods as object)) expect(typeof method).toBe('function');
    }
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|send|on\b|invoke/i);
  });

  it('invokes the right contract channel with the right payload for each method', async () => {
    const shown = { id: 'n1', title: 'Max is live', body: 'Renewal', route: '#/listen/c1' };
    const calls: [() => Promise<unknown>, string, ...unknown[]][] = [
      [() => bridge.settings.get(), 'settings:get'],
      [() => bridge.settings.set({ micDeviceId: 'mic-1' }), 'settings:set', { micDeviceId: 'mic-1' }],
      [() => bridge.token.get(), 'token:get'],
      [() => bridge.token.set('tok_1'), 'token:set', { token: 'tok_1' }],
      [() => bridge.token.set(null), 'token:set', { token: null }],
      [() => bridge.app.info(), 'app:info'],
      [() => bridge.capture.armLoopback(), 'capture:arm-loopback'],
      [() => bridge.shell.openExternal('https://example.com'), 'shell:open-external', { url: 'https://example.com' }],
      [() => bridge.notifications.show(shown), 'notification:show', shown],
      [() => bridge.updates.status(), 'update:status'],
      [() => bridge.updates.install(), 'update:install'],
      [() => bridge.tray.reportActivity({ state: 'live', callTitle: 'Renewal' }), 'app:activity', { state: 'live', callTitle: 'Renewal' }],
    ];
    const used = new Set<string>();
    for (const [call, channel, ...args] of calls) {
      electron.ipcRenderer.invoke.mockClear();
      await expect(call()).resolves.toEqual({ ok: true, value: channel });
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(channel, ...args);
      used.add(channel);
    }
    // Every channel of the contract is reachable, and nothing outside it.
    expect([...used].sort()).toEqual(Object.keys(ipcChannels).sort());
  });
});

describe('preload events', () => {
  /** Delivers a push as the main process would: an IPC event object, then the payload. */
  function push(channel: string, payload: unknown) {
    const event = { sender: { send: () => {} }, senderId: 0, ports: [] };
    for (const handler of electron.listeners.get(channel) ?? []) handler(event, payload);
  }

  it('subscribes each listener on its channel, hands it only the payload, and unsubscribes it', () => {
    const subscriptions: [string, (listener: (...args: unknown[]) => void) => () => void, unknown, unknown[]][] = [
      ['clip:hotkey', (l) => bridge.events.onClipHotkey(l), {}, []],
      [
        'clip:hotkey-error',
        (l) => bridge.events.onClipHotkeyError(l),
        { hotkey: 'CommandOrControl+Shift+K', message: 'taken' },
        [{ hotkey: 'CommandOrControl+Shift+K', message: 'taken' }],
      ],
      ['link:open', (l) => bridge.events.onOpenLink(l), { kind: 'clip', id: 'abc' }, [{ kind: 'clip', id: 'abc' }]],
      ['notification:open', (l) => bridge.events.onNotificationOpen(l), { route: '#/listen/c1' }, ['#/listen/c1']],
      ['update:ready', (l) => bridge.events.onUpdateReady(l), { version: '0.2.0' }, ['0.2.0']],
      ['tray:command', (l) => bridge.events.onTrayCommand(l), { command: 'end-call' }, ['end-call']],
      ['power:changed', (l) => bridge.events.onPowerChange(l), { state: 'resume' }, ['resume']],
    ];
    const used = new Set<string>();
    for (const [channel, subscribe, payload, expected] of subscriptions) {
      const listener = vi.fn();
      const unsubscribe = subscribe(listener);
      expect(electron.ipcRenderer.on).toHaveBeenLastCalledWith(channel, expect.any(Function));
      expect(electron.listeners.get(channel)?.size, channel).toBe(1);
      push(channel, payload);
      expect(listener, channel).toHaveBeenCalledExactlyOnceWith(...expected);
      unsubscribe();
      expect(electron.listeners.get(channel)?.size, channel).toBe(0);
      push(channel, payload);
      expect(listener, channel).toHaveBeenCalledTimes(1);
      used.add(channel);
    }
    // Every push of the contract can be subscribed to.
    expect([...used].sort()).toEqual(Object.keys(ipcEvents).sort());
  });

  it('keeps other subscribers when one unsubscribes', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = bridge.events.onOpenLink(first);
    const unsubscribeSecond = bridge.events.onOpenLink(second);
    unsubscribeFirst();
    push('link:open', { kind: 'clip', id: 'abc' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith({ kind: 'clip', id: 'abc' });
    unsubscribeSecond();
  });
});
