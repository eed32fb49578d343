import { useEffect, useId, useRef, useState } from 'react';
import { z } from 'zod';
import { ClipNote, ClipTags, ClipTitle, ClipVisibility, clipDisplayTitle, type CallSummary, type ClipStatus } from '../../../contract';
import { describeError } from '../api/errors';
import { formatDuration } from '../labels';
import { routeHref } from '../routing';
import { NOT_RECORDED_TEXT } from '../services/clip-service';
import { useSession } from '../services/session-context';
import { notify, useAppStore, type MarkedClip } from '../state/store';
import { Button, ErrorNote } from './feedback';
import { TextAreaField, TextField } from './field';
import { ScissorsIcon } from './icons';
import { TagPicker } from './tag-picker';
import { useForm } from './use-form';
import { useNow } from './use-now';
import { VisibilityField } from './visibility-field';

const CLIP_BUTTON_ID = 'clip-button';
const CLIP_LIST_HEADING_ID = 'clips-this-call';

const ClipForm = z.object({ title: ClipTitle, note: ClipNote, tags: ClipTags, visibility: ClipVisibility });
type ClipFormValues = z.input<typeof ClipForm>;

const statusLabels: Record<ClipStatus, string> = { pending: 'Pending', ready: 'Ready', failed: 'Failed' };

function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.userAgent);
}

/** An Electron accelerator as a person reads it here (`CommandOrControl+Shift+K` → `Ctrl+Shift+K`). */
export function describeAccelerator(accelerator: string): string {
  const mac = isMac();
  const names: Record<string, string> = {
    CommandOrControl: mac ? 'Cmd' : 'Ctrl',
    CmdOrCtrl: mac ? 'Cmd' : 'Ctrl',
    Command: 'Cmd',
    Control: 'Ctrl',
    Alt: mac ? 'Option' : 'Alt',
    Super: mac ? 'Cmd' : 'Super',
    Meta: mac ? 'Cmd' : 'Super',
  };
  return accelerator
    .split('+')
    .map((part) => names[part] ?? part)
    .join('+');
}

/** The in-window shortcut as shown, and as `aria-keyshortcuts` spells it. */
export function windowShortcut(): { label: string; aria: string } {
  return isMac() ? { label: 'Cmd+Shift+K', aria: 'Meta+Shift+K' } : { label: 'Ctrl+Shift+K', aria: 'Control+Shift+K' };
}

/**
 * The Clip button of a live call, with its shortcut, the clip length and why it is off when
 * the call is not recorded. `canMark`: this person is live in the call right now.
 */
export function ClipBar({ call, canMark }: { call: CallSummary; canMark: boolean }) {
  const session = useSession();
  const marking = useAppStore((s) => s.clips.marking && s.clips.callId === call.id);
  const error = useAppStore((s) => (s.clips.callId === call.id ? s.clips.error : null));
  const prefs = useAppStore((s) => s.clipPrefs);
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const hintId = useId();

  // While this view is up, a shortcut's clip opens the panel here instead of a notice.
  useEffect(() => session.clips.attachView(), [session]);

  const shortcut = windowShortcut();
  const global = desktop && session.platform.globalClipHotkey ? describeAccelerator(prefs.hotkey) : null;
  const length = `${formatDuration(prefs.preRollSec * 1000)} before → ${formatDuration(prefs.postRollSec * 1000)} after`;

  return (
    <div className="clip-bar" data-testid="clip-bar">
      <Button
        id={CLIP_BUTTON_ID}
        variant="secondary"
        aria-label="Clip this moment"
        aria-describedby={hintId}
        aria-keyshortcuts={shortcut.aria}
        data-testid="clip-button"
        disabled={!call.recording || !canMark}
        busy={marking}
        onClick={() => void session.clips.mark(call, 'button')}
      >
        <ScissorsIcon /> Clip
      </Button>
      <div className="clip-bar-text">
        {call.recording ? (
          <p className="field-hint" id={hintId}>
            Or press <kbd>{shortcut.label}</kbd>
            {global && global !== shortcut.label ? (
              <>
                {' '}
                here, <kbd>{global}</kbd> from any app
              </>
            ) : null}
            . Saves {length}.{' '}
            <a href={routeHref({ name: 'settings' })}>Change</a>
          </p>
        ) : (
          <p className="field-hint clip-off" id={hintId} data-testid="clip-unavailable">
            {NOT_RECORDED_TEXT}.
          </p>
        )}
      </div>
      <div className="clip-bar-error">
        <ErrorNote error={error} />
      </div>
    </div>
  );
}

/** The clip panel (when open) and the list of clips marked in `call`; also shown after it ended. */
export function ClipTray({ call }: { call: Pick<CallSummary, 'id' | 'startedAt'> }) {
  const clips = useAppStore((s) => s.clips);
  if (clips.callId !== call.id) return null;
  const open = clips.panel ? clips.marked.find((m) => m.clip.id === clips.panel?.clipId) : undefined;
  return (
    <>
      {open && clips.panel ? <ClipPanel key={open.clip.id} marked={open} focus={clips.panel.focus} /> : null}
      {clips.marked.length > 0 ? <ClipList marked={clips.marked} startedAt={call.startedAt} openId={open?.clip.id ?? null} /> : null}
    </>
  );
}

function valuesOf(clip: MarkedClip['clip']): ClipFormValues {
  return { title: clip.title, note: clip.note, tags: clip.tags, visibility: clip.visibility };
}

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
function ClipPanel({ marked, focus }: { marked: MarkedClip; focus: boolean }) {
  const session = useSession();
  const { clip } = marked;
  const headingId = useId();
  const panel = useRef<HTMLFormElement>(null);
  const form = useForm(ClipForm, valuesOf(clip), { title: 'Clip title', note: 'Clip note' });
  const [saved, setSaved] = useState(false);
  const dirty = !sameValues(form.values, valuesOf(clip));

  // Save what was typed if the panel goes away without Save or Done.
  const latest = useRef({ values: form.values, dirty, busy: form.busy });
  useEffect(() => {
    latest.current = { values: form.values, dirty, busy: form.busy };
  });
  useEffect(() => {
    const clipId = clip.id;
    const ref = latest;
    return () => {
      const { values, dirty: unsaved, busy } = ref.current;
      if (!unsaved || busy) return;
      const parsed = ClipForm.safeParse(values);
      if (!parsed.success) return;
      void session.clips.update(clipId, parsed.data).then((result) => {
        if (!result.ok) notify(`Your changes to a clip were not saved. ${describeError(result.error)}`, 'error');
      });
    };
  }, [session, clip.id]);

  const change = (patch: Partial<ClipFormValues>) => {
    form.setValues((v) => ({ ...v, ...patch }));
    setSaved(false);
  };
  const field = (name: 'title' | 'note' | 'visibility') => {
    const f = form.field(name);
    return {
      ...f,
      onChange: (e: { currentTarget: { value: string } }) => {
        f.onChange(e);
        setSaved(false);
      },
    };
  };

  const save = async (): Promise<boolean> => {
    const result = await form.submit((values) => session.clips.update(clip.id, values));
    if (!result?.ok) return false;
    // Show what the server kept (trimmed title, normalised tags), so the form is not dirty.
    form.setValues(valuesOf(result.value));
    setSaved(true);
    return true;
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
      <TextField label="Clip title" placeholder={clipDisplayTitle({ title: '', callTitle: clip.callTitle })} maxLength={120} autoFocus={focus} {...field('title')} />
      <TextAreaField label="Clip note" rows={3} maxLength={4000} placeholder="What makes this moment worth hearing?" {...field('note')} />
      <TagPicker value={form.values.tags} onChange={(tags) => change({ tags })} disabled={form.busy} />
      <VisibilityField {...field('visibility')} />
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

/** "Clips this call (n)": each clip with its status, linking to it in the library. */
function ClipList({ marked, startedAt, openId }: { marked: MarkedClip[]; startedAt: number; openId: string | null }) {
  const session = useSession();
  return (
    <section className="panel clip-list-panel" aria-labelledby={CLIP_LIST_HEADING_ID}>
      <h2 id={CLIP_LIST_HEADING_ID}>Clips this call ({marked.length})</h2>
      <ul className="clip-list" data-testid="clip-list">
        {[...marked].reverse().map(({ clip }) => {
          const title = clipDisplayTitle(clip);
          return (
            <li key={clip.id} className="clip-item" data-testid="clip-item" data-clip-id={clip.id} data-status={clip.status}>
              <a className="clip-item-title" href={routeHref({ name: 'clip', id: clip.id })}>
                {title}
              </a>
              <span className="muted clip-item-at">at {formatDuration(clip.createdAt - startedAt)}</span>
              <span className={`badge badge-clip-${clip.status}`}>{statusLabels[clip.status]}</span>
              {openId === clip.id ? null : (
                <button type="button" className="link-button" aria-label={`Edit “${title}”`} onClick={() => session.clips.openPanel(clip.id)}>
                  Edit
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
