/**
 * Preload (sandboxed, CommonJS): exposes `window.bullpen`, one object of named methods that
 * implements the contract's BullpenBridge. Nothing else crosses: no ipcRenderer, no generic
 * send/on. Contract imports are type-only so the bundle carries no zod.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { BullpenBridge, IpcChannel, IpcPayload, IpcReply, Result } from '../../contract';

/** Invokes one contract channel; the main process always replies with a `Result`. */
function invoke<C extends IpcChannel>(
  channel: C,
  ...payload: IpcPayload<C> extends undefined ? [] : [IpcPayload<C>]
): Promise<Result<IpcReply<C>>> {
  return ipcRenderer.invoke(channel, ...payload) as Promise<Result<IpcReply<C>>>;
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
};

contextBridge.exposeInMainWorld('bullpen', bridge);
