/**
 * The rep/customer mix both live listening and clip playback use: a stereo input (left = rep,
 * right = customer) split into four gains and merged back, so a person can hear it in stereo or
 * mono and turn either side up.
 */

/** Each side's gain when both are summed to mono (keeps the loudness about even). */
export const MONO_GAIN = Math.SQRT1_2;

export interface StereoMix {
  /** Connect the stereo source here. */
  readonly input: ChannelSplitterNode;
  /** The mixed stereo output. */
  readonly output: ChannelMergerNode;
  /** Applies stereo/mono and balance (−1 = only the rep, +1 = only the customer), smoothly. */
  set(mix: { stereo: boolean; balance: number }): void;
  disconnect(): void;
}

/** The four gains of the mix: `ll` left → left, `lr` left → right, `rl` right → left, `rr` right → right. */
export interface MixGains {
  ll: number;
  lr: number;
  rl: number;
  rr: number;
}

/**
 * The gains for stereo/mono and a balance (−1 = only the rep, 0 = both, +1 = only the customer;
 * clamped): turning one side up turns the other down, never above 1; mono sums both sides
 * into each ear at {@link MONO_GAIN}.
 */
export function stereoMixGains(mix: { stereo: boolean; balance: number }): MixGains {
  const balance = Math.max(-1, Math.min(1, mix.balance));
  const left = balance > 0 ? 1 - balance : 1;
  const right = balance < 0 ? 1 + balance : 1;
  return mix.stereo
    ? { ll: left, lr: 0, rl: 0, rr: right }
    : { ll: left * MONO_GAIN, lr: left * MONO_GAIN, rl: right * MONO_GAIN, rr: right * MONO_GAIN };
}

/** Builds the mix's audio graph on `ctx`. */
export function createStereoMix(ctx: BaseAudioContext): StereoMix {
  const input = ctx.createChannelSplitter(2);
  const output = ctx.createChannelMerger(2);
  const gain = () => ctx.createGain();
  // ll: left → left, lr: left → right, rl: right → left, rr: right → right.
  const gains = { ll: gain(), lr: gain(), rl: gain(), rr: gain() };
  input.connect(gains.ll, 0);
  input.connect(gains.lr, 0);
  input.connect(gains.rl, 1);
  input.connect(gains.rr, 1);
  gains.ll.connect(output, 0, 0);
  gains.rl.connect(output, 0, 0);
  gains.lr.connect(output, 0, 1);
  gains.rr.connect(output, 0, 1);
  return {
    input,
    output,
    set(mix) {
      const values = stereoMixGains(mix);
      const now = ctx.currentTime;
      for (const key of ['ll', 'lr', 'rl', 'rr'] as const) gains[key].gain.setTargetAtTime(values[key], now, 0.02);
    },
    disconnect() {
      input.disconnect();
      for (const node of Object.values(gains)) node.disconnect();
      output.disconnect();
    },
  };
}
