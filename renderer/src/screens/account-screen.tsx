import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SessionInfo } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Avatar } from '../components/avatar';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { describeUserAgent, formatAgo, formatDateTime, roleLabels } from '../labels';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** The person's profile, where they are signed in, and sign-out. */
export function AccountScreen() {
  const session = useSession();
  const me = useAppStore((s) => s.me);
  const live = useAppStore((s) => s.host.phase === 'live');
  const sessions = useQuery(restQueries.sessions(session.rest));
  const revokeDevice = useNotifiedMutation({
    call: (id: string) => session.rest.call('revokeSession', { params: { id } }),
    success: 'That device was signed out.',
    invalidates: [queryKeys.sessions],
  });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!me) return null;

  const signOut = async () => {
    if (live && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    await session.signOut();
  };

  const revoke = async (info: SessionInfo) => {
    if (info.current) return signOut();
    revokeDevice.mutate(info.id);
  };

  return (
    <section className="page page-medium" aria-labelledby="account-title">
      <div className="page-head">
        <h1 id="account-title">Account</h1>
      </div>
      <div className="panel profile">
        <Avatar name={me.user.name} size="lg" />
        <div>
          <p className="profile-name">{me.user.name}</p>
          <p className="muted">{me.user.email}</p>
          <p>
            <span className={`badge badge-role-${me.user.role}`}>{roleLabels[me.user.role]}</span> on {me.team.name}
          </p>
        </div>
        <div className="profile-actions">
          {confirming ? (
            <div className="confirm" role="alertdialog" aria-label="Confirm sign out">
              <p>You’re live. Signing out ends your call for everyone listening.</p>
              <div className="actions">
                <Button variant="danger" busy={busy} onClick={() => void signOut()}>
                  End call and sign out
                </Button>
                <Button variant="secondary" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </div>
            </div>
          ) : (
            <Button variant="secondary" busy={busy} busyLabel="Signing out…" onClick={() => void signOut()}>
              Sign out
            </Button>
          )}
        </div>
      </div>

      <div className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you’re signed in</h2>
        <p className="muted">Sign out any device you don’t recognise or no longer use.</p>
        {sessions.isPending ? (
          <LoadingBlock label="Loading sessions…" />
        ) : sessions.isError ? (
          <ErrorNote error={sessions.error} />
        ) : (
          <ul className="sessions" data-testid="sessions">
            {[...sessions.data.sessions]
              .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt)
              .map((info) => (
                <li key={info.id} className="session-row">
                  <div>
                    <p className="session-device">
                      {describeUserAgent(info.userAgent)} {info.current ? <span className="badge badge-current">This device</span> : null}
                    </p>
                    <p className="muted">
                      Signed in {formatDateTime(info.createdAt)} · active {formatAgo(info.lastSeenAt)}
                    </p>
                  </div>
                  <Button variant="ghost" onClick={() => void revoke(info)}>
                    {info.current ? 'Sign out' : 'Sign out device'}
                  </Button>
                </li>
              ))}
          </ul>
        )}
      </div>
    </section>
  );
}
