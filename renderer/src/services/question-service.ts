import type { AskQuestionInput, QuestionView, Result, WhisperPush } from '../../../contract';
import { clientError } from '../api/errors';
import type { SocketClient } from '../api/socket-client';
import { initialHostAsks, store } from '../state/store';

/** How many whispers the host's live view keeps (the newest). */
const MAX_WHISPERS = 20;

/**
 * Silent questions and whispers over the socket: asking and whispering as a listener, and the
 * host's live question counter and whispers (reported into the store).
 */
export class QuestionService {
  readonly #socket: () => SocketClient | null;

  constructor(socket: () => SocketClient | null) {
    this.#socket = socket;
  }

  async ask(input: AskQuestionInput): Promise<Result<QuestionView>> {
    const socket = this.#socket();
    if (!socket) return { ok: false, error: clientError('UNAVAILABLE', 'Not connected to the server.') };
    const reply = await socket.request('question:ask', input);
    return reply.ok ? { ok: true, value: reply.value.question } : reply;
  }

  async whisper(callId: string, text: string): Promise<Result<null>> {
    const socket = this.#socket();
    if (!socket) return { ok: false, error: clientError('UNAVAILABLE', 'Not connected to the server.') };
    const reply = await socket.request('whisper:send', { callId, text });
    return reply.ok ? { ok: true, value: null } : reply;
  }

  // --- pushes to the host, wired by the session ---

  onCount(callId: string, count: number): void {
    store.set((s) => ({ hostAsks: { ...(s.hostAsks.callId === callId ? s.hostAsks : initialHostAsks), callId, count } }));
  }

  onWhisper(whisper: WhisperPush): void {
    store.set((s) => {
      const current = s.hostAsks.callId === whisper.callId ? s.hostAsks : { ...initialHostAsks, callId: whisper.callId };
      return { hostAsks: { ...current, whispers: [...current.whispers, whisper].slice(-MAX_WHISPERS) } };
    });
  }

  /** The host's call changed (a new call, or signed out): forget the last one's counter and whispers. */
  reset(): void {
    store.set({ hostAsks: initialHostAsks });
  }
}
