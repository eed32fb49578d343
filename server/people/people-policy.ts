/**
 * Who may manage people and read the audit log: the one rule every entry point of
 * server/people and server/audit calls (routes never decide it themselves).
 */
import { BullpenError, can } from '../../contract';
import type { Caller } from '../auth/auth-service';

/** Admins only: managers and reps are refused with FORBIDDEN. */
export function assertPeopleAdmin(caller: Caller): void {
  if (!can.manageTeam(caller.user.role)) throw new BullpenError('FORBIDDEN', 'Only admins can do that.');
}

/** An admin acting on a member: never on themselves (another admin must). */
export function assertNotSelf(caller: Caller, memberId: string, action: string): void {
  if (caller.user.id === memberId) throw new BullpenError('FORBIDDEN', `You cannot ${action} yourself. Ask another admin.`);
}

/** Who an action is by, as the audit log names them. */
export function actorOf(caller: Caller): { id: string; name: string } {
  return { id: caller.user.id, name: caller.user.name };
}
