/**
 * Who may do what with reviews: the one rule set every entry point (HTTP routes through the
 * review service, and anything else that ever carries scores) asks.
 *
 * Scores rate a person. The reviewed rep (the host of the clip's call), managers and admins see a
 * clip's scorecard; nobody else does, not even the clip's maker or the rep's mentor.
 */
import { can, type Role } from '../../contract';

interface Person {
  id: string;
  role: Role;
}

export const reviewPolicy = {
  /** Reviewing (the queue, submitting a scorecard) is for managers and admins. */
  mayReview: (p: Person): boolean => can.seeEverything(p.role),
  /** Changing the team's rubric is for admins. */
  mayEditRubric: (p: Person): boolean => can.manageTeam(p.role),
  /** May `viewer` see the scores of `repId` (a scorecard, a rep's scorecard history)? */
  maySeeScores: (viewer: Person, repId: string): boolean => viewer.id === repId || can.seeEverything(viewer.role),
  /** A scorecard is edited by its own reviewer, while they still may review. */
  mayEditScorecard: (p: Person, card: { reviewerId: string }): boolean => card.reviewerId === p.id && can.seeEverything(p.role),
};
