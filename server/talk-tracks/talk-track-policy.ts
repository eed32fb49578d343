/**
 * Who may do what with talk tracks: the one rule set every entry point asks. Everyone on the
 * team reads every track; the service scopes every query to the caller's team.
 */
import { can, mayWriteTalkTracks, type Role } from '../../contract';

/** The person acting, as the policy needs them. */
export interface TrackActor {
  id: string;
  role: Role;
}

/** May the actor write talk tracks (create, save versions, restore, add examples)? */
export function mayWrite(actor: TrackActor, repsMayWrite: boolean): boolean {
  return mayWriteTalkTracks(actor.role, repsMayWrite);
}

/** May the actor delete the track? Its author, managers and admins. */
export function mayDelete(actor: TrackActor, track: { authorId: string }): boolean {
  return track.authorId === actor.id || can.seeEverything(actor.role);
}

/** May the actor change the team's talk track setting (reps writing)? Admins only. */
export function mayChangeSettings(actor: TrackActor): boolean {
  return can.manageTeam(actor.role);
}
