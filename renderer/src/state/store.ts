import { create } from 'zustand';
import type { AppError, CallEndReason, CallSummary, ClipSummary, ListenerInfo, Team, User, WhisperPush } from '../../../contract';
import type { ConnectionView } from '../services/reconnect-policy';
import { DEFAULT_CLIP_PREFS, DEFAULT_DEVICE_PREFS, type CallAudioMode, type ClipPrefs, type DevicePrefs, type HostOs } from '../platform/platform';

/**
 * The renderer's client state. Only serializable data lives here: peer connections, streams
 * and audio graphs belong to the media services (`media/`), which report into the store.
 * Server data (board, clips, team…) lives in the query cache (`api/queries.ts`), not here.
 */

export type BootState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'ready' };

/** The host's own call, as the host sees it. */
export interface HostState {
  phase: 'idle' | 'starting' | 'live' | 'ending' | 'ended';
  call: CallSummary | null;
  listeners: ListenerInfo[];
  /** Our own media connection to the server. */
  media: 'connecting' | 'connected' | 'reconnecting';
  endedReason: CallEndReason | null;
  /** When the call ended (for the summary), ms since epoch. */
  endedAt: number | null;
  error: AppError | null;
  /** Why the call ended while this machine was away (asleep, offline), in words; shown instead of the reason. */
  awayNote: string | null;
}

export interface ListenStats {
  packetsReceived: number;
  packetsLost: number;
  /** inbound-rtp audioLevel, 0..1. */
  audioLevel: number;
  jitterMs: number;
}

/** The call this person listens to. */
export interface ListenState {
  phase: 'idle' | 'joining' | 'connecting' | 'playing' | 'rejoining' | 'ended' | 'failed';
  callId: string | null;
  call: CallSummary | null;
  hostState: CallSummary['hostState'];
  endedReason: CallEndReason | null;
  error: AppError | null;
  stats: ListenStats | null;
  stereo: boolean;
  /** -1 = only the rep (left), 0 = both, 1 = only the customer (right). */
  balance: number;
  /** 0..1.5 playback volume. */
  volume: number;
}

/** A clip this person marked during the current call. */
export interface MarkedClip {
  clip: ClipSummary;
  preRollSec: number;
  postRollSec: number;
  /** When it should be playable by this machine's clock (the server's `readyAt` may be skewed). */
  readyAtLocal: number;
}

/** Clips marked during one live call, and the clip panel. */
export interface ClipsState {
  /** The call the marked clips belong to; marking in another call starts a fresh list. */
  callId: string | null;
  /** Oldest first. */
  marked: MarkedClip[];
  /**
   * The clip the panel edits (null: closed). `focus`: it was opened from the button, so focus
   * moves into it; a hotkey never takes focus away from what the person is doing.
   */
  panel: { clipId: string; focus: boolean } | null;
  marking: boolean;
  /** The last marking failure, shown by the clip button. */
  error: AppError | null;
}

export interface Notice {
  id: number;
  tone: 'info' | 'error' | 'success';
  text: string;
}

export interface AppState {
  boot: BootState;
  platformKind: 'electron' | 'browser';
  serverUrl: string;
  needsSetup: boolean;
  me: { user: User; team: Team } | null;
  /** Why the person was signed out, shown on the sign-in screen. */
  signedOutReason: string | null;
  /** The link to the server as the shell shows it (services/reconnect-policy.ts). */
  connection: ConnectionView;
  prefs: DevicePrefs;
  callAudioModes: CallAudioMode[];
  /** The operating system (for which call-audio source to pick). */
  os: HostOs;
  /** Pre-/post-roll and the desktop shortcut, from the shell's settings. */
  clipPrefs: ClipPrefs;
  host: HostState;
  listen: ListenState;
  clips: ClipsState;
  /** The host's live questions counter and whispers for its current call. */
  hostAsks: HostAsksState;
  notices: Notice[];
}

/** What the host sees live of questions (a count, never text) and whispers on its call. */
export interface HostAsksState {
  callId: string | null;
  count: number;
  whispers: WhisperPush[];
}

export const initialHostAsks: HostAsksState = { callId: null, count: 0, whispers: [] };

export const initialHost: HostState = {
  phase: 'idle',
  call: null,
  listeners: [],
  media: 'connecting',
  endedReason: null,
  endedAt: null,
  error: null,
  awayNote: null,
};

export const initialListen: ListenState = {
  phase: 'idle',
  callId: null,
  call: null,
  hostState: 'live',
  endedReason: null,
  error: null,
  stats: null,
  stereo: true,
  balance: 0,
  volume: 1,
};

export const initialClips: ClipsState = { callId: null, marked: [], panel: null, marking: false, error: null };

export const initialState: AppState = {
  boot: { status: 'loading' },
  platformKind: 'browser',
  serverUrl: '',
  needsSetup: false,
  me: null,
  signedOutReason: null,
  connection: 'offline',
  prefs: DEFAULT_DEVICE_PREFS,
  callAudioModes: [],
  os: 'other',
  clipPrefs: DEFAULT_CLIP_PREFS,
  host: initialHost,
  listen: initialListen,
  clips: initialClips,
  hostAsks: initialHostAsks,
  notices: [],
};

export const useAppStore = create<AppState>()(() => initialState);

/** Shorthand for services: the store's current state and partial updates. */
export const store = {
  get: useAppStore.getState,
  set: useAppStore.setState,
  host(patch: Partial<HostState>): void {
    useAppStore.setState((s) => ({ host: { ...s.host, ...patch } }));
  },
  listen(patch: Partial<ListenState>): void {
    useAppStore.setState((s) => ({ listen: { ...s.listen, ...patch } }));
  },
  clips(patch: Partial<ClipsState>): void {
    useAppStore.setState((s) => ({ clips: { ...s.clips, ...patch } }));
  },
};

let noticeId = 0;

/** Shows a transient message (auto-dismissed by the UI). */
export function notify(text: string, tone: Notice['tone'] = 'info'): void {
  const notice: Notice = { id: ++noticeId, tone, text };
  useAppStore.setState((s) => ({ notices: [...s.notices.slice(-3), notice] }));
}

export function dismissNotice(id: number): void {
  useAppStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
