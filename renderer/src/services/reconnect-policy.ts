import { HOST_RECONNECT_GRACE_MS, type BoardCall } from '../../../contract';
import type { ConnectionStatus } from '../api/socket-client';
import type { SystemSignal } from '../platform/platform';

/**
 * What to do when the machine sleeps, wakes, locks or loses its network, and what to restore
 * once the server is reachable again. Pure: the connectivity service feeds it the signals and
 * the server's answers and carries out what it returns.
 */

/** What the shell shows about the link to the server. */
export type ConnectionView = ConnectionStatus | 'offline' | 'asleep';

/** Why the link was lost, for the words if a call ended meanwhile. */
export type AwayCause = 'asleep' | 'offline' | 'disconnected';

export interface LinkState {
  /** The socket's own status; null while there is no socket (signed out). */
  socket: ConnectionStatus | null;
  network: 'online' | 'offline';
  /** Between `suspend` and `resume` (desktop only). */
  asleep: boolean;
  /** Set when the link is lost, cleared once what the person was doing is restored. */
  away: AwayCause | null;
}

export const initialLink: LinkState = { socket: null, network: 'online', asleep: false, away: null };

/** What to do with the socket: nothing, reconnect now (skipping socket.io's backoff), or check one that says it is up. */
export type SocketStep = 'none' | 'reconnect-now' | 'verify';

/** The state the shell shows for `link`. */
export function connectionView(link: LinkState): ConnectionView {
  if (link.socket === null) return 'offline';
  if (link.asleep) return 'asleep';
  if (link.network === 'offline') return 'offline';
  return link.socket;
}

/** The socket reported `status`: a drop with no known cause is remembered as `disconnected`. */
export function onSocketStatus(link: LinkState, status: ConnectionStatus): LinkState {
  const lost = status === 'reconnecting' && link.socket !== 'reconnecting';
  return { ...link, socket: status, away: lost ? (link.away ?? 'disconnected') : link.away };
}

/**
 * One signal from the shell. Sleeping or going offline only marks the state: nothing ends a
 * call from here (the server's grace period decides). Waking or coming online reconnects at
 * once, and checks a socket that claims to be up, since one that slept is often dead without
 * knowing it. Unlocking or showing the window reconnects only a socket known to be down.
 */
export function onSignal(link: LinkState, signal: SystemSignal): { link: LinkState; socket: SocketStep } {
  switch (signal) {
    case 'suspend':
      return { link: { ...link, asleep: true, away: 'asleep' }, socket: 'none' };
    case 'offline':
      return { link: { ...link, network: 'offline', away: link.away === 'asleep' ? 'asleep' : 'offline' }, socket: 'none' };
    case 'resume': {
      const next = { ...link, asleep: false };
      return { link: next, socket: socketStep(next, true) };
    }
    case 'online': {
      const next: LinkState = { ...link, network: 'online' };
      return { link: next, socket: socketStep(next, true) };
    }
    case 'unlock':
    case 'visible':
      return { link, socket: socketStep(link, false) };
    case 'lock':
    case 'hidden':
      return { link, socket: 'none' };
  }
}

function socketStep(link: LinkState, verifyIfUp: boolean): SocketStep {
  // Asleep or without a network, a connection attempt can only fail: wait for the wake-up.
  if (link.socket === null || link.asleep || link.network === 'offline') return 'none';
  if (link.socket === 'online') return verifyIfUp ? 'verify' : 'none';
  // Refused for too many open windows is not a network problem: its own timer asks again.
  if (link.socket === 'refused') return 'none';
  return 'reconnect-now';
}

/** What this person was doing when the link came back. */
export type Activity = { kind: 'idle' } | { kind: 'hosting'; callId: string } | { kind: 'listening'; callId: string };

export type RestoreStep =
  | { kind: 'none' }
  /** Still hosting: publish the audio into the same call again. */
  | { kind: 'republish'; callId: string }
  /** Still listening: join the same call again. */
  | { kind: 'rejoin'; callId: string }
  /** The host was away past the grace period and the server ended the call: say so, do not republish. */
  | { kind: 'host-call-ended'; callId: string; message: string }
  /** The call listened to ended meanwhile. */
  | { kind: 'listen-call-ended'; callId: string; message: string };

/**
 * What to restore once the socket is back, from what the person was doing and the server's
 * board (null when it could not be read: then republish or rejoin, whose own replies say
 * whether the call is gone). A call missing from the board has ended.
 */
export function restoreStep(activity: Activity, board: readonly BoardCall[] | null, away: AwayCause | null): RestoreStep {
  if (activity.kind === 'idle') return { kind: 'none' };
  const { callId } = activity;
  const present = board === null || board.some((call) => call.id === callId);
  if (activity.kind === 'hosting') {
    return present ? { kind: 'republish', callId } : { kind: 'host-call-ended', callId, message: hostAwayText(away) };
  }
  return present ? { kind: 'rejoin', callId } : { kind: 'listen-call-ended', callId, message: listenerAwayText(away) };
}

function whileAway(away: AwayCause | null): string {
  switch (away) {
    case 'asleep':
      return 'while this computer was asleep';
    case 'offline':
      return 'while this computer was offline';
    case 'disconnected':
    case null:
      return 'while the connection to the server was down';
  }
}

/** Why a host's call is gone after being away. */
export function hostAwayText(away: AwayCause | null): string {
  const graceSec = Math.round(HOST_RECONNECT_GRACE_MS / 1000);
  return `Your call ended ${whileAway(away)}: the server ends a call when its host is away for more than ${graceSec} seconds. Go live again to carry on.`;
}

/** Why a listener's call is gone after being away. */
export function listenerAwayText(away: AwayCause | null): string {
  return `The call ended ${whileAway(away)}.`;
}
