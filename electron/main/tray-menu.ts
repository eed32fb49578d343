import type { MenuItemConstructorOptions } from 'electron';
import type { Activity, TrayCommand } from '../../contract';

/** What a tray menu item does: a renderer command, or one the main process handles itself. */
export type TrayAction = TrayCommand | 'open' | 'quit';

/** The tooltip (and accessible name) of the tray icon for an activity. */
export function trayTooltip(activity: Activity): string {
  const title = activity.callTitle ? `: ${activity.callTitle}` : '';
  switch (activity.state) {
    case 'signed-out':
      return 'Bullpen — signed out';
    case 'idle':
      return 'Bullpen';
    case 'live':
      return `Bullpen — you’re live${title}`;
    case 'recording':
      return `Bullpen — you’re live and recording${title}`;
    case 'listening':
      return `Bullpen — listening${title}`;
  }
}

/** The first, disabled line of the menu: what is happening now. */
function statusLine(activity: Activity): string {
  switch (activity.state) {
    case 'signed-out':
      return 'Signed out';
    case 'idle':
      return 'Not in a call';
    case 'live':
      return activity.callTitle ? `Live: ${activity.callTitle}` : 'Live';
    case 'recording':
      return activity.callTitle ? `Live, recording: ${activity.callTitle}` : 'Live, recording';
    case 'listening':
      return activity.callTitle ? `Listening: ${activity.callTitle}` : 'Listening';
  }
}

/** Menu labels; a call title is cut so one long title cannot stretch the menu across the screen. */
const MAX_STATUS = 60;

/**
 * The tray menu for an activity: a status line, then Go live (only idle and signed in), End
 * call (only while hosting), Leave (only while listening), Open Bullpen and Quit. Items that
 * do not apply are left out rather than greyed: the menu says what can be done now.
 */
export function trayMenuTemplate(activity: Activity, act: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  const status = statusLine(activity);
  const items: MenuItemConstructorOptions[] = [
    { id: 'status', label: status.length > MAX_STATUS ? `${status.slice(0, MAX_STATUS - 1)}…` : status, enabled: false },
    { type: 'separator' },
  ];
  if (activity.state === 'idle') items.push({ id: 'go-live', label: 'Go live…', click: () => act('go-live') });
  if (activity.state === 'live' || activity.state === 'recording') items.push({ id: 'end-call', label: 'End call', click: () => act('end-call') });
  if (activity.state === 'listening') items.push({ id: 'leave', label: 'Leave call', click: () => act('leave') });
  items.push(
    { id: 'open', label: 'Open Bullpen', click: () => act('open') },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Bullpen', click: () => act('quit') },
  );
  return items;
}
