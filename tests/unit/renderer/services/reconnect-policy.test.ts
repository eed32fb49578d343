import { describe, expect, it } from 'vitest';
import type { BoardCall } from '../../../../contract';
import type { SystemSignal } from '../../../../renderer/src/platform/platform';
import { activityOf } from '../../../../renderer/src/services/connectivity';
import {
  connectionView,
  hostAwayText,
  initialLink,
  onSignal,
  onSocketStatus,
  restoreStep,
  type LinkState,
} from '../../../../renderer/src/services/reconnect-policy';
import { initialHost, initialListen } from '../../../../renderer/src/state/store';

const up: LinkState = { socket: 'online', network: 'online', asleep: false, away: null };
const dropped: LinkState = { socket: 'reconnecting', network: 'online', asleep: false, away: 'disconnected' };

describe('connectionView', () => {
  it('shows the socket’s own status while awake and online', () => {
    for (const socket of ['connecting', 'online', 'reconnecting', 'refused'] as const) {
      expect(connectionView({ ...up, socket })).toBe(socket);
    }
  });

  it('shows offline while the network is gone, whatever the socket says, and without a socket', () => {
    expect(connectionView({ ...dropped, network: 'offline' })).toBe('offline');
    expect(connectionView({ ...up, network: 'offline' })).toBe('offline');
    expect(connectionView(initialLink)).toBe('offline');
  });

  it('shows asleep between suspend and resume, even offline', () => {
    expect(connectionView({ ...up, asleep: true })).toBe('asleep');
    expect(connectionView({ ...dropped, network: 'offline', asleep: true })).toBe('asleep');
  });
});

describe('onSocketStatus', () => {
  it('remembers an unexplained drop as disconnected, and keeps a known cause', () => {
    expect(onSocketStatus(up, 'reconnecting')).toEqual({ ...up, socket: 'reconnecting', away: 'disconnected' });
    expect(onSocketStatus({ ...up, away: 'asleep' }, 'reconnecting').away).toBe('asleep');
    expect(onSocketStatus({ ...up, network: 'offline', away: 'offline' }, 'reconnecting').away).toBe('offline');
  });

  it('keeps the cause when the socket comes back (restoring clears it) and on first connects', () => {
    expect(onSocketStatus(dropped, 'online')).toEqual({ ...dropped, socket: 'online' });
    expect(onSocketStatus({ ...initialLink, socket: 'connecting' }, 'online').away).toBeNull();
  });
});

describe('onSignal', () => {
  it('suspend marks the state asleep and does nothing else (no call ends from the client)', () => {
    expect(onSignal(up, 'suspend')).toEqual({ link: { ...up, asleep: true, away: 'asleep' }, socket: 'none' });
    expect(onSignal(dropped, 'suspend')).toEqual({ link: { ...dropped, asleep: true, away: 'asleep' }, socket: 'none' });
  });

  it('resume checks a socket that claims to be up, and reconnects a dropped one at once', () => {
    const asleep = onSignal(up, 'suspend').link;
    expect(onSignal(asleep, 'resume')).toEqual({ link: { ...up, away: 'asleep' }, socket: 'verify' });
    const asleepDropped = onSignal(dropped, 'suspend').link;
    expect(onSignal(asleepDropped, 'resume')).toEqual({ link: { ...dropped, away: 'asleep' }, socket: 'reconnect-now' });
  });

  it('resume without a network waits for online, which then reconnects at once', () => {
    const offlineAsleep: LinkState = { ...dropped, network: 'offline', asleep: true, away: 'asleep' };
    const woke = onSignal(offlineAsleep, 'resume');
    expect(woke.socket).toBe('none');
    expect(connectionView(woke.link)).toBe('offline');
    const back = onSignal(woke.link, 'online');
    expect(back).toEqual({ link: { ...dropped, away: 'asleep' }, socket: 'reconnect-now' });
  });

  it('offline marks the state and does nothing else; a sleep stays the cause', () => {
    expect(onSignal(up, 'offline')).toEqual({ link: { ...up, network: 'offline', away: 'offline' }, socket: 'none' });
    expect(onSignal({ ...dropped, away: 'asleep' }, 'offline').link.away).toBe('asleep');
  });

  it('online reconnects a dropped socket at once and checks one that claims to be up', () => {
    expect(onSignal({ ...dropped, network: 'offline' }, 'online')).toEqual({ link: dropped, socket: 'reconnect-now' });
    expect(onSignal({ ...up, network: 'offline' }, 'online')).toEqual({ link: up, socket: 'verify' });
    expect(onSignal({ ...up, socket: 'connecting', network: 'offline' }, 'online').socket).toBe('reconnect-now');
  });

  it('unlock and visible reconnect only a socket known to be down', () => {
    for (const signal of ['unlock', 'visible'] as const) {
      expect(onSignal(dropped, signal)).toEqual({ link: dropped, socket: 'reconnect-now' });
      expect(onSignal(up, signal)).toEqual({ link: up, socket: 'none' });
      expect(onSignal({ ...dropped, network: 'offline' }, signal).socket).toBe('none');
      expect(onSignal({ ...dropped, asleep: true }, signal).socket).toBe('none');
    }
  });

  it('lock and hidden change nothing', () => {
    for (const signal of ['lock', 'hidden'] as const) {
      expect(onSignal(up, signal)).toEqual({ link: up, socket: 'none' });
      expect(onSignal(dropped, signal)).toEqual({ link: dropped, socket: 'none' });
    }
  });

  it('never touches a socket refused for too many windows, nor a signed-out one', () => {
    const signals: SystemSignal[] = ['suspend', 'resume', 'lock', 'unlock', 'offline', 'online', 'hidden', 'visible'];
    for (const signal of signals) {
      expect(onSignal({ ...up, socket: 'refused' }, signal).socket, signal).toBe('none');
      expect(onSignal(initialLink, signal).socket, signal).toBe('none');
    }
  });
});

const board = (...ids: string[]): BoardCall[] => ids.map((id) => ({ restricted: true, id, hostId: 'u1', hostName: 'Alice' }));

describe('restoreStep', () => {
  it('does nothing for someone who was neither hosting nor listening', () => {
    expect(restoreStep({ kind: 'idle' }, board('c1'), 'asleep')).toEqual({ kind: 'none' });
    expect(restoreStep({ kind: 'idle' }, null, null)).toEqual({ kind: 'none' });
  });

  it('a host whose call is still on the board republishes into it', () => {
    expect(restoreStep({ kind: 'hosting', callId: 'c1' }, board('c0', 'c1'), 'offline')).toEqual({ kind: 'republish', callId: 'c1' });
  });

  it('a host whose call is gone (slept past the grace period) is told plainly instead of republishing', () => {
    const step = restoreStep({ kind: 'hosting', callId: 'c1' }, board('c2'), 'asleep');
    expect(step).toEqual({ kind: 'host-call-ended', callId: 'c1', message: hostAwayText('asleep') });
    expect(hostAwayText('asleep')).toBe(
      'Your call ended while this computer was asleep: the server ends a call when its host is away for more than 30 seconds. Go live again to carry on.',
    );
    expect(hostAwayText('offline')).toContain('while this computer was offline');
    expect(hostAwayText(null)).toContain('while the connection to the server was down');
  });

  it('a listener whose call is still on the board (even restricted now) rejoins; one whose call ended is told', () => {
    expect(restoreStep({ kind: 'listening', callId: 'c1' }, board('c1'), 'offline')).toEqual({ kind: 'rejoin', callId: 'c1' });
    expect(restoreStep({ kind: 'listening', callId: 'c1' }, [], 'offline')).toEqual({
      kind: 'listen-call-ended',
      callId: 'c1',
      message: 'The call ended while this computer was offline.',
    });
  });

  it('without the board (it could not be read) republishes or rejoins: their own replies say if the call is gone', () => {
    expect(restoreStep({ kind: 'hosting', callId: 'c1' }, null, 'asleep')).toEqual({ kind: 'republish', callId: 'c1' });
    expect(restoreStep({ kind: 'listening', callId: 'c1' }, null, 'asleep')).toEqual({ kind: 'rejoin', callId: 'c1' });
  });
});

describe('activityOf', () => {
  const call = { id: 'c1' } as NonNullable<typeof initialHost.call>;
  it('is hosting only while live, listening while joining, connected or rejoining', () => {
    expect(activityOf({ host: { ...initialHost, phase: 'live', call }, listen: initialListen })).toEqual({ kind: 'hosting', callId: 'c1' });
    for (const phase of ['starting', 'ending', 'ended'] as const) {
      expect(activityOf({ host: { ...initialHost, phase, call }, listen: initialListen }).kind, phase).toBe('idle');
    }
    for (const phase of ['joining', 'connecting', 'playing', 'rejoining'] as const) {
      expect(activityOf({ host: initialHost, listen: { ...initialListen, phase, callId: 'c2' } })).toEqual({ kind: 'listening', callId: 'c2' });
    }
    for (const phase of ['idle', 'ended', 'failed'] as const) {
      expect(activityOf({ host: initialHost, listen: { ...initialListen, phase, callId: 'c2' } }).kind, phase).toBe('idle');
    }
  });
});
