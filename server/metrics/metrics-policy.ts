/**
 * Who may read which metrics: the one rule set every entry point (the JSON route and the CSV
 * export, both through the metrics service) asks.
 *
 * Trust, not surveillance: everyone sees their own weekly row (including their own teaching
 * credit); managers and admins see the whole team's. Nobody sees anyone's per-listen timeline:
 * only weekly totals are ever computed for a reply.
 */
import { can, type Role } from '../../contract';

interface Person {
  id: string;
  role: Role;
}

export const metricsPolicy = {
  /** Every member's rows (and every mentor pair) are for managers and admins. */
  mayReadTeam: (p: Person): boolean => can.seeEverything(p.role),
  /** One person's rows: their own, or anyone's for a manager or admin. */
  mayReadPerson: (viewer: Person, personId: string): boolean => viewer.id === personId || can.seeEverything(viewer.role),
};
