import { describe, expect, it } from 'vitest';
import { ipcChannels, ipcEvents, UpdateStatus } from '../../../contract';

describe('self-update over IPC', () => {
  it('accepts each update status and refuses anything else', () => {
    for (const status of [{ state: 'off', reason: 'no feed' }, { state: 'idle' }, { state: 'ready', version: '1.2.3' }]) {
      expect(UpdateStatus.safeParse(status).success, JSON.stringify(status)).toBe(true);
    }
    for (const status of [{ state: 'ready' }, { state: 'ready', version: '' }, { state: 'downloading' }, { state: 'off' }, null]) {
      expect(UpdateStatus.safeParse(status).success, JSON.stringify(status)).toBe(false);
    }
  });

  it('takes no payload for status and install, and pushes a version when ready', () => {
    expect(ipcChannels['update:status'].payload.safeParse(undefined).success).toBe(true);
    expect(ipcChannels['update:install'].payload.safeParse({ force: true }).success).toBe(false);
    expect(ipcEvents['update:ready'].safeParse({ version: '1.2.3' }).success).toBe(true);
    expect(ipcEvents['update:ready'].safeParse({ version: 'x'.repeat(101) }).success).toBe(false);
  });
});
