import type { CallSummary, ClipStatus } from '../../../contract';
import { clipDisplayTitle } from '../../../contract';
import { formatDuration } from '../labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore, type MarkedClip } from '../state/store';
import { CLIP_LIST_HEADING_ID, ClipPanel } from './clip-panel';

const statusLabels: Record<ClipStatus, string> = { pending: 'Pending', ready: 'Ready', failed: 'Failed' };

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
