import { useState } from 'react';
import type { CallSummary } from '../../../contract';
import { describeError } from '../api/errors';
import { Elapsed } from '../components/elapsed';
import { Button } from '../components/feedback';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/**
 * A call of ours is open on the server but this window is not sending it (after a reload or
 * a crash): offer to resume it within the grace period, or to end it.
 */
export function ResumeCallPanel({ call }: { call: CallSummary }) {
  const session = useSession();
  const starting = useAppStore((s) => s.host.phase === 'starting');
  const online = useAppStore((s) => s.connection === 'online');
  const [busy, setBusy] = useState<'resume' | 'end' | null>(null);

  const resume = async () => {
    setBusy('resume');
    const reply = await session.host.resume(call);
    setBusy(null);
    if (!reply.ok) notify(describeError(reply.error), 'error');
  };
  const end = async () => {
    setBusy('end');
    const reply = await session.host.endById(call.id);
    setBusy(null);
    if (!reply.ok) notify(describeError(reply.error), 'error');
  };

  return (
    <div className="panel resume-panel" data-testid="resume-call">
      <h2>Your call is still open</h2>
      <p>
        “{call.title}” has been open for <Elapsed since={call.startedAt} className="elapsed-inline" />, but this window stopped sending
        it{call.listeners.length > 0 ? ` and ${call.listeners.length} ${call.listeners.length === 1 ? 'person is' : 'people are'} still listening` : ''}.
        Resume to share it again, or end it for everyone.
      </p>
      <div className="actions">
        <Button variant="live" busy={busy === 'resume' || starting} busyLabel="Resuming…" disabled={!online || busy !== null} onClick={() => void resume()}>
          Resume
        </Button>
        <Button variant="secondary" busy={busy === 'end'} busyLabel="Ending…" disabled={busy !== null} onClick={() => void end()}>
          End call
        </Button>
      </div>
    </div>
  );
}
