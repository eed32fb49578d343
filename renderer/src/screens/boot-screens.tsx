import { useState } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { Button, ErrorNote, Spinner } from '../components/feedback';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

export function BootScreen() {
  return (
    <div className="boot" role="status">
      <span className="brand-mark brand-mark-lg" aria-hidden="true" />
      <Spinner />
      <p>Connecting to Bullpen…</p>
    </div>
  );
}

/** The server could not be reached at start: say where we tried, retry, or (desktop) change it. */
export function UnreachableScreen({ message }: { message: string }) {
  const session = useSession();
  const serverUrl = useAppStore((s) => s.serverUrl);
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    await session.boot();
    setBusy(false);
  };
  return (
    <AuthLayout
      title="Can’t reach the Bullpen server"
      subtitle={serverUrl ? <>Tried <code>{serverUrl}</code>.</> : undefined}
      footer={desktop ? <a href="#/settings">Change the server address</a> : null}
    >
      <ErrorNote error={message} />
      <p className="muted">
        Check that you are online and the server is running. {desktop ? 'If your team uses another server, change its address in Settings.' : ''}
      </p>
      <Button onClick={() => void retry()} busy={busy} busyLabel="Trying again…">
        Try again
      </Button>
    </AuthLayout>
  );
}
