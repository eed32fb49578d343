import { describe, expect, it } from 'vitest';
import { MONO_GAIN, stereoMixGains } from '../../../../renderer/src/media/stereo-mix';

describe('stereoMixGains', () => {
  it('passes each side to its own ear in stereo, centred', () => {
    expect(stereoMixGains({ stereo: true, balance: 0 })).toEqual({ ll: 1, lr: 0, rl: 0, rr: 1 });
  });

  it('turns the other side down as one is favoured, never a side up past 1', () => {
    expect(stereoMixGains({ stereo: true, balance: -0.25 })).toEqual({ ll: 1, lr: 0, rl: 0, rr: 0.75 });
    expect(stereoMixGains({ stereo: true, balance: 0.5 })).toEqual({ ll: 0.5, lr: 0, rl: 0, rr: 1 });
    expect(stereoMixGains({ stereo: true, balance: -1 })).toEqual({ ll: 1, lr: 0, rl: 0, rr: 0 });
    expect(stereoMixGains({ stereo: true, balance: 1 })).toEqual({ ll: 0, lr: 0, rl: 0, rr: 1 });
  });

  it('clamps a balance out of range', () => {
    expect(stereoMixGains({ stereo: true, balance: 7 })).toEqual(stereoMixGains({ stereo: true, balance: 1 }));
    expect(stereoMixGains({ stereo: false, balance: -3 })).toEqual(stereoMixGains({ stereo: false, balance: -1 }));
  });

  it('sums both sides into both ears in mono, at equal power', () => {
    const mono = stereoMixGains({ stereo: false, balance: 0 });
    expect(mono).toEqual({ ll: MONO_GAIN, lr: MONO_GAIN, rl: MONO_GAIN, rr: MONO_GAIN });
    expect(mono.ll ** 2 + mono.lr ** 2).toBeCloseTo(1);
    const onlyRep = stereoMixGains({ stereo: false, balance: -1 });
    expect(onlyRep).toEqual({ ll: MONO_GAIN, lr: MONO_GAIN, rl: 0, rr: 0 });
  });
});
