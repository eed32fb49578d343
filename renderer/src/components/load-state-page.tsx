import type { AppError } from '../../../contract';
import { EmptyState, LoadingBlock, RetryNote } from './feedback';

/** What to show when the page's item is gone (the load failed with `NOT_FOUND`). */
export interface NotFoundContent {
  /** The visible heading, e.g. "This clip was deleted or you can’t see it". */
  title: string;
  /** The page's `<h1>` for screen readers, e.g. "Clip not found". */
  heading: string;
  text: string;
  testId: string;
  back: { href: string; label: string };
}

/**
 * The whole page of a screen about one item while that item loads, or when it could not be
 * loaded: a way back when it is gone, the error and a retry otherwise. The page's `<h1>` has id
 * `titleId`, as on the loaded page.
 */
export function LoadStatePage({
  error,
  title,
  titleId,
  loadingLabel,
  notFound,
  onRetry,
}: {
  /** The load's error; null while it loads. */
  error: AppError | null;
  /** The `<h1>` above a load error, and the page's name while loading. */
  title: string;
  titleId: string;
  loadingLabel: string;
  notFound: NotFoundContent;
  onRetry(): void;
}) {
  if (!error) {
    return (
      <section className="page" aria-label={title}>
        <LoadingBlock label={loadingLabel} />
      </section>
    );
  }
  return (
    <section className="page" aria-labelledby={titleId}>
      {error.code === 'NOT_FOUND' ? (
        <EmptyState title={notFound.title} testId={notFound.testId}>
          <h1 id={titleId} className="sr-only">
            {notFound.heading}
          </h1>
          <p>{notFound.text}</p>
          <a className="btn btn-secondary" href={notFound.back.href}>
            {notFound.back.label}
          </a>
        </EmptyState>
      ) : (
        <>
          <h1 id={titleId}>{title}</h1>
          <RetryNote error={error} onRetry={onRetry} />
        </>
      )}
    </section>
  );
}
