import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SendClipBody, type ClipSummary } from '../../../contract';
import { restQueries } from '../api/queries';
import { Button, ErrorNote, LoadingBlock, RetryNote } from '../components/feedback';
import { TextAreaField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { roleLabels } from '../labels';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/**
 * "Send to…" on a clip: pick teammates and add a note; each gets a notification that opens the
 * clip. The server refuses the whole send when someone picked may not see the clip, and says who.
 */
export function SendClipButton({ clip }: { clip: ClipSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="send-clip-wrap">
      <Button variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="send-clip">
        {open ? 'Close' : 'Send to…'}
      </Button>
      {open ? <SendClipPanel clip={clip} onDone={() => setOpen(false)} /> : null}
    </div>
  );
}

function SendClipPanel({ clip, onDone }: { clip: ClipSummary; onDone(): void }) {
  const session = useSession();
  const meId = useAppStore((s) => s.me?.user.id);
  const members = useQuery(restQueries.members(session.rest));
  const form = useContractForm(SendClipBody, { recipientIds: [], note: '' }, { recipientIds: 'People', note: 'Note' });
  const send = form.submit(
    (body) => session.rest.call('sendClip', { params: { id: clip.id }, body }),
    ({ sent }) => {
      notify(sent === 0 ? 'Sent. Nobody picked gets clips sent to them right now.' : `Sent to ${sent === 1 ? '1 person' : `${sent} people`}.`, 'success');
      onDone();
    },
  );
  const others = (members.data?.members ?? []).filter((m) => m.id !== meId && m.deactivatedAt === null).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <form className="panel send-clip" onSubmit={(e) => void send(e)} noValidate aria-label="Send this clip" data-testid="send-clip-form">
      <fieldset className="plain-fieldset">
        <legend>Send “{clip.title || clip.callTitle}” to</legend>
        {members.isPending ? (
          <LoadingBlock label="Loading teammates…" />
        ) : members.isError ? (
          <RetryNote error={members.error} onRetry={() => void members.refetch()} />
        ) : others.length === 0 ? (
          <p className="muted">No one else on the team yet.</p>
        ) : (
          <ul className="send-clip-people">
            {others.map((m) => (
              <li key={m.id}>
                <label className="check">
                  <input type="checkbox" value={m.id} {...form.form.register('recipientIds')} />
                  {m.name} <span className="muted">{roleLabels[m.role]}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <ErrorNote error={form.fieldError('recipientIds')} />
      <TextAreaField label="Note" hint="Optional: what to listen for." rows={3} {...form.field('note')} />
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" busy={form.busy} busyLabel="Sending…">
          Send
        </Button>
      </div>
    </form>
  );
}
