import { TeamSettingSwitch } from '../components/team-setting-switch';

/**
 * "Live calls" on the team page: whether managers can always join calls. On (the default),
 * managers and admins may join any call they may see; off, a host may keep them out of a call.
 * Admins change it.
 */
export function CallAccessSettingsSection() {
  return (
    <TeamSettingSwitch
      setting="managersAlwaysJoin"
      title="Live calls"
      description="Hosts choose who may listen to each call. Managers and admins ride along on any call unless the host keeps them out and this setting allows it."
      testId="call-access-settings"
      switchTestId="managers-always-join-switch"
      label="Managers can always join calls"
      loadingLabel="Loading call settings…"
      saved={(on) =>
        on ? 'Managers can now join every call.' : 'Hosts can now keep managers out of a call. Managers on calls that keep them out were dropped.'
      }
      reads={(on) => (on ? 'Managers can always join calls.' : 'Hosts may keep managers out of a call.')}
    />
  );
}
