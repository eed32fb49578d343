import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { notificationKinds, NotificationSettings } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote, InfoNote, LoadingBlock, RetryNote } from '../components/feedback';
import { useContractForm } from '../forms/use-contract-form';
import { notificationKindLabels } from '../notifications/notification-labels';
import type { NotificationPermissionState } from '../platform/platform';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';

/** Which kinds of notification reach the person (stored on the server, so every device agrees), and system pop-ups. */
export function NotificationSettingsSection() {
  const session = useSession();
  const settings = useQuery(restQueries.notificationSettings(session.rest));
  return (
    <div className="panel" aria-labelledby="notification-settings-title" data-testid="notification-settings">
      <h2 id="notification-settings-title">Notifications</h2>
      <p className="muted">Nothing pops up while you are live on a call: those wait in the notification centre.</p>
      {settings.isPending ? (
        <LoadingBlock label="Loading notification settings…" />
      ) : settings.isError ? (
        <RetryNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <KindsForm settings={settings.data.settings} />
      )}
      <SystemNotifications />
    </div>
  );
}

function KindsForm({ settings }: { settings: NotificationSettings }) {
  const session = useSession();
  const queries = useQueryClient();
  const form = useContractForm(NotificationSettings, settings);
  const save = form.submit(
    (body) => session.rest.call('updateNotificationSettings', { body }),
    (value) => {
      queries.setQueryData(queryKeys.notificationSettings, value);
      form.form.reset(value.settings);
      notify('Notification settings saved.', 'success');
    },
  );
  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <fieldset className="plain-fieldset">
        <legend className="sr-only">Notify me when</legend>
        <ul className="notification-kinds">
          {notificationKinds.map((kind) => (
            <li key={kind}>
              <label>
                <input type="checkbox" {...form.form.register(kind)} />
                <span>
                  {notificationKindLabels[kind].label}
                  <br />
                  <span className="muted">{notificationKindLabels[kind].hint}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <ErrorNote error={form.error} />
      <Button type="submit" busy={form.busy} busyLabel="Saving…" disabled={!form.form.formState.isDirty}>
        Save notification settings
      </Button>
    </form>
  );
}

/** Browser: ask for permission here (never on load). Desktop: the OS shows them. */
function SystemNotifications() {
  const session = useSession();
  const [permission, setPermission] = useState<NotificationPermissionState>(() => session.platform.notificationPermission());
  if (session.platform.kind === 'electron') {
    return <p className="muted">When Bullpen is in the background, notifications also show on your desktop.</p>;
  }
  switch (permission) {
    case 'unsupported':
      return <InfoNote>This browser cannot show desktop notifications; they stay in the notification centre.</InfoNote>;
    case 'granted':
      return <p className="muted">Desktop notifications are on for this browser when Bullpen is in the background.</p>;
    case 'denied':
      return <InfoNote tone="warn">This browser blocks notifications from Bullpen. Allow them in the site settings (the icon left of the address).</InfoNote>;
    case 'default':
      return (
        <Button variant="secondary" onClick={() => void session.platform.requestNotificationPermission().then(setPermission)}>
          Show desktop notifications in this browser
        </Button>
      );
  }
}
