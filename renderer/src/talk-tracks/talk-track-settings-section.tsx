import { queryKeys } from '../api/query-keys';
import { TeamSettingSwitch } from '../components/team-setting-switch';

/** "Talk tracks" on the team page: whether reps write talk tracks too. Admins change it. */
export function TalkTrackSettingsSection() {
  return (
    <TeamSettingSwitch
      setting="repsWriteTalkTracks"
      title="Talk tracks"
      description="Everyone on the team reads talk tracks. Mentors, managers and admins write them."
      testId="talk-track-settings"
      switchTestId="reps-write-switch"
      label="Reps can write talk tracks too"
      loadingLabel="Loading talk track settings…"
      saved={(on) => (on ? 'Reps can now write talk tracks.' : 'Only mentors and managers write talk tracks now.')}
      reads={(on) => (on ? 'Reps can write talk tracks too.' : 'Reps read talk tracks; mentors and managers write them.')}
      invalidates={[queryKeys.talkTracks.all]}
    />
  );
}
