import type { CallAudioMode, HostOs } from '../platform/platform';
import type { AudioInput } from './capture';

/**
 * Which call-audio source to pick for a call in Zoom, Teams or a softphone on this machine,
 * and what to do when none fits. Pure: the go-live form shows the result under its picker.
 */

/** What the hint recommends; `device` names an input device from the list. */
export type CallAudioPick = { mode: 'system' } | { mode: 'tab' } | { mode: 'device'; deviceId: string; label: string };

export interface CallAudioHint {
  pick: CallAudioPick | null;
  /** One or two sentences, shown under the picker. */
  text: string;
}

export interface CallAudioHintInput {
  os: HostOs;
  shell: 'electron' | 'browser';
  /** The modes this shell offers besides devices and none (`system` loopback, a browser `tab`). */
  modes: readonly CallAudioMode[];
  inputs: readonly AudioInput[];
}

/** PulseAudio and PipeWire (through pipewire-pulse) name an output's monitor "Monitor of <output>". */
const MONITOR = /^monitor of |\.monitor$/i;
/** Virtual loopback devices people install on macOS and Windows, and Windows' own "Stereo Mix". */
const LOOPBACK_DEVICE = /blackhole|loopback|soundflower|vb-?audio|cable output|voicemeeter|stereo mix/i;

/** The Linux monitor sources among `inputs`, headsets and USB first: calls usually play there. */
export function monitorSources(inputs: readonly AudioInput[]): AudioInput[] {
  const monitors = inputs.filter((input) => MONITOR.test(input.label));
  const rank = (input: AudioInput) => (/headset|headphone|usb|bluetooth/i.test(input.label) ? 0 : 1);
  return [...monitors].sort((a, b) => rank(a) - rank(b));
}

function device(input: AudioInput): CallAudioPick {
  return { mode: 'device', deviceId: input.deviceId, label: input.label };
}

/** The hint for this machine, shell and device list. */
export function callAudioHint({ os, shell, modes, inputs }: CallAudioHintInput): CallAudioHint {
  const loopback = inputs.find((input) => LOOPBACK_DEVICE.test(input.label));
  if (os === 'linux') {
    const [monitor] = monitorSources(inputs);
    if (monitor) {
      return {
        pick: device(monitor),
        text: `For Zoom, Teams or a softphone, pick the monitor of the output your call plays on (headset or speakers), e.g. “${monitor.label}”.`,
      };
    }
    return {
      pick: modes.includes('tab') ? { mode: 'tab' } : null,
      text:
        'No monitor source is offered. Open PulseAudio Volume Control (pavucontrol), choose Input Devices → Show: Monitors, check the monitor of your headset or speakers is there and not muted, then reopen this page.' +
        (modes.includes('tab') ? ' For a dialer in a browser tab, pick that tab instead.' : ''),
    };
  }
  if (modes.includes('system')) {
    return {
      pick: { mode: 'system' },
      text:
        'For Zoom, Teams or a softphone, pick System audio: Bullpen hears what this computer plays, so keep music and videos off during the call.' +
        (os === 'darwin' ? ' The first time, allow Bullpen in System Settings → Privacy & Security → Screen & System Audio Recording.' : ''),
    };
  }
  if (shell === 'electron') {
    const why =
      os === 'darwin'
        ? 'This Mac cannot share its sound with apps (macOS 13 or later can).'
        : 'This computer cannot share its sound with apps.';
    return loopback
      ? { pick: device(loopback), text: `${why} Send your call’s audio to “${loopback.label}” and pick it here.` }
      : { pick: null, text: `${why} Install a loopback device (e.g. BlackHole on a Mac, VB-CABLE on Windows), set it as your call app’s speaker, then pick it here.` };
  }
  // A browser: only a tab's sound (or, on Windows, a whole screen's) can be shared.
  return {
    pick: modes.includes('tab') ? { mode: 'tab' } : loopback ? device(loopback) : null,
    text:
      'For Zoom or Teams in a browser tab, pick A browser tab. For the Zoom or Teams app or a softphone, use the Bullpen desktop app, which can capture system audio' +
      (loopback ? `, or send the call’s audio to “${loopback.label}” and pick it here.` : '.'),
  };
}

/** Whether the current choice already is the pick. */
export function isPicked(pick: CallAudioPick, mode: CallAudioMode, deviceId: string | null): boolean {
  return pick.mode === mode && (pick.mode !== 'device' || pick.deviceId === deviceId);
}
