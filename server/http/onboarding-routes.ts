import { routes } from '../../contract';
import type { OnboardingService } from '../onboarding/onboarding-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the onboarding path routes: each parses (the contract does), calls one service method, replies. */
export function registerOnboardingRoutes(router: ContractRoutes, onboarding: OnboardingService): void {
  router.authed(routes.paths, async ({ caller }) => ({ paths: await onboarding.paths(caller) }));
  router.authed(routes.createPath, async ({ caller, body }) => ({ path: await onboarding.createPath(caller, body) }));
  router.authed(routes.path, async ({ caller, params }) => await onboarding.path(caller, params.id));
  router.authed(routes.updatePath, async ({ caller, params, body }) => ({ path: await onboarding.updatePath(caller, params.id, body) }));
  router.authed(routes.assignPath, async ({ caller, params, body }) => ({ assignments: await onboarding.assign(caller, params.id, body) }));
  router.authed(routes.myOnboarding, async ({ caller }) => ({ assignments: await onboarding.mine(caller) }));
  router.authed(routes.stepAction, async ({ caller, params, body }) => ({
    assignment: await onboarding.stepAction(caller, params.id, params.stepId, body.action),
  }));
  router.authed(routes.stepPlayback, async ({ caller, params, body }) => ({
    assignment: await onboarding.playback(caller, params.id, params.stepId, body.ranges),
  }));
  router.authed(routes.nudge, async ({ caller, params, body }) => {
    await onboarding.nudge(caller, params.id, body.note);
    return {};
  });
}
