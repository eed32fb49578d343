import { useEffect, useState } from 'react';
import type { AppError } from '../../../contract';
import { callAudioHint, isPicked, type CallAudioPick } from '../media/call-audio-hint';
import { listAudioInputs, onDevicesChanged, type AudioInput } from '../media/capture';
import type { CallAudioMode } from '../platform/platform';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { Button, ErrorNote } from './feedback';
import { SelectField } from './field';
import { LevelMeter } from './level-meter';

/**
 * Picks and previews the host's two sources: the rep's microphone (left channel) and the
 * call's audio (right channel), each with a live level meter. Opening it turns the
 * microphone on; leaving it turns it off again unless a call is live.
 */
export function AudioSources() {
  const session = useSession();
  const prefs = useAppStore((s) => s.prefs);
  const modes = useAppStore((s) => s.callAudioModes);
  const os = useAppStore((s) => s.os);
  const shell = useAppStore((s) => s.platformKind);
  const [inputs, setInputs] = useState<AudioInput[]>([]);
  const [micError, setMicError] = useState<AppError | null>(null);
  const [callError, setCallError] = useState<AppError | null>(null);
  /** The device choice whose opening finished; anything else is still opening. */
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const prefsKey = `${prefs.micDeviceId}|${prefs.callAudioMode}|${prefs.callAudioDeviceId}`;
  const opening = openedFor !== prefsKey;
  const [capturing, setCapturing] = useState(false);
  const [displayCaptured, setDisplayCaptured] = useState(() => session.host.hasSource('call'));

  useEffect(() => {
    let cancelled = false;
    void session.host.openSources(prefs).then(async (result) => {
      if (cancelled) return;
      setMicError(result.mic);
      setCallError(result.call);
      setOpenedFor(`${prefs.micDeviceId}|${prefs.callAudioMode}|${prefs.callAudioDeviceId}`);
      // Device names are only readable once the microphone is allowed, so list them after.
      const list = await listAudioInputs().catch(() => []);
      if (!cancelled) setInputs(list);
    });
    return () => {
      cancelled = true;
    };
  }, [session, prefs]);

  useEffect(() => onDevicesChanged(() => void listAudioInputs().then(setInputs)), []);
  useEffect(() => () => session.host.closeSources(), [session]);

  const callValue = prefs.callAudioMode === 'device' ? `device:${prefs.callAudioDeviceId ?? ''}` : prefs.callAudioMode;

  const onMic = (value: string) => void session.saveDevicePrefs({ micDeviceId: value === '' ? null : value });

  const onCall = (value: string) => {
    setCallError(null);
    setDisplayCaptured(false);
    if (value.startsWith('device:')) {
      void session.saveDevicePrefs({ callAudioMode: 'device', callAudioDeviceId: value.slice('device:'.length) });
    } else {
      void session.saveDevicePrefs({ callAudioMode: value as CallAudioMode });
    }
  };

  const captureDisplay = async (mode: 'system' | 'tab') => {
    setCapturing(true);
    const error = await session.host.captureDisplayAudio(mode);
    setCapturing(false);
    setCallError(error);
    setDisplayCaptured(error === null);
  };

  const hint = callAudioHint({ os, shell, modes, inputs });
  const suggest = hint.pick && !isPicked(hint.pick, prefs.callAudioMode, prefs.callAudioDeviceId) ? hint.pick : null;

  const displayMode = prefs.callAudioMode === 'tab' || prefs.callAudioMode === 'system' ? prefs.callAudioMode : null;

  return (
    <fieldset className="sources">
      <legend>Audio sources</legend>
      <div className="source">
        <div className="source-head">
          <span className="channel-tag" aria-hidden="true">
            L
          </span>
          <SelectField
            label="Your microphone"
            value={prefs.micDeviceId ?? ''}
            onChange={(e) => onMic(e.currentTarget.value)}
            data-testid="mic-select"
          >
            <option value="">System default</option>
            {inputs.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </SelectField>
        </div>
        <LevelMeter read={session.host.micLevel} label="Microphone level" testId="mic-meter" />
        {opening ? <p className="field-hint">Starting your microphone…</p> : null}
        <ErrorNote error={micError} />
      </div>

      <div className="source">
        <div className="source-head">
          <span className="channel-tag" aria-hidden="true">
            R
          </span>
          <SelectField
            label="Call audio (the customer)"
            value={callValue}
            onChange={(e) => onCall(e.currentTarget.value)}
            data-testid="call-audio-select"
          >
            <option value="none">None: share my microphone only</option>
            {modes.includes('system') ? <option value="system">System audio (everything this computer plays)</option> : null}
            {modes.includes('tab') ? <option value="tab">A browser tab (web-based dialer)</option> : null}
            {inputs.length > 0 ? (
              <optgroup label="Input device (e.g. a loopback or monitor source)">
                {inputs.map((d) => (
                  <option key={d.deviceId} value={`device:${d.deviceId}`}>
                    {d.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </SelectField>
        </div>
        <p className="field-hint" data-testid="call-audio-hint">
          {hint.text}{' '}
          {suggest ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onCall(pickValue(suggest))}>
              Use {pickLabel(suggest)}
            </button>
          ) : null}
        </p>
        {displayMode ? (
          <div className="source-capture">
            <Button variant="secondary" busy={capturing} busyLabel="Waiting for your choice…" onClick={() => void captureDisplay(displayMode)}>
              {displayCaptured ? (displayMode === 'tab' ? 'Pick another tab…' : 'Restart system audio') : displayMode === 'tab' ? 'Choose the call’s tab…' : 'Start system audio'}
            </Button>
            <p className="field-hint">
              {displayMode === 'tab'
                ? 'Pick the tab your call runs in and turn on “Share tab audio”. Only its sound is used, never the picture.'
                : 'Bullpen captures what your computer plays, such as the customer in your dialer. Nothing is recorded.'}
            </p>
          </div>
        ) : null}
        <LevelMeter read={session.host.callLevel} label="Call audio level" testId="call-meter" />
        {prefs.callAudioMode === 'none' ? (
          <p className="field-hint">Listeners will hear only your side of the call.</p>
        ) : null}
        <ErrorNote error={callError} />
      </div>
    </fieldset>
  );
}

/** The picker's value for a hint's pick. */
function pickValue(pick: CallAudioPick): string {
  return pick.mode === 'device' ? `device:${pick.deviceId}` : pick.mode;
}

function pickLabel(pick: CallAudioPick): string {
  return pick.mode === 'device' ? `“${pick.label}”` : pick.mode === 'system' ? 'System audio' : 'a browser tab';
}
