import { useEffect, useState } from 'react';
import { ErrorNote, Spinner } from '../components/feedback';
import type { StartupPrefs } from '../platform/platform';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';

type Choice = 'startAtLogin' | 'keepRunningInTray';

/**
 * Desktop only: start Bullpen at login (quietly, in the tray) and, on Windows and Linux, keep
 * it running in the tray when the window is closed. A call always keeps running when the
 * window closes, so that is said rather than offered. Each switch saves at once; the OS may
 * refuse (e.g. an unwritable autostart folder), and then the switch stays as it was.
 */
export function StartupSettingsSection() {
  const session = useSession();
  const [prefs, setPrefs] = useState<StartupPrefs | null>(null);
  const [saving, setSaving] = useState<Choice | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void session.platform.loadStartupPrefs().then((loaded) => {
      if (!cancelled) setPrefs(loaded);
    });
    return () => {
      cancelled = true;
    };
  }, [session]);

  if (!prefs) return null;

  const save = async (choice: Choice, on: boolean) => {
    setSaving(choice);
    setError(null);
    const refused = await session.platform.saveStartupPrefs({ [choice]: on });
    setSaving(null);
    if (refused) {
      setError(refused);
      return;
    }
    setPrefs({ ...prefs, [choice]: on });
    notify(
      choice === 'startAtLogin'
        ? on
          ? 'Bullpen will start in the tray when you log in.'
          : 'Bullpen will no longer start when you log in.'
        : on
          ? 'Closing the window keeps Bullpen in the tray.'
          : 'Closing the window quits Bullpen when no call is running.',
      'success',
    );
  };

  const where = prefs.closeQuits ? 'the tray' : 'the menu bar';
  return (
    <div className="panel" aria-labelledby="startup-settings-title" data-testid="startup-settings">
      <h2 id="startup-settings-title">Start and close</h2>
      <p className="muted">Closing the window during a call keeps the call running; Bullpen stays in {where} until the call ends or you quit.</p>
      <SwitchRow
        testId="start-at-login"
        label={`Start Bullpen when I log in, quietly in ${where}`}
        on={prefs.startAtLogin}
        saving={saving === 'startAtLogin'}
        disabled={saving !== null}
        onChange={(on) => void save('startAtLogin', on)}
      />
      {prefs.closeQuits ? (
        <SwitchRow
          testId="keep-running-in-tray"
          label="Keep Bullpen running in the tray when I close the window"
          on={prefs.keepRunningInTray}
          saving={saving === 'keepRunningInTray'}
          disabled={saving !== null}
          onChange={(on) => void save('keepRunningInTray', on)}
        />
      ) : null}
      <ErrorNote error={error} />
    </div>
  );
}

/** One setting as a switch that saves at once, with a spinner while it does. */
function SwitchRow(props: { testId: string; label: string; on: boolean; saving: boolean; disabled: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="switch-row">
      <input
        type="checkbox"
        role="switch"
        className="switch"
        data-testid={props.testId}
        checked={props.on}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span className="switch-label">{props.label}</span>
      {props.saving ? <Spinner label="Saving" /> : null}
    </label>
  );
}
