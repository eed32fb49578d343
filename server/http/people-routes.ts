import { routes } from '../../contract';
import type { PeopleService } from '../people/people-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the people's lifecycle routes: deactivate, reactivate, delete, reset links, team name. */
export function registerPeopleRoutes(router: ContractRoutes, people: PeopleService): void {
  router.authed(routes.deactivateMember, async ({ caller, params }) => ({ member: await people.deactivate(caller, params.id) }));
  router.authed(routes.reactivateMember, async ({ caller, params }) => ({ member: await people.reactivate(caller, params.id) }));
  router.authed(routes.deleteMember, async ({ caller, params, body }) => await people.delete(caller, params.id, body));
  router.authed(routes.issuePasswordReset, async ({ caller, params }) => await people.issuePasswordReset(caller, params.id));
  // Reset tokens travel in bodies, never in a URL a log or proxy would keep.
  router.public(routes.checkPasswordReset, async ({ body }) => await people.resetState(body.token));
  router.public(routes.completePasswordReset, async ({ body }) => await people.completePasswordReset(body.token, body.password));
  router.authed(routes.renameTeam, async ({ caller, body }) => ({ team: await people.renameTeam(caller, body.name) }));
}
