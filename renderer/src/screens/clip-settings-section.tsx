import { useState } from 'react';
import { z } from 'zod';
import { ClipHotkey, DEFAULT_CLIP_HOTKEY, type Result } from '../../../contract';
import { clientError } from '../api/errors';
import { Button, ErrorNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { hotkeyLabel, windowShortcut } from '../platform/keyboard';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** Whole seconds typed into a text field, within `max`. */
function seconds(max: number) {
  const message = `must be a whole number of seconds from 0 to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(0, message).max(max, message));
}

const ClipPrefsForm = z.object({ preRollSec: seconds(120), postRollSec: seconds(60), hotkey: ClipHotkey });

/**
 * Clip settings: how much audio before and after the moment a clip keeps and, on desktop, the
 * global shortcut (registered by the main process, which may refuse one another app holds).
 */
export function ClipSettingsSection() {
  const session = useSession();
  const prefs = useAppStore((s) => s.clipPrefs);
  const global = session.platform.globalClipHotkey;
  const form = useContractForm(
    ClipPrefsForm,
    { preRollSec: String(prefs.preRollSec), postRollSec: String(prefs.postRollSec), hotkey: prefs.hotkey },
    { preRollSec: 'Pre-roll', postRollSec: 'Post-roll', hotkey: 'Global shortcut' },
  );
  const [saved, setSaved] = useState(false);
  const shortcut = windowShortcut();

  const save = form.submit(
    async (values): Promise<Result<null>> => {
      const refused = await session.clips.savePrefs({
        preRollSec: values.preRollSec,
        postRollSec: values.postRollSec,
        ...(global ? { hotkey: values.hotkey } : {}),
      });
      return refused ? { ok: false, error: clientError('BAD_REQUEST', refused) } : { ok: true, value: null };
    },
    () => setSaved(true),
  );
  const onSubmit = (e: React.FormEvent) => {
    setSaved(false);
    return save(e);
  };
  const hotkey = form.form.watch('hotkey');

  return (
    <form className="panel form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="clip-settings-title" data-testid="clip-settings">
      <div>
        <h2 id="clip-settings-title">Clips</h2>
        <p className="muted">A clip keeps the audio just before the moment you press Clip, and a little after it.</p>
      </div>
      <div className="form-grid">
        <TextField
          label="Pre-roll (seconds)"
          inputMode="numeric"
          maxLength={4}
          hint="Audio kept before the moment, 0–120 seconds."
          {...form.field('preRollSec')}
        />
        <TextField
          label="Post-roll (seconds)"
          inputMode="numeric"
          maxLength={4}
          hint="Audio kept after the moment, 0–60 seconds."
          {...form.field('postRollSec')}
        />
      </div>
      {global ? (
        <TextField
          label="Global shortcut"
          spellCheck={false}
          autoComplete="off"
          placeholder={DEFAULT_CLIP_HOTKEY}
          hint={
            <>
              Clips from any app, even while Bullpen is in the background. Write it as modifiers plus one key, e.g.{' '}
              <code>{DEFAULT_CLIP_HOTKEY}</code>
              {hotkey.trim() && ClipHotkey.safeParse(hotkey).success ? ` (${hotkeyLabel(hotkey.trim())} here)` : ''}. In the
              Bullpen window <kbd>{shortcut.label}</kbd> works too.
            </>
          }
          {...form.field('hotkey')}
        />
      ) : (
        <p className="field-hint" data-testid="clip-shortcut-browser">
          Shortcut: press <kbd>{shortcut.label}</kbd> to clip while the Bullpen tab is focused. The desktop app adds a shortcut that works
          from any app.
        </p>
      )}
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" busy={form.busy} busyLabel="Saving…">
          Save clip settings
        </Button>
        <span className="muted" role="status">
          {saved ? 'Saved' : ''}
        </span>
      </div>
    </form>
  );
}
