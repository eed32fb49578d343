import { useState } from 'react';
import { Role, type Invite } from '../../../contract';
import { describeError } from '../api/errors';
import { CopyField } from '../components/copy-field';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { SelectField } from '../components/field';
import { useLoad } from '../components/use-load';
import { useNow } from '../components/use-now';
import { formatAgo, formatDate, roleDescriptions, roleLabels } from '../labels';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** The link that opens the sign-up screen for an invite, on this team's server. */
export function inviteLink(serverUrl: string, code: string): string {
  return `${serverUrl}/#/join/${encodeURIComponent(code)}`;
}

function inviteStatus(invite: Invite, now: number): { label: string; tone: string } {
  if (invite.usedAt) return { label: `Joined ${formatAgo(invite.usedAt, now)}${invite.usedByName ? ` · ${invite.usedByName}` : ''}`, tone: 'used' };
  if (invite.expiresAt <= now) return { label: 'Expired', tone: 'expired' };
  return { label: `Open · expires ${formatDate(invite.expiresAt)}`, tone: 'open' };
}

export function InvitesSection() {
  const session = useSession();
  const serverUrl = useAppStore((s) => s.serverUrl);
  const [invites, reload] = useLoad('invites', () => session.rest.call('invites'));
  const [role, setRole] = useState<Role>('rep');
  const [days, setDays] = useState(7);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Invite | null>(null);
  const [error, setError] = useState<import('../../../contract').AppError | null>(null);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const reply = await session.rest.call('createInvite', { body: { role, expiresInDays: days } });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    setCreated(reply.value.invite);
    void reload();
  };

  const revoke = async (invite: Invite) => {
    const reply = await session.rest.call('revokeInvite', { params: { id: invite.id } });
    if (!reply.ok) {
      notify(describeError(reply.error), 'error');
      return;
    }
    if (created?.id === invite.id) setCreated(null);
    notify('Invite revoked. Its link no longer works.', 'success');
    void reload();
  };

  const now = useNow();
  return (
    <div className="panel" aria-labelledby="invites-title">
      <h2 id="invites-title">Invite a teammate</h2>
      <form className="invite-form" onSubmit={(e) => void create(e)} aria-label="Create invite">
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} hint={roleDescriptions[role]}>
          {Role.options.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Link works for" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          <option value="1">1 day</option>
          <option value="7">7 days</option>
          <option value="30">30 days</option>
        </SelectField>
        <Button type="submit" busy={busy} busyLabel="Creating…">
          Create invite
        </Button>
      </form>
      <ErrorNote error={error} />
      {created ? (
        <div className="invite-created" data-testid="invite-created" role="status">
          <p>
            Send this to your new {roleLabels[created.role].toLowerCase()}. It works once, until {formatDate(created.expiresAt)}.
          </p>
          <CopyField label="Invite link" value={inviteLink(serverUrl, created.code)} testId="invite-link" />
          <CopyField label="Invite code" value={created.code} testId="invite-code" />
        </div>
      ) : null}

      <h3>Invites</h3>
      {invites.status === 'loading' ? (
        <LoadingBlock label="Loading invites…" />
      ) : invites.status === 'error' ? (
        <ErrorNote error={invites.error} />
      ) : invites.value.invites.length === 0 ? (
        <p className="muted">No invites yet. Create one above and send the link to a teammate.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...invites.value.invites]
              .sort((a, b) => b.createdAt - a.createdAt)
              .map((invite) => {
                const status = inviteStatus(invite, now);
                return (
                  <tr key={invite.id}>
                    <td>
                      <code>{invite.code}</code>
                    </td>
                    <td>{roleLabels[invite.role]}</td>
                    <td>
                      <span className={`badge badge-invite-${status.tone}`}>{status.label}</span>
                    </td>
                    <td className="cell-actions">
                      {status.tone === 'open' ? (
                        <Button variant="ghost" onClick={() => void revoke(invite)} aria-label={`Revoke invite ${invite.code}`}>
                          Revoke
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </div>
  );
}
