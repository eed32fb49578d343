import { useEffect, useId, useRef, useState } from 'react';
import { clipDisplayTitle } from '../../../contract';
import { describeError } from '../api/errors';
import { Button, ErrorNote } from '../components/feedback';
import { useNow } from '../hooks/use-now';
import { formatDuration } from '../labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify, type MarkedClip } from '../state/store';
import { CLIP_BUTTON_ID } from './clip-bar';
import { ClipFields, ClipForm, clipFormValues, useClipForm, type ClipFormValues } from './clip-form';

/** The "Clips this call" heading: focus goes there when the panel closes after the call. */
export const CLIP_LIST_HEADING_ID = 'clips-this-call';

const LABELS = { title: 'Clip title', note: 'Clip note' };

function sameValues(a: ClipFormValues, b: ClipFormValues): boolean {
  return a.title === b.title && a.note === b.note && a.visibility === b.visibility && a.tags.join('\n') === b.tags.join('\n');
}

/** Moves focus back to the Clip button (or the clip list when the call is over). */
function focusAfterPanel(): void {
  const button = document.getElementById(CLIP_BUTTON_ID);
  if (button instanceof HTMLButtonElement && !button.disabled) {
    button.focus();
    return;
  }
  const heading = document.getElementById(CLIP_LIST_HEADING_ID);
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/**
 * Title, note, tags and visibility of a clip just marked. Not a modal: the call keeps playing
 * and the rest of the screen keeps working. Focus moves in only when opened from the button;
 * unsaved changes are saved when the panel goes (another clip marked, the screen left).
 */
export function ClipPanel({ marked, focus }: { marked: MarkedClip; focus: boolean }) {
  const session = useSession();
  const { clip } = marked;
  const headingId = useId();
  const panel = useRef<HTMLFormElement>(null);
  const form = useClipForm(clipFormValues(clip), LABELS);
  const { getValues, reset } = form.form;
  // Dirty against what the server kept (`reset` after each save moves the baseline).
  const dirty = form.form.formState.isDirty;
  const [saved, setSaved] = useState(false);

  // Save what was typed if the panel goes away without Save or Done.
  const latest = useRef({ kept: clipFormValues(clip), busy: form.busy });
  useEffect(() => {
    latest.current.busy = form.busy;
  });
  useEffect(() => {
    const clipId = clip.id;
    const ref = latest;
    return () => {
      const values = getValues();
      if (ref.current.busy || sameValues(values, ref.current.kept)) return;
      const parsed = ClipForm.safeParse(values);
      if (!parsed.success) return;
      void session.clips.update(clipId, parsed.data).then((result) => {
        if (!result.ok) notify(`Your changes to a clip were not saved. ${describeError(result.error)}`, 'error');
      });
    };
  }, [session, clip.id, getValues]);

  const save = async (): Promise<boolean> => {
    let ok = false;
    await form.submit(
      (values) => session.clips.update(clip.id, values),
      (kept) => {
        // Show what the server kept (trimmed title, normalised tags), so the form is not dirty.
        latest.current.kept = clipFormValues(kept);
        reset(clipFormValues(kept));
        setSaved(true);
        ok = true;
      },
    )();
    return ok;
  };
  const close = () => {
    const inside = panel.current?.contains(document.activeElement) ?? false;
    session.clips.closePanel();
    if (inside) focusAfterPanel();
  };
  const done = async () => {
    if (dirty && !(await save())) return;
    close();
  };

  return (
    <form
      ref={panel}
      className="panel clip-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      data-testid="clip-panel"
      data-clip-id={clip.id}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          void done();
        }
      }}
    >
      <div className="clip-panel-head">
        <h2 id={headingId}>Clip details</h2>
        <ClipStatusLine marked={marked} />
      </div>
      <ClipFields
        form={form}
        labels={LABELS}
        titlePlaceholder={clipDisplayTitle({ title: '', callTitle: clip.callTitle })}
        notePlaceholder="What makes this moment worth hearing?"
        autoFocus={focus}
      />
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" busy={form.busy} busyLabel="Saving…">
          Save
        </Button>
        <Button variant="secondary" disabled={form.busy} onClick={() => void done()}>
          Done
        </Button>
        <span className="muted clip-saved" role="status">
          {saved && !dirty ? 'Saved' : ''}
        </span>
      </div>
    </form>
  );
}

/** "Clip saved: 0:30 before → 0:10 after, ready in 8s", counting down to the end of the post-roll. */
function ClipStatusLine({ marked }: { marked: MarkedClip }) {
  const now = useNow();
  const { clip, preRollSec, postRollSec } = marked;
  const range = `${formatDuration(preRollSec * 1000)} before → ${formatDuration(postRollSec * 1000)} after`;
  const left = Math.ceil((marked.readyAtLocal - now) / 1000);
  return (
    <>
      <p className="clip-status" data-testid="clip-status" data-status={clip.status}>
        {clip.status === 'failed' ? (
          <>Clip failed: the recording has no audio for {range}.</>
        ) : (
          <>
            Clip saved: {range},{' '}
            {clip.status === 'ready' ? (
              <>
                ready. <a href={routeHref({ name: 'clip', id: clip.id })}>Open it</a>
              </>
            ) : left > 0 ? (
              `ready in ${left}s`
            ) : (
              'ready in a moment'
            )}
          </>
        )}
      </p>
      <p className="sr-only" role="status">
        {clip.status === 'ready' ? 'Your clip is ready.' : clip.status === 'failed' ? 'The clip could not be cut.' : 'Clip saved.'}
      </p>
    </>
  );
}

