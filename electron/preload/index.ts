/**
 * Preload (sandboxed, CommonJS): exposes `window.bullpen`, one object of named methods that
 * implements the contract's BullpenBridge. Nothing else crosses: no ipcRenderer, no generic
 * send/on. Contract imports are type-only so the bundle carries no zod.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { BullpenBridge, IpcChannel, IpcEventName, IpcEventPayload, IpcPayload, IpcReply, Result } from '../../contract';

/** Invokes one contract channel; the main process always replies with a `Result`. */
function invoke<C extends IpcChannel>(
  channel: C,
  ...payload: IpcPayload<C> extends undefined ? [] : [IpcPayload<C>]
): Promise<Result<IpcReply<C>>> {
  return ipcRenderer.invoke(channel, ...payload) as Promise<Result<IpcReply<C>>>;
}

/**
 * Subscribes to one main → renderer push. The main process validates payloads before sending;
 * the renderer gets only the payload, never the IPC event (which would expose the sender).
 */
function subscribe<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
  const handler = (_event: unknown, payload: IpcEventPayload<E>) => listener(payload);
  ipcRenderer.on(event, handler);
  return () => {
    ipcRenderer.removeListener(event, handler);
  };
}

const bridge: BullpenBridge = {
  settings: {
    get: () => invoke('settings:get'),
    set: (patch) => invoke('settings:set', patch),
  },
  token: {
    get: () => invoke('token:get'),
    set: (token) => invoke('token:set', { token }),
  },
  app: {
    info: () => invoke('app:info'),
  },
  capture: {
    armLoopback: () => invoke('capture:arm-loopback'),
  },
  shell: {
    openExternal: (url) => invoke('shell:open-external', { url }),
  },
  notifications: {
    show: (notification) => invoke('notification:show', notification),
  },
  updates: {
    status: () => invoke('update:status'),
    install: () => invoke('update:install'),
  },
  tray: {
    reportActivity: (activity) => invoke('app:activity', activity),
  },
  events: {
    onClipHotkey: (listener) => subscribe('clip:hotkey', () => listener()),
    onClipHotkeyError: (listener) => subscribe('clip:hotkey-error', listener),
    onOpenLink: (listener) => subscribe('link:open', listener),
    onNotificationOpen: (listener) => subscribe('notification:open', ({ route }) => listener(route)),
    onUpdateReady: (listener) => subscribe('update:ready', ({ version }) => listener(version)),
    onTrayCommand: (listener) => subscribe('tray:command', ({ command }) => listener(command)),
    onPowerChange: (listener) => subscribe('power:changed', ({ state }) => listener(state)),
  },
};

contextBridge.exposeInMainWorld('bullpen', bridge);
