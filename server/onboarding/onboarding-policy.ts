/**
 * Who may do what with onboarding paths: the one rule set every entry point (HTTP routes through
 * the onboarding service) asks. The service scopes every query to the caller's team.
 */
import { can, type Role } from '../../contract';

interface Person {
  id: string;
  role: Role;
}

export const onboardingPolicy = {
  /** Building, editing and assigning paths, seeing others' progress and nudging: managers and admins. */
  mayManage: (p: Person): boolean => can.seeEverything(p.role),
  /** An assignment's progress is seen by its assignee, managers and admins. */
  maySeeAssignment: (p: Person, a: { userId: string }): boolean => a.userId === p.id || can.seeEverything(p.role),
  /** Only the assignee works on their steps (nobody marks another's step done, managers included). */
  mayWorkOn: (p: Person, a: { userId: string }): boolean => a.userId === p.id,
};
