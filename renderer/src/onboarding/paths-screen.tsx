import { useQuery } from '@tanstack/react-query';
import { can } from '../../../contract';
import { EmptyState, LoadingBlock, RetryNote } from '../components/feedback';
import { formatDate } from '../labels';
import { count } from '../library-labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { onboardingQueries } from './onboarding-queries';

/** Managers: the team's onboarding paths, newest edit first, and a way to build a new one. */
export function PathsScreen() {
  const role = useAppStore((s) => s.me?.user.role);
  if (role && !can.seeEverything(role)) {
    return (
      <section className="page" aria-labelledby="paths-title">
        <h1 id="paths-title">Onboarding paths</h1>
        <EmptyState title="Paths are built by managers" testId="paths-not-allowed">
          <p>
            Your own steps are in <a href={routeHref({ name: 'onboarding' })}>My onboarding</a>.
          </p>
        </EmptyState>
      </section>
    );
  }
  return <PathList />;
}

function PathList() {
  const session = useSession();
  const paths = useQuery(onboardingQueries.paths(session.rest));
  return (
    <section className="page" aria-labelledby="paths-title">
      <div className="page-head">
        <div>
          <h1 id="paths-title">Onboarding paths</h1>
          <p className="muted">Ordered steps for new reps: clips to hear, talk tracks to read, calls to shadow, tasks. Assign a path and follow each person’s progress.</p>
        </div>
        <a className="btn btn-primary" href={routeHref({ name: 'path-edit', id: 'new' })}>
          New path
        </a>
      </div>
      {paths.isError ? (
        <RetryNote error={paths.error} onRetry={() => void paths.refetch()} />
      ) : !paths.data ? (
        <LoadingBlock label="Loading paths…" />
      ) : paths.data.paths.length === 0 ? (
        <EmptyState title="No paths yet" testId="paths-empty">
          <p>Build a path once and assign it to every new hire.</p>
          <a className="btn btn-secondary" href={routeHref({ name: 'path-edit', id: 'new' })}>
            Build the first path
          </a>
        </EmptyState>
      ) : (
        <ul className="library-list" aria-label="Paths">
          {paths.data.paths.map((p) => (
            <li key={p.id} className="library-row" data-testid="path-row">
              <div className="library-main">
                <a className="library-title" href={routeHref({ name: 'path', id: p.id })}>
                  {p.name}
                </a>
                <p className="library-meta muted">
                  <span>{count(p.steps.length, 'step')}</span>
                  <span>{p.assigneeCount === 0 ? 'not assigned yet' : `assigned to ${count(p.assigneeCount, 'person', 'people')}`}</span>
                  <span>edited {formatDate(p.updatedAt)}</span>
                  {p.steps.some((s) => !s.available) ? <span className="onboarding-overdue">has unavailable steps</span> : null}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
