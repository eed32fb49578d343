import { useQuery } from '@tanstack/react-query';
import { can } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { RetryNote, LoadingBlock, Spinner } from '../components/feedback';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** "Talk tracks" on the team page: whether reps write talk tracks too. Admins change it. */
export function TalkTrackSettingsSection() {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const settings = useQuery(restQueries.teamSettings(session.rest));
  const isAdmin = role ? can.manageTeam(role) : false;
  const save = useNotifiedMutation({
    call: (allowed: boolean) => session.rest.call('updateTeamSettings', { body: { repsWriteTalkTracks: allowed } }),
    success: ({ settings: s }) => (s.repsWriteTalkTracks ? 'Reps can now write talk tracks.' : 'Only mentors and managers write talk tracks now.'),
    invalidates: [queryKeys.teamSettings, queryKeys.talkTracks.all],
  });

  return (
    <div className="panel" aria-labelledby="talk-track-settings-title" data-testid="talk-track-settings">
      <h2 id="talk-track-settings-title">Talk tracks</h2>
      <p className="muted">Everyone on the team reads talk tracks. Mentors, managers and admins write them.</p>
      {settings.isPending ? (
        <LoadingBlock label="Loading talk track settings…" />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : isAdmin ? (
        <label className="switch-row">
          <input
            type="checkbox"
            role="switch"
            className="switch"
            data-testid="reps-write-switch"
            checked={settings.data.settings.repsWriteTalkTracks}
            disabled={save.isPending}
            onChange={(e) => save.mutate(e.currentTarget.checked)}
          />
          <span className="switch-label">Reps can write talk tracks too</span>
          {save.isPending ? <Spinner label="Saving" /> : null}
        </label>
      ) : (
        <p>{settings.data.settings.repsWriteTalkTracks ? 'Reps can write talk tracks too.' : 'Reps read talk tracks; mentors and managers write them.'}</p>
      )}
    </div>
  );
}
