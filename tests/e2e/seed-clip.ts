import { encodeSineOpus } from '../helpers/opus';
import { createHostPeer, withRetry, type HostPeer } from '../helpers/rtc-peers';
import { connectSocket, nextEvent, request } from '../helpers/test-server';
import type { ClipSummary } from '../../contract';

/**
 * Seeds a ready clip for specs whose subject is what happens to a clip afterwards: the host goes
 * live with recording from a stand-in browser (node-datachannel), sends a few seconds of tone,
 * clips the last second itself and ends the call.
 */
export async function seedClip(base: string, hostToken: string, clip: { callTitle: string; title: string; tags: string[] }): Promise<ClipSummary> {
  const socket = await connectSocket(base, hostToken);
  const peers: HostPeer[] = [];
  try {
    const first = await createHostPeer();
    peers.push(first);
    const started = await request(socket, 'call:start', {
      title: clip.callTitle,
      policy: 'team',
      offer: first.offerSdp,
      recording: { enabled: true, customerInformed: true },
    });
    if (!started.ok) throw new Error(`call:start: ${started.error.message}`);
    const callId = started.value.call.id;
    let answer = started.value.answer;
    let candidate = first;
    const host = await withRetry(
      async () => {
        await candidate.setAnswer(answer);
        return candidate;
      },
      async () => {
        candidate.close();
        candidate = await createHostPeer();
        peers.push(candidate);
        const again = await request(socket, 'call:publish', { callId, offer: candidate.offerSdp });
        if (!again.ok) throw new Error(`call:publish: ${again.error.message}`);
        answer = again.value.answer;
      },
    );
    await host.sendOpus(encodeSineOpus({ frames: 100 }));
    const streaming = host.sendOpus(encodeSineOpus({ frames: 150 }));
    const ready = nextEvent(socket, 'clip:ready');
    const marked = await request(socket, 'clip:mark', { callId, preRollSec: 1, postRollSec: 0, title: clip.title, tags: clip.tags });
    if (!marked.ok) throw new Error(`clip:mark: ${marked.error.message}`);
    const { clip: done } = await ready;
    if (done.status !== 'ready') throw new Error(`the seeded clip is ${done.status}`);
    await streaming;
    await request(socket, 'call:end', { callId });
    return done;
  } finally {
    for (const p of peers) p.close();
    socket.disconnect();
  }
}
