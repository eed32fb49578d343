import type { Assignment, StepProgress } from '../../../contract';
import type { NotFoundContent } from '../components/load-state-page';
import { routeHref } from '../routing';
import { dueLabel, percentDone, progressSummary, stepStateLabel } from './progress';

/** What a path's pages say when the path is gone or on another team. */
export const pathNotFound: NotFoundContent = {
  title: 'This path was deleted or is not on your team',
  heading: 'Path not found',
  text: 'Pick another path from the list.',
  testId: 'path-not-found',
  back: { href: routeHref({ name: 'paths' }), label: 'All paths' },
};

/** An assignment's heading: its title, the summary line, the due date (or overdue) and a progress bar. */
export function AssignmentHead({ assignment, title, headingId }: { assignment: Assignment; title: string; headingId: string }) {
  const percent = percentDone(assignment);
  return (
    <header className="onboarding-head">
      <div className="onboarding-head-text">
        <h2 id={headingId}>{title}</h2>
        <p className="muted">
          <span data-testid="onboarding-summary">{progressSummary(assignment)}</span>
          {' · '}
          <span className={assignment.overdue ? 'onboarding-overdue' : undefined} data-testid="onboarding-due">
            {dueLabel(assignment)}
          </span>
        </p>
      </div>
      {assignment.overdue ? <span className="badge badge-danger">Overdue</span> : null}
      <progress className="onboarding-progress" max={100} value={percent} aria-label={`${title}: ${percent} % done`} />
    </header>
  );
}

/** A step's state as a small badge (done, to do, so far, unavailable). */
export function StepBadge({ step }: { step: StepProgress }) {
  return (
    <span className={`badge onboarding-badge is-${step.state}`} data-testid="step-state">
      {stepStateLabel(step)}
    </span>
  );
}
