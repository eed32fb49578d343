/**
 * Stand-ins for the bits of `electron` the main-process specs drive: an event emitter (for
 * `app` and `webContents`) and a window. A spec's hoisted `electron` mock loads them with
 * `await vi.hoisted(async () => await import('../electron-fakes'))`, since a `vi.mock`
 * factory runs before the spec's own imports.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/** A tiny event emitter, enough for `app` and `webContents`. */
export class Emitter {
  listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener) {
    const wrapped = (...args: unknown[]) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      listener(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

/** `webContents` that records what is sent to the renderer; set `loading`/`destroyed` to steer it. */
export class FakeWebContents extends Emitter {
  loading = false;
  destroyed = false;
  send = vi.fn();
  isLoading() {
    return this.loading;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

/** A `BrowserWindow` with fake `webContents`; set `destroyed` to close it. */
export class FakeWindow {
  webContents = new FakeWebContents();
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
}
