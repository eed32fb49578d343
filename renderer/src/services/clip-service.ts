import { clipDisplayTitle, type AppError, type CallSummary, type ClipSummary, type Result, type UpdateClipBody } from '../../../contract';
import { clientError, describeError } from '../api/errors';
import type { RestClient } from '../api/rest-client';
import type { SocketClient } from '../api/socket-client';
import type { ClipPrefs, Platform } from '../platform/platform';
import { initialClips, notify, store, type MarkedClip } from '../state/store';

/** Shown wherever a clip cannot be made because the call is not recorded. */
export const NOT_RECORDED_TEXT = "This call isn't recorded, so it can't be clipped";

/** Two hotkey presses this close together are one press (desktop: window and global shortcut). */
const HOTKEY_DEBOUNCE_MS = 800;

/** Where a mark came from: the button moves focus into the clip panel, a shortcut never does. */
export type MarkSource = 'button' | 'shortcut';

/** Whether a keyboard event is the in-window clip shortcut, Ctrl+Shift+K (Cmd+Shift+K on a Mac). */
export function isClipShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === 'KeyK';
}

/**
 * Clips of live calls: marking (`clip:mark`) from the button, the in-window shortcut and the
 * desktop's global shortcut; the `clip:ready` pushes; editing title, note, tags and
 * visibility (`updateClip`); clip settings. Reports into the store's `clips` and `clipPrefs`.
 */
export class ClipService {
  readonly #platform: Platform;
  readonly #socket: () => SocketClient | null;
  readonly #rest: () => RestClient;
  /** Clip views on screen (host or listen screen); without one, a hotkey mark says so in a notice. */
  #views = 0;
  #lastShortcutAt = 0;
  #unsubscribe: (() => void)[] = [];

  constructor(platform: Platform, socket: () => SocketClient | null, rest: () => RestClient) {
    this.#platform = platform;
    this.#socket = socket;
    this.#rest = rest;
  }

  /**
   * Listens for the clip shortcuts: Ctrl/Cmd+Shift+K in the window and, on desktop, the global
   * shortcut (which also fires while the app is in the background), and reports a global
   * shortcut that could not be registered. Idempotent.
   */
  start(): void {
    if (this.#unsubscribe.length > 0) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || !isClipShortcut(event) || !store.get().me) return;
      event.preventDefault();
      void this.markCurrent();
    };
    window.addEventListener('keydown', onKey);
    this.#unsubscribe = [
      () => window.removeEventListener('keydown', onKey),
      this.#platform.onClipHotkey(() => {
        if (store.get().me) void this.markCurrent();
      }),
      // A global shortcut taken by another app is worth knowing wherever the person is.
      this.#platform.onClipHotkeyError((message) => notify(message, 'error')),
    ];
  }

  /** Loads the clip settings into the store (at boot). */
  async loadPrefs(): Promise<void> {
    try {
      store.set({ clipPrefs: await this.#platform.loadClipPrefs() });
    } catch {
      // Defaults stay in place: clipping still works with 30 s before and 10 s after.
    }
  }

  /** Saves clip settings; resolves with the shell's refusal (e.g. a shortcut taken), or null. */
  async savePrefs(patch: Partial<ClipPrefs>): Promise<string | null> {
    let refused: string | null;
    try {
      refused = await this.#platform.saveClipPrefs(patch);
    } catch (error) {
      refused = error instanceof Error && error.message ? error.message : 'Your clip settings could not be saved.';
    }
    if (!refused) store.set((s) => ({ clipPrefs: { ...s.clipPrefs, ...patch } }));
    return refused;
  }

  /** A clip view is on screen; returns its detach. */
  attachView(): () => void {
    this.#views++;
    let attached = true;
    return () => {
      if (attached) this.#views--;
      attached = false;
    };
  }

  /** The call this person may clip right now: the one they host, else the one they listen to. */
  currentCall(): CallSummary | null {
    const { host, listen } = store.get();
    if (host.phase === 'live' && host.call) return host.call;
    if (listen.call && (listen.phase === 'connecting' || listen.phase === 'playing' || listen.phase === 'rejoining')) return listen.call;
    return null;
  }

  /** A shortcut was pressed: clip the current call, or say why not. */
  async markCurrent(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastShortcutAt < HOTKEY_DEBOUNCE_MS) return;
    this.#lastShortcutAt = now;
    const call = this.currentCall();
    if (!call) {
      notify('Clips are made during a call: go live or listen to a recorded call, then press the shortcut.');
      return;
    }
    const result = await this.mark(call, 'shortcut');
    if (!result.ok && this.#views === 0) notify(describeError(result.error), 'error');
  }

  /**
   * Marks a clip of [now − pre-roll, now + post-roll] in `call` and opens the clip panel on it.
   * The reply comes at once (status `pending`); `clip:ready` follows once it is playable.
   */
  async mark(call: CallSummary, source: MarkSource): Promise<Result<ClipSummary>> {
    if (store.get().clips.callId !== call.id) store.set({ clips: { ...initialClips, callId: call.id } });
    if (!call.recording) return this.#markFailed(call.id, clientError('NOT_RECORDED', `${NOT_RECORDED_TEXT}.`));
    const socket = this.#socket();
    if (!socket) return this.#markFailed(call.id, clientError('UNAVAILABLE', 'Not connected to the server yet.'));
    const { preRollSec, postRollSec } = store.get().clipPrefs;
    store.clips({ marking: true, error: null });
    const reply = await socket.request('clip:mark', { callId: call.id, preRollSec, postRollSec });
    if (store.get().clips.callId !== call.id) return reply.ok ? { ok: true, value: reply.value.clip } : reply;
    if (!reply.ok) return this.#markFailed(call.id, reply.error);
    const { clip } = reply.value;
    const marked: MarkedClip = {
      clip,
      preRollSec,
      postRollSec,
      readyAtLocal: Date.now() + Math.max(0, clip.readyAt - clip.createdAt),
    };
    store.set((s) => ({
      clips: { ...s.clips, marking: false, error: null, marked: [...s.clips.marked, marked], panel: { clipId: clip.id, focus: source === 'button' } },
    }));
    if (this.#views === 0) notify(`Clip saved from “${call.title}”. Open the call to add a title and a note.`, 'success');
    return { ok: true, value: clip };
  }

  /** Opens the panel on a clip of this call (from its list); focus moves into it. */
  openPanel(clipId: string): void {
    store.clips({ panel: { clipId, focus: true } });
  }

  closePanel(): void {
    store.clips({ panel: null });
  }

  /** Saves a clip's title, note, tags and visibility. */
  async update(clipId: string, body: UpdateClipBody): Promise<Result<ClipSummary>> {
    const reply = await this.#rest().call('updateClip', { params: { id: clipId }, body });
    if (!reply.ok) return reply;
    this.#replace(reply.value.clip);
    return { ok: true, value: reply.value.clip };
  }

  // --- pushes from the server, wired by the session ---

  /** A clip this person marked is playable (or failed). */
  onReady(clip: ClipSummary): void {
    const known = store.get().clips.marked.some((m) => m.clip.id === clip.id);
    if (!known) return;
    this.#replace(clip);
    if (clip.status === 'failed') notify('A clip could not be cut: the recording has no audio for that moment.', 'error');
    else if (clip.status === 'ready' && this.#views === 0) notify(`Your clip “${clipDisplayTitle(clip)}” is ready in the library.`, 'success');
  }

  /** Signing out: forget this call's clips (the shortcuts stay wired; they act only when signed in). */
  shutdown(): void {
    store.set({ clips: initialClips });
  }

  /** Updates a marked clip, never moving it back from ready/failed to pending (a late reply). */
  #replace(clip: ClipSummary): void {
    store.set((s) => ({
      clips: {
        ...s.clips,
        marked: s.clips.marked.map((m) => {
          if (m.clip.id !== clip.id) return m;
          if (clip.status === 'pending' && m.clip.status !== 'pending') {
            const { title, note, tags, visibility } = clip;
            return { ...m, clip: { ...m.clip, title, note, tags, visibility } };
          }
          return { ...m, clip };
        }),
      },
    }));
  }

  #markFailed(callId: string, error: AppError): Result<ClipSummary> {
    if (store.get().clips.callId === callId) store.clips({ marking: false, error });
    return { ok: false, error };
  }
}
