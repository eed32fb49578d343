import { routes } from '../../contract';
import type { QuestionService } from '../questions/question-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the question queue, "my questions", debrief, answer and dismiss routes. */
export function registerQuestionRoutes(router: ContractRoutes, questions: QuestionService): void {
  router.authed(routes.questionQueue, async ({ caller }) => ({ questions: await questions.queue(caller) }));
  router.authed(routes.myQuestions, async ({ caller }) => ({ questions: await questions.mine(caller) }));
  router.authed(routes.debrief, async ({ caller, params }) => await questions.debrief(caller, params.id));
  router.authed(routes.answerQuestion, async ({ caller, params, body }) => ({ question: await questions.answer(caller, params.id, body.answer) }));
  router.authed(routes.dismissQuestion, async ({ caller, params }) => ({ question: await questions.dismiss(caller, params.id) }));
}
