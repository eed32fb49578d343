/** Audio inputs: listing devices and opening the microphone or a call-audio input. */

export interface AudioInput {
  deviceId: string;
  label: string;
}

/**
 * Lists audio input devices. Labels are only filled once the page may use the microphone,
 * so unnamed devices get a numbered name.
 */
export async function listAudioInputs(): Promise<AudioInput[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'audioinput' && d.deviceId !== '' && d.deviceId !== 'default' && d.deviceId !== 'communications')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

/** Calls `listener` whenever devices are plugged in or out. Returns an unsubscribe function. */
export function onDevicesChanged(listener: () => void): () => void {
  navigator.mediaDevices?.addEventListener('devicechange', listener);
  return () => navigator.mediaDevices?.removeEventListener('devicechange', listener);
}

function requireMediaDevices(): MediaDevices {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new DOMException(
      'This page cannot use audio devices. Open Bullpen over HTTPS (or localhost) in a current browser.',
      'NotSupportedError',
    );
  }
  return navigator.mediaDevices;
}

/**
 * Opens the rep's microphone (`deviceId` null = system default), with the browser's voice
 * processing on. A remembered device that is gone falls back to the default.
 */
export async function openMicrophone(deviceId: string | null): Promise<{ stream: MediaStream; fellBack: boolean }> {
  const devices = requireMediaDevices();
  const voice: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 };
  if (deviceId) {
    try {
      return { stream: await devices.getUserMedia({ audio: { ...voice, deviceId: { exact: deviceId } } }), fellBack: false };
    } catch (error) {
      if (!(error instanceof DOMException) || (error.name !== 'OverconstrainedError' && error.name !== 'NotFoundError')) throw error;
    }
  }
  return { stream: await devices.getUserMedia({ audio: voice }), fellBack: deviceId !== null };
}

/**
 * Opens an input device that carries the call's audio (a loopback/monitor device). Voice
 * processing is off: it would treat the customer as echo and cut them out.
 */
export async function openCallAudioDevice(deviceId: string): Promise<MediaStream> {
  return requireMediaDevices().getUserMedia({
    audio: {
      deviceId: { exact: deviceId },
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    },
  });
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
