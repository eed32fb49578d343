import { describe, expect, it } from 'vitest';
import type { IceCandidate } from '../../../../contract';
import { CandidateTrickle } from '../../../../renderer/src/media/candidate-trickle';

const answer = (ufrag: string) => `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:x\r\n`;
const cand = (n: number, usernameFragment?: string): IceCandidate => ({
  candidate: `candidate:${n} 1 udp 2122260223 192.0.2.${n} 5000${n} typ host`,
  sdpMid: '0',
  ...(usernameFragment ? { usernameFragment } : {}),
});

function harness() {
  const sent: (IceCandidate | null)[] = [];
  const applied: IceCandidate[] = [];
  const trickle = new CandidateTrickle({
    send: (c) => sent.push(c),
    apply: async (c) => {
      applied.push(c);
    },
  });
  return { sent, applied, trickle };
}

describe('CandidateTrickle', () => {
  it('queues our candidates until the reply, then sends them in order and the rest at once', () => {
    const { sent, trickle } = harness();
    trickle.local({ candidate: cand(1).candidate, sdpMid: '0', usernameFragment: 'me' });
    trickle.local({ candidate: cand(2).candidate, sdpMid: '0' });
    expect(sent).toEqual([]);
    trickle.ready(answer('srv'));
    expect(sent).toEqual([{ ...cand(1), usernameFragment: 'me' }, cand(2)]);
    trickle.local({ candidate: cand(3).candidate, sdpMid: '0' });
    trickle.local(null);
    expect(sent).toEqual([{ ...cand(1), usernameFragment: 'me' }, cand(2), cand(3), null]);
  });

  it('an empty candidate is the end of gathering; nothing after the end is sent', () => {
    const { sent, trickle } = harness();
    trickle.ready(answer('srv'));
    trickle.local({ candidate: '', sdpMid: '0' });
    trickle.local({ candidate: cand(4).candidate, sdpMid: '0' });
    trickle.local(null);
    expect(sent).toEqual([null]);
  });

  it("holds the server's candidates until the answer is applied, and applies only that answer's", async () => {
    const { applied, trickle } = harness();
    trickle.remote(cand(1, 'srv'));
    trickle.remote(cand(2, 'old'));
    trickle.remote(cand(3));
    trickle.remote(null);
    expect(applied).toEqual([]);
    trickle.ready(answer('srv'));
    expect(applied).toEqual([cand(1, 'srv'), cand(3)]);
    trickle.remote(cand(5, 'old'));
    trickle.remote(cand(6, 'srv'));
    expect(applied).toEqual([cand(1, 'srv'), cand(3), cand(6, 'srv')]);
  });

  it('a candidate the browser refuses changes nothing for the others', async () => {
    const applied: IceCandidate[] = [];
    const trickle = new CandidateTrickle({
      send: () => {},
      apply: async (c) => {
        if (c.candidate.includes(' 192.0.2.1 ')) throw new Error('refused');
        applied.push(c);
      },
    });
    trickle.ready(answer('srv'));
    trickle.remote(cand(1, 'srv'));
    trickle.remote(cand(2, 'srv'));
    await Promise.resolve();
    expect(applied).toEqual([cand(2, 'srv')]);
  });

  it('once closed (a newer connection replaced it) nothing is sent or applied', () => {
    const { sent, applied, trickle } = harness();
    trickle.local({ candidate: cand(1).candidate, sdpMid: '0' });
    trickle.remote(cand(2, 'srv'));
    trickle.close();
    trickle.ready(answer('srv'));
    trickle.local({ candidate: cand(3).candidate, sdpMid: '0' });
    trickle.remote(cand(4, 'srv'));
    expect(sent).toEqual([]);
    expect(applied).toEqual([]);
  });
});
