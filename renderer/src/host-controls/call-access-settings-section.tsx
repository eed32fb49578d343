import { useQuery } from '@tanstack/react-query';
import { can } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { LoadingBlock, RetryNote, Spinner } from '../components/feedback';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/**
 * "Live calls" on the team page: whether managers can always join calls. On (the default),
 * managers and admins may join any call they may see; off, a host may keep them out of a call.
 * Admins change it.
 */
export function CallAccessSettingsSection() {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const settings = useQuery(restQueries.teamSettings(session.rest));
  const isAdmin = role ? can.manageTeam(role) : false;
  const save = useNotifiedMutation({
    call: (always: boolean) => session.rest.call('updateTeamSettings', { body: { managersAlwaysJoin: always } }),
    success: ({ settings: s }) =>
      s.managersAlwaysJoin
        ? 'Managers can now join every call.'
        : 'Hosts can now keep managers out of a call. Managers on calls that keep them out were dropped.',
    invalidates: [queryKeys.teamSettings],
  });

  return (
    <div className="panel" aria-labelledby="call-access-settings-title" data-testid="call-access-settings">
      <h2 id="call-access-settings-title">Live calls</h2>
      <p className="muted">
        Hosts choose who may listen to each call. Managers and admins ride along on any call unless the host keeps them out and this
        setting allows it.
      </p>
      {settings.isPending ? (
        <LoadingBlock label="Loading call settings…" />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : isAdmin ? (
        <label className="switch-row">
          <input
            type="checkbox"
            role="switch"
            className="switch"
            data-testid="managers-always-join-switch"
            checked={settings.data.settings.managersAlwaysJoin}
            disabled={save.isPending}
            onChange={(e) => save.mutate(e.currentTarget.checked)}
          />
          <span className="switch-label">Managers can always join calls</span>
          {save.isPending ? <Spinner label="Saving" /> : null}
        </label>
      ) : (
        <p>
          {settings.data.settings.managersAlwaysJoin
            ? 'Managers can always join calls.'
            : 'Hosts may keep managers out of a call.'}
        </p>
      )}
    </div>
  );
}
