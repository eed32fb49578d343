/** Shared setup for the recording specs: temp dirs, a silent logger, RTP around Opus payloads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createLogger } from '../../../../server/logger';
import { buildRtpPacket } from '../../../../server/media/rtp';
import { Recorder } from '../../../../server/recording/recorder';
import { encodeSineOpus } from '../../../helpers/opus';

export const silentLog = createLogger({ level: 'silent' });

/** A fresh temp dir and its cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-rec-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** For a spec file: returns a maker of fresh temp dirs, each removed after the test that made it. */
export function tempDirsPerTest(): () => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  return () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
}

export const SSRC = 0x1234_5678;
export const TS0 = 0xffff_0000; // close to wraparound on purpose

export function rtp(payload: Uint8Array, seq: number, timestamp: number): Buffer {
  return buildRtpPacket({ payloadType: 111, seq: seq & 0xffff, timestamp: timestamp >>> 0, ssrc: SSRC }, payload);
}

/** Tone segments, each `sec` long, one encoder run per segment (left and right at the same pitch). */
export function toneSegments(segments: { hz: number; sec: number }[]): Buffer[] {
  return segments.flatMap((s) => encodeSineOpus({ frames: Math.round(s.sec * 50), leftHz: s.hz, rightHz: s.hz }));
}

/**
 * Records `payloads` as consecutive 20 ms packets starting at wall time `wall0`; `gapAfter`
 * inserts a timestamp (and wall-clock) jump after that packet index.
 */
export function record(
  dir: string,
  id: string,
  payloads: Buffer[],
  opts: { wall0?: number; gapAfter?: { index: number; ms: number }; close?: boolean } = {},
): Recorder {
  const rec = Recorder.create({ dir, id, log: silentLog });
  let ts = TS0;
  let wall = opts.wall0 ?? 1_000_000;
  payloads.forEach((p, i) => {
    rec.write(rtp(p, i, ts), wall);
    ts += 960;
    wall += 20;
    if (opts.gapAfter && i === opts.gapAfter.index) {
      ts += opts.gapAfter.ms * 48;
      wall += opts.gapAfter.ms;
    }
  });
  if (opts.close !== false) rec.close();
  return rec;
}
