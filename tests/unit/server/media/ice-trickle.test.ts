import nodeDataChannel from 'node-datachannel';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IceCandidate } from '../../../../contract';
import { announceAddress } from '../../../../server/media/announced-address';
import { IceTrickle } from '../../../../server/media/ice-trickle';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A real libdatachannel peer's offer (what a non-browser client sends). */
async function offer(): Promise<string> {
  const pc = new nodeDataChannel.PeerConnection('client', { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', 'RecvOnly');
  audio.addOpusCodec(111);
  const track = pc.addTrack(audio);
  track.onClosed(() => {});
  pc.onStateChange(() => {});
  closers.push(() => (track.close(), pc.close()));
  const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === 'complete' && resolve()));
  pc.setLocalDescription();
  await gathered;
  return pc.localDescription()!.sdp;
}

function serverPeer(sink: (c: IceCandidate | null) => void, announcedIp?: string) {
  const pc = new nodeDataChannel.PeerConnection('server', { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', 'SendOnly');
  audio.addOpusCodec(111);
  const track = pc.addTrack(audio);
  track.onClosed(() => {});
  pc.onStateChange(() => {});
  closers.push(() => (track.close(), pc.close()));
  const trickle = new IceTrickle(pc, { mid: '0', remoteUfrag: 'theirs', offered: 0, ...(announcedIp ? { announcedIp } : {}), sink });
  return { pc, trickle };
}

describe('IceTrickle', () => {
  let offersdp = '';
  beforeAll(async () => {
    offersdp = await offer();
  });

  it('pushes nothing the answer already has, then the end of candidates; with an announced address too', async () => {
    for (const announcedIp of [undefined, '203.0.113.9']) {
      const pushed: (IceCandidate | null)[] = [];
      const ended = new Promise<void>((resolve) => {
        const { pc, trickle } = serverPeer((c) => {
          pushed.push(c);
          if (c === null) resolve();
        }, announcedIp);
        pc.setRemoteDescription(offersdp, 'offer');
        const sdp = pc.localDescription()!.sdp;
        expect(sdp).toMatch(/^a=candidate:.* typ host/m);
        trickle.answered(announcedIp ? announceAddress(sdp, announcedIp) : sdp);
      });
      await ended;
      expect(pushed).toEqual([null]);
    }
  });

  it('refuses a remote candidate once closed, and ignores TCP ones before counting', async () => {
    const { trickle } = serverPeer(() => {});
    trickle.addRemote({ candidate: 'candidate:2 1 tcp 1518280447 192.0.2.7 9 typ host tcptype active', sdpMid: '0' });
    expect(trickle.ignored).toBe(1);
    trickle.close();
    expect(() => trickle.addRemote({ candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host', sdpMid: '0' })).toThrow(/closed/);
  });
});
