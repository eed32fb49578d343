import { useQuery, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { can, type TeamSettings } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { LoadingBlock, RetryNote, Spinner } from './feedback';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** The on/off settings of a team. */
export type TeamSwitchSetting = { [K in keyof TeamSettings]: TeamSettings[K] extends boolean ? K : never }[keyof TeamSettings];

export interface TeamSettingSwitchProps {
  setting: TeamSwitchSetting;
  title: string;
  description: ReactNode;
  /** The panel's test id; its heading's id is `<testId>-title`. */
  testId: string;
  switchTestId: string;
  /** The switch's label (admins). */
  label: string;
  loadingLabel: string;
  /** What the confirmation says once the change is saved. */
  saved(on: boolean): string;
  /** What everyone but admins reads instead of the switch. */
  reads(on: boolean): string;
  /** Queries the change makes stale besides the team settings. */
  invalidates?: QueryKey[];
}

/** One on/off team setting as a panel of the team page: admins flip it, everyone else reads it. */
export function TeamSettingSwitch(props: TeamSettingSwitchProps) {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role);
  const settings = useQuery(restQueries.teamSettings(session.rest));
  const isAdmin = role ? can.manageTeam(role) : false;
  const save = useNotifiedMutation({
    call: (on: boolean) => session.rest.call('updateTeamSettings', { body: { [props.setting]: on } }),
    success: ({ settings: s }) => props.saved(s[props.setting]),
    invalidates: [queryKeys.teamSettings, ...(props.invalidates ?? [])],
  });
  const titleId = `${props.testId}-title`;

  return (
    <div className="panel" aria-labelledby={titleId} data-testid={props.testId}>
      <h2 id={titleId}>{props.title}</h2>
      <p className="muted">{props.description}</p>
      {settings.isPending ? (
        <LoadingBlock label={props.loadingLabel} />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : isAdmin ? (
        <label className="switch-row">
          <input
            type="checkbox"
            role="switch"
            className="switch"
            data-testid={props.switchTestId}
            checked={settings.data.settings[props.setting]}
            disabled={save.isPending}
            onChange={(e) => save.mutate(e.currentTarget.checked)}
          />
          <span className="switch-label">{props.label}</span>
          {save.isPending ? <Spinner label="Saving" /> : null}
        </label>
      ) : (
        <p>{props.reads(settings.data.settings[props.setting])}</p>
      )}
    </div>
  );
}
