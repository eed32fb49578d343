import type { BullpenBridge } from '../../../contract';
import { createBrowserPlatform } from './browser-platform';
import { createElectronPlatform } from './electron-platform';
import type { Platform } from './platform';

/** Picks the shell once, at start: Electron when the preload exposed `window.bullpen`. */
export function selectPlatform(): Platform {
  const bridge = (window as Window & { bullpen?: BullpenBridge }).bullpen;
  return bridge ? createElectronPlatform(bridge) : createBrowserPlatform();
}
