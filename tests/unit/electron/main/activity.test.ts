import { describe, expect, it, vi } from 'vitest';
import { ActivityTracker, setupActivity } from '../../../../electron/main/activity';
import { createLogger } from '../../../../electron/main/logger';

describe('ActivityTracker', () => {
  it('starts signed out and tells listeners of real changes only, logging one line per change', () => {
    const lines: string[] = [];
    const tracker = new ActivityTracker(createLogger({ write: (_level, line) => lines.push(line) }));
    expect(tracker.current).toEqual({ state: 'signed-out' });
    const listener = vi.fn();
    const stop = tracker.onChange(listener);
    tracker.set({ state: 'idle' });
    tracker.set({ state: 'idle' });
    tracker.set({ state: 'live', callTitle: 'Renewal' });
    tracker.set({ state: 'live', callTitle: 'Renewal' });
    tracker.set({ state: 'live', callTitle: 'Renewal, take two' });
    expect(listener.mock.calls.map(([a]) => a as unknown)).toEqual([
      { state: 'idle' },
      { state: 'live', callTitle: 'Renewal' },
      { state: 'live', callTitle: 'Renewal, take two' },
    ]);
    expect(lines.filter((line) => line.includes('activity changed'))).toHaveLength(3);
    // The log says the state, never the call's title.
    expect(lines.join('\n')).not.toContain('Renewal');
    stop();
    tracker.reset();
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('reset: the call is over, a signed-in person stays signed in', () => {
    const tracker = new ActivityTracker(createLogger({ write: () => {} }));
    tracker.reset();
    expect(tracker.current).toEqual({ state: 'signed-out' });
    tracker.set({ state: 'recording', callTitle: 'Renewal' });
    tracker.reset();
    expect(tracker.current).toEqual({ state: 'idle' });
  });

  it('setupActivity gives a fresh tracker', () => {
    expect(setupActivity({ log: createLogger({ write: () => {} }) }).current.state).toBe('signed-out');
  });
});
