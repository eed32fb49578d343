import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWindow } = await import('../electron-fakes');
  class FakePowerMonitor extends Emitter {
    removeListener(event: string, listener: (...args: unknown[]) => void) {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
      return this;
    }
  }
  return { powerMonitor: new FakePowerMonitor(), FakeWindow };
});
vi.mock('electron', () => ({ powerMonitor: electron.powerMonitor }));

import { POWER_STATES, setupPower } from '../../../../electron/main/power';
import { createLogger } from '../../../../electron/main/logger';

const lines: Record<string, unknown>[] = [];
const log = createLogger({ write: (_level, line) => lines.push(JSON.parse(line) as Record<string, unknown>) });

let window: InstanceType<typeof electron.FakeWindow> | null;
beforeEach(() => {
  electron.powerMonitor.listeners.clear();
  lines.length = 0;
  window = new electron.FakeWindow();
});

describe('setupPower', () => {
  it('pushes every powerMonitor change to the window as power:changed and logs it once', () => {
    setupPower({ log, getWindow: () => window as never });
    for (const state of POWER_STATES) electron.powerMonitor.emit(state);
    expect(window!.webContents.send.mock.calls).toEqual([
      ['power:changed', { state: 'suspend' }],
      ['power:changed', { state: 'resume' }],
      ['power:changed', { state: 'lock-screen' }],
      ['power:changed', { state: 'unlock-screen' }],
    ]);
    expect(lines.filter((l) => l.msg === 'power state changed').map((l) => l.state)).toEqual([...POWER_STATES]);
  });

  it('asks for the window at each event: a window reopened after sleep gets the wake-up', () => {
    const first = window!;
    setupPower({ log, getWindow: () => window as never });
    electron.powerMonitor.emit('suspend');
    window = new electron.FakeWindow();
    electron.powerMonitor.emit('resume');
    expect(first.webContents.send).toHaveBeenCalledExactlyOnceWith('power:changed', { state: 'suspend' });
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('power:changed', { state: 'resume' });
  });

  it('skips a closed or missing window without throwing', () => {
    setupPower({ log, getWindow: () => window as never });
    window!.destroyed = true;
    expect(() => electron.powerMonitor.emit('resume')).not.toThrow();
    expect(window!.webContents.send).not.toHaveBeenCalled();
    window = null;
    expect(() => electron.powerMonitor.emit('suspend')).not.toThrow();
  });

  it('close() stops forwarding and is idempotent', () => {
    const power = setupPower({ log, getWindow: () => window as never });
    power.close();
    power.close();
    for (const state of POWER_STATES) electron.powerMonitor.emit(state);
    expect(window!.webContents.send).not.toHaveBeenCalled();
    for (const state of POWER_STATES) expect(electron.powerMonitor.listeners.get(state) ?? []).toHaveLength(0);
  });
});
