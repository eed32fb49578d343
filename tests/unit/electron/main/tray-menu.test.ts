import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { ActivityState, type Activity } from '../../../../contract';
import { trayMenuTemplate, trayTooltip, type TrayAction } from '../../../../electron/main/tray-menu';

/** The ids of the items a person can click, in order. */
function actions(template: MenuItemConstructorOptions[]): string[] {
  return template.filter((item) => item.type !== 'separator' && item.enabled !== false).map((item) => item.id!);
}

function statusOf(template: MenuItemConstructorOptions[]): string {
  const status = template.find((item) => item.id === 'status')!;
  expect(status.enabled).toBe(false);
  return status.label!;
}

describe('trayMenuTemplate', () => {
  const cases: [Activity, string[], string][] = [
    [{ state: 'signed-out' }, ['open', 'quit'], 'Signed out'],
    [{ state: 'idle' }, ['go-live', 'open', 'quit'], 'Not in a call'],
    [{ state: 'live', callTitle: 'Renewal with Globex' }, ['end-call', 'open', 'quit'], 'Live: Renewal with Globex'],
    [{ state: 'recording', callTitle: 'Renewal with Globex' }, ['end-call', 'open', 'quit'], 'Live, recording: Renewal with Globex'],
    [{ state: 'listening', callTitle: 'Max Mentor · Discovery' }, ['leave', 'open', 'quit'], 'Listening: Max Mentor · Discovery'],
  ];

  it('covers every activity state', () => {
    expect(cases.map(([activity]) => activity.state).sort()).toEqual([...ActivityState.options].sort());
  });

  for (const [activity, expected, status] of cases) {
    it(`offers ${expected.join(', ')} when ${activity.state}`, () => {
      const template = trayMenuTemplate(activity, () => {});
      expect(actions(template)).toEqual(expected);
      expect(statusOf(template)).toBe(status);
    });
  }

  it('says what is happening without a call title too', () => {
    expect(statusOf(trayMenuTemplate({ state: 'live' }, () => {}))).toBe('Live');
    expect(statusOf(trayMenuTemplate({ state: 'recording' }, () => {}))).toBe('Live, recording');
    expect(statusOf(trayMenuTemplate({ state: 'listening' }, () => {}))).toBe('Listening');
  });

  it('cuts a long call title so the menu stays narrow', () => {
    const label = statusOf(trayMenuTemplate({ state: 'live', callTitle: 'x'.repeat(200) }, () => {}));
    expect(label).toHaveLength(60);
    expect(label.endsWith('…')).toBe(true);
  });

  it('calls back with each item’s action when it is clicked', () => {
    const act = vi.fn<(action: TrayAction) => void>();
    for (const activity of [{ state: 'idle' }, { state: 'live' }, { state: 'listening' }] as const) {
      for (const item of trayMenuTemplate(activity, act)) {
        if (item.click) (item.click as () => void)();
      }
    }
    expect(act.mock.calls.map(([action]) => action)).toEqual(['go-live', 'open', 'quit', 'end-call', 'open', 'quit', 'leave', 'open', 'quit']);
  });
});

describe('trayTooltip', () => {
  it('names the state and the call', () => {
    expect(trayTooltip({ state: 'signed-out' })).toBe('Bullpen — signed out');
    expect(trayTooltip({ state: 'idle' })).toBe('Bullpen');
    expect(trayTooltip({ state: 'live', callTitle: 'Renewal' })).toBe('Bullpen — you’re live: Renewal');
    expect(trayTooltip({ state: 'recording', callTitle: 'Renewal' })).toBe('Bullpen — you’re live and recording: Renewal');
    expect(trayTooltip({ state: 'listening', callTitle: 'Max · Renewal' })).toBe('Bullpen — listening: Max · Renewal');
    expect(trayTooltip({ state: 'live' })).toBe('Bullpen — you’re live');
  });
});
