import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Role, type Invite } from '../../../contract';
import { restQueries, unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { CopyField } from '../components/copy-field';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { SelectField } from '../components/field';
import { useNow } from '../hooks/use-now';
import { formatAgo, formatDate, roleDescriptions, roleLabels } from '../labels';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** The link that opens the sign-up screen for an invite, on this team's server. */
export function inviteLink(serverUrl: string, code: string): string {
  return `${serverUrl}/#/join/${encodeURIComponent(code)}`;
}

/** How the invite list shows an invite's state (a void one says why it no longer works). */
export function inviteStatus(invite: Invite, now: number): { label: string; tone: string } {
  if (invite.usedAt) return { label: `Joined ${formatAgo(invite.usedAt, now)}${invite.usedByName ? ` · ${invite.usedByName}` : ''}`, tone: 'used' };
  if (invite.expiresAt <= now) return { label: 'Expired', tone: 'expired' };
  // An invite never grants more than its creator holds now (the server enforces it at sign-up).
  if (invite.grants === null) return { label: 'Void · its creator can no longer invite', tone: 'void' };
  return { label: `Open · expires ${formatDate(invite.expiresAt)}`, tone: 'open' };
}

export function InvitesSection() {
  const session = useSession();
  const serverUrl = useAppStore((s) => s.serverUrl);
  const queries = useQueryClient();
  const invites = useQuery(restQueries.invites(session.rest));
  const [role, setRole] = useState<Role>('rep');
  const [days, setDays] = useState(7);
  const create = useMutation({
    mutationFn: () => unwrap(session.rest.call('createInvite', { body: { role, expiresInDays: days } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: queryKeys.invites }),
  });
  const created = create.data?.invite ?? null;
  const revoke = useNotifiedMutation({
    call: (invite: Invite) => session.rest.call('revokeInvite', { params: { id: invite.id } }),
    success: 'Invite revoked. Its link no longer works.',
    invalidates: [queryKeys.invites],
    then: (_, invite) => {
      if (created?.id === invite.id) create.reset();
    },
  });

  const now = useNow();
  return (
    <div className="panel" aria-labelledby="invites-title">
      <h2 id="invites-title">Invite a teammate</h2>
      <form
        className="invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        aria-label="Create invite"
      >
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
        <Button type="submit" busy={create.isPending} busyLabel="Creating…">
          Create invite
        </Button>
      </form>
      <ErrorNote error={create.error} />
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
      {invites.isPending ? (
        <LoadingBlock label="Loading invites…" />
      ) : invites.isError ? (
        <ErrorNote error={invites.error} />
      ) : invites.data.invites.length === 0 ? (
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
            {[...invites.data.invites]
              .sort((a, b) => b.createdAt - a.createdAt)
              .map((invite) => {
                const status = inviteStatus(invite, now);
                return (
                  <tr key={invite.id}>
                    <td>
                      <code>{invite.code}</code>
                    </td>
                    <td>
                      {invite.grants === null || invite.grants === invite.role || invite.usedAt ? (
                        roleLabels[invite.role]
                      ) : (
                        <span title="Capped: an invite grants no more than its creator holds now">
                          <s>{roleLabels[invite.role]}</s> {roleLabels[invite.grants]}
                        </span>
                      )}
                    </td>
                    <td>
                      <span className={`badge badge-invite-${status.tone}`}>{status.label}</span>
                    </td>
                    <td className="cell-actions">
                      {status.tone === 'open' || status.tone === 'void' ? (
                        <Button variant="ghost" onClick={() => revoke.mutate(invite)} aria-label={`Revoke invite ${invite.code}`}>
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
