import { routes } from '../../contract';
import type { ReviewService } from '../reviews/review-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the rubric, review queue and scorecard routes: each parses, calls one service method and replies. */
export function registerReviewRoutes(router: ContractRoutes, reviews: ReviewService): void {
  router.authed(routes.rubric, async ({ caller }) => ({ skills: await reviews.rubric(caller) }));
  router.authed(routes.updateRubric, async ({ caller, body }) => ({ skills: await reviews.setRubric(caller, body.skills) }));
  router.authed(routes.reviewQueue, async ({ caller, query }) => await reviews.queue(caller, query));
  router.authed(routes.clipScorecard, async ({ caller, params }) => ({ scorecard: await reviews.forClip(caller, params.id) }));
  router.authed(routes.submitScorecard, async ({ caller, params, body }) => ({ scorecard: await reviews.submit(caller, params.id, body) }));
  router.authed(routes.editScorecard, async ({ caller, params, body }) => ({ scorecard: await reviews.edit(caller, params.id, body) }));
  router.authed(routes.scorecards, async ({ caller, query }) => await reviews.forRep(caller, query.rep));
}
