import type { BoardCall, CallSummary, ListenerInfo, ListenPolicy } from '../../../contract';
import { nameList, policyLabels } from '../labels';

/** What the host's controls show (and may change) about a call. */
export type HostControlledFields = Pick<CallSummary, 'policy' | 'recording' | 'paused' | 'managersMayJoin' | 'managersAlwaysJoin'>;

const CONTROLLED: (keyof HostControlledFields)[] = ['policy', 'recording', 'paused', 'managersMayJoin', 'managersAlwaysJoin'];

/**
 * `call` with the fields the host's controls own taken from `fresh` (a board push or a reply),
 * everything else kept: the host's own copy has newer host state and listeners from their own
 * pushes. Returns `call` itself when nothing changed (so the store does not re-render).
 */
export function withControlledFields(call: CallSummary, fresh: Partial<HostControlledFields>): CallSummary {
  let next: CallSummary | null = null;
  for (const key of CONTROLLED) {
    if (fresh[key] === undefined || fresh[key] === call[key]) continue;
    next ??= { ...call };
    (next as Record<string, unknown>)[key] = fresh[key];
  }
  return next ?? call;
}

/** The open board entry of `callId`, if the board has one. */
export function boardEntryOf(calls: BoardCall[], callId: string): CallSummary | null {
  const entry = calls.find((c) => c.id === callId);
  return entry && !entry.restricted ? entry : null;
}

/** How the host's "Let managers join" switch looks: on/off, and whether the team setting overrides it. */
export function managersSwitch(call: Pick<CallSummary, 'managersMayJoin' | 'managersAlwaysJoin'>): { checked: boolean; overridden: boolean } {
  return { checked: call.managersMayJoin ?? true, overridden: call.managersAlwaysJoin ?? true };
}

/**
 * The message after the host changed who may listen: the new policy and who was dropped
 * (listeners before the change who are gone from the reply's list).
 */
export function policyChangeMessage(policy: ListenPolicy, before: ListenerInfo[], after: ListenerInfo[]): string {
  const still = new Set(after.map((l) => l.userId));
  const dropped = before.filter((l) => !still.has(l.userId)).map((l) => l.name);
  const head = `${policyLabels[policy]} may listen now.`;
  if (dropped.length === 0) return head;
  return `${head} ${nameList(dropped, 4)} can no longer listen and ${dropped.length === 1 ? 'was' : 'were'} told why.`;
}

/** The listener's status line while listening, in order of what matters most. */
export function listenStatusText(phase: string, hostState: CallSummary['hostState'], paused: boolean): string {
  if (phase === 'joining') return 'Joining the call…';
  if (phase === 'connecting') return 'Connecting audio…';
  if (phase === 'rejoining') return 'Connection lost. Rejoining…';
  if (hostState === 'reconnecting') return 'The host’s connection dropped. Waiting for them to come back…';
  if (paused) return 'Paused by host. You hear silence until they resume sharing.';
  return 'Listening silently: no one on the call can hear you.';
}
