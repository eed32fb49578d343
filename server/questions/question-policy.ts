import { BullpenError, can, type User } from '../../contract';

/**
 * Who may do what with silent questions and whispers: the one rule set every entry point
 * (socket handlers, HTTP routes, pushes) goes through.
 */

/** What a reader is to a question: its asker, the call's host, a manager it was shared with, or nobody. */
export type QuestionReader = 'asker' | 'host' | 'manager' | null;

/** How `viewer` may read a question of a call hosted by `hostId`. */
export function questionReader(
  viewer: Pick<User, 'id' | 'role'>,
  q: { askerId: string; hostId: string; shareWithManagers: boolean },
): QuestionReader {
  if (q.askerId === viewer.id) return 'asker';
  if (q.hostId === viewer.id) return 'host';
  if (can.seeEverything(viewer.role) && q.shareWithManagers) return 'manager';
  return null;
}

/**
 * Whether a reader learns who asked. An anonymous question names its asker to nobody but the
 * asker (the host never; managers neither, so it cannot reach the host through them).
 */
export function revealsAsker(reader: QuestionReader, anonymous: boolean): boolean {
  return reader === 'asker' || (reader !== null && !anonymous);
}

/**
 * Whether the host reads a call's questions now: after the call, or during it when the host
 * chose live questions.
 */
export function hostReadsNow(call: { endedAt: number | null; questionsMode: string }): boolean {
  return call.endedAt !== null || call.questionsMode === 'live';
}

/** Refuses anyone but a current listener of the call (the host never listens to their own call). */
export function assertMayAsk(viewer: Pick<User, 'id'>, call: { hostId: string; hasListener(userId: string): boolean }): void {
  if (viewer.id === call.hostId) throw new BullpenError('NOT_LISTENING', 'You host this call; questions come from its listeners.');
  if (!call.hasListener(viewer.id)) throw new BullpenError('NOT_LISTENING', 'Only people listening to this call can ask its host.');
}

/** Refuses anyone but the call's host (answering and dismissing). */
export function assertHost(viewer: Pick<User, 'id'>, hostId: string): void {
  if (viewer.id !== hostId) throw new BullpenError('NOT_HOST', 'Only the host of the call can answer its questions.');
}

/** Refuses a whisper unless a manager listening to a call whose host allowed whispers sends it. */
export function assertMayWhisper(
  viewer: Pick<User, 'id' | 'role'>,
  call: { hostId: string; whispers: boolean; hasListener(userId: string): boolean },
): void {
  if (!can.seeEverything(viewer.role)) throw new BullpenError('NOT_ALLOWED', 'Only managers riding along can whisper to the host.');
  if (!call.hasListener(viewer.id)) throw new BullpenError('NOT_LISTENING', 'Listen to the call to whisper to its host.');
  if (!call.whispers) throw new BullpenError('NOT_ALLOWED', 'The host did not allow whispers on this call.');
}
