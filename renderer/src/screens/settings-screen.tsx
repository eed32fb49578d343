import { useEffect, useState } from 'react';
import { z } from 'zod';
import { SettingsSchema, type Result } from '../../../contract';
import { clientError } from '../api/errors';
import { AudioSources } from '../components/audio-sources';
import { Button, ErrorNote, InfoNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { ClipSettingsSection } from './clip-settings-section';
import { NotificationSettingsSection } from './notification-settings-section';
import { StartupSettingsSection } from './startup-settings-section';

const ServerForm = z.object({ serverUrl: SettingsSchema.shape.serverUrl });

/** A fresh start: the window's security policy and every connection follow the new server. */
function restartAt(hash: string): void {
  location.hash = hash;
  location.reload();
}

/**
 * Settings: which server to use and how the app starts and closes (desktop), clips (pre-/post-roll, the desktop's global
 * shortcut) and the default audio sources.
 */
export function SettingsScreen({ signedOut = false }: { signedOut?: boolean }) {
  const session = useSession();
  const serverUrl = useAppStore((s) => s.serverUrl);
  const live = useAppStore((s) => s.host.phase === 'live' || s.listen.phase === 'playing');
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const form = useContractForm(ServerForm, { serverUrl }, { serverUrl: 'Server address' });
  const [about, setAbout] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void session.platform.describe().then(setAbout);
  }, [session]);

  const onSubmit = form.submit(
    async ({ serverUrl: url }): Promise<Result<string>> => {
      const refused = await session.platform.setServerUrl(url);
      return refused ? { ok: false, error: clientError('BAD_REQUEST', refused) } : { ok: true, value: url };
    },
    () => {
      setSaved(true);
      restartAt(signedOut ? '#/signin' : '#/board');
    },
  );
  const typedUrl = form.form.watch('serverUrl');

  const content = (
    <>
      <div className="page-head">
        <div>
          <h1 id="settings-title">Settings</h1>
          <p className="muted">{about}</p>
        </div>
      </div>
      {desktop ? (
        <form className="panel form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Server">
          <h2>Server</h2>
          <TextField
            label="Bullpen server address"
            type="url"
            placeholder="https://bullpen.example.com"
            hint="Your team admin gives you this address."
            {...form.field('serverUrl')}
          />
          {live ? <InfoNote tone="warn">Changing the server ends your current call.</InfoNote> : null}
          <ErrorNote error={form.error} />
          <div className="actions">
            <Button type="submit" busy={form.busy || saved} busyLabel="Restarting…" disabled={typedUrl.trim() === serverUrl}>
              Save and reconnect
            </Button>
            {signedOut ? (
              <a className="btn btn-secondary" href="#/signin">
                Back
              </a>
            ) : null}
          </div>
        </form>
      ) : null}
      {desktop ? <StartupSettingsSection /> : null}
      {signedOut ? null : <ClipSettingsSection />}
      {signedOut ? null : <NotificationSettingsSection />}
      {signedOut ? null : (
        <div className="panel">
          <h2>Default audio</h2>
          <p className="muted">Used every time you go live. You can still change them on the Go live screen.</p>
          <AudioSources />
        </div>
      )}
    </>
  );

  return signedOut ? (
    <div className="auth">
      <main className="auth-card auth-card-wide" id="main" aria-labelledby="settings-title">
        {content}
      </main>
    </div>
  ) : (
    <section className="page page-medium" aria-labelledby="settings-title">
      {content}
    </section>
  );
}
