import { useEffect, useId } from 'react';
import type { CallSummary } from '../../../contract';
import { Button, ErrorNote } from '../components/feedback';
import { ScissorsIcon } from '../components/icons';
import { formatDuration } from '../labels';
import { hotkeyLabel, windowShortcut } from '../platform/keyboard';
import { routeHref } from '../routing';
import { NOT_RECORDED_TEXT } from '../services/clip-service';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** The Clip button's element id: focus returns to it when the clip panel closes. */
export const CLIP_BUTTON_ID = 'clip-button';

/**
 * The Clip button of a live call, with its shortcut, the clip length and why it is off when
 * the call is not recorded. `canMark`: this person is live in the call right now.
 */
export function ClipBar({ call, canMark }: { call: CallSummary; canMark: boolean }) {
  const session = useSession();
  const marking = useAppStore((s) => s.clips.marking && s.clips.callId === call.id);
  const error = useAppStore((s) => (s.clips.callId === call.id ? s.clips.error : null));
  const prefs = useAppStore((s) => s.clipPrefs);
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const hintId = useId();

  // While this view is up, a shortcut's clip opens the panel here instead of a notice.
  useEffect(() => session.clips.attachView(), [session]);

  const shortcut = windowShortcut();
  const global = desktop && session.platform.globalClipHotkey ? hotkeyLabel(prefs.hotkey) : null;
  const length = `${formatDuration(prefs.preRollSec * 1000)} before → ${formatDuration(prefs.postRollSec * 1000)} after`;

  return (
    <div className="clip-bar" data-testid="clip-bar">
      <Button
        id={CLIP_BUTTON_ID}
        variant="secondary"
        aria-label="Clip this moment"
        aria-describedby={hintId}
        aria-keyshortcuts={shortcut.aria}
        data-testid="clip-button"
        disabled={!call.recording || !canMark}
        busy={marking}
        onClick={() => void session.clips.mark(call, 'button')}
      >
        <ScissorsIcon /> Clip
      </Button>
      <div className="clip-bar-text">
        {call.recording ? (
          <p className="field-hint" id={hintId}>
            Or press <kbd>{shortcut.label}</kbd>
            {global && global !== shortcut.label ? (
              <>
                {' '}
                here, <kbd>{global}</kbd> from any app
              </>
            ) : null}
            . Saves {length}.{' '}
            <a href={routeHref({ name: 'settings' })}>Change</a>
          </p>
        ) : (
          <p className="field-hint clip-off" id={hintId} data-testid="clip-unavailable">
            {NOT_RECORDED_TEXT}.
          </p>
        )}
      </div>
      <div className="clip-bar-error">
        <ErrorNote error={error} />
      </div>
    </div>
  );
}

