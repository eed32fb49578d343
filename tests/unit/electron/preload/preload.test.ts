import { beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })) },
}));
vi.mock('electron', () => electron);

import { ipcChannels, type BullpenBridge } from '../../../../contract';

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
    });
    for (const methods of Object.values(bridge)) {
      for (const method of Object.values(methods as object)) expect(typeof method).toBe('function');
    }
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|send|on\b|invoke/i);
  });

  it('invokes the right contract channel with the right payload for each method', async () => {
    const calls: [() => Promise<unknown>, string, ...unknown[]][] = [
      [() => bridge.settings.get(), 'settings:get'],
      [() => bridge.settings.set({ micDeviceId: 'mic-1' }), 'settings:set', { micDeviceId: 'mic-1' }],
      [() => bridge.token.get(), 'token:get'],
      [() => bridge.token.set('tok_1'), 'token:set', { token: 'tok_1' }],
      [() => bridge.token.set(null), 'token:set', { token: null }],
      [() => bridge.app.info(), 'app:info'],
      [() => bridge.capture.armLoopback(), 'capture:arm-loopback'],
      [() => bridge.shell.openExternal('https://example.com'), 'shell:open-external', { url: 'https://example.com' }],
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
