import type { Assignment, StepProgress } from '../../../contract';
import { dueLabel, percentDone, progressSummary, stepStateLabel } from './progress';

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
