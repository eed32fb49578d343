/**
 * One AudioContext for the whole app (host mix and listener playback). Browsers start it
 * suspended until the person interacts with the page, so callers resume it from clicks.
 */
let context: AudioContext | null = null;

export function audioContext(): AudioContext {
  if (!context || context.state === 'closed') {
    context = new AudioContext({ latencyHint: 'interactive' });
    // A context created before any click stays suspended; the first click anywhere wakes it.
    if (context.state === 'suspended') {
      const wake = () => void context?.resume().catch(() => undefined);
      document.addEventListener('pointerdown', wake, { once: true, capture: true });
      document.addEventListener('keydown', wake, { once: true, capture: true });
    }
  }
  return context;
}

/** Resumes the shared context; call from a user gesture (Go live, Listen). */
export async function resumeAudio(): Promise<void> {
  const ctx = audioContext();
  if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
}
