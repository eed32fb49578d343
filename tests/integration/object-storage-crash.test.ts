/**
 * A server process SIGKILLed mid-call with its audio in object storage (a real s3rver): what it
 * uploaded survives (all but the last segment interval), another writer on the same database
 * and bucket (another data dir) continues the recording in the same Ogg stream with a gap of
 * silence, and a restart on the same data dir uploads the tail its local file still held.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioPaths, routes, type AuthReply } from '../../contract';
import { RecordingService } from '../../server/clips/recording-service';
import { createLogger } from '../../server/logger';
import { buildRtpPacket } from '../../server/media/rtp';
import { readOggPages } from '../../server/recording/ogg-pages';
import { RecordingObjects } from '../../server/recording/recording-objects';
import { SegmentedRecording } from '../../server/recording/segmented-recording';
import { RecordingStore } from '../../server/store/recording-store';
import { SegmentStore } from '../../server/store/segment-store';
import { decodeStereo, rms, toneAt } from '../helpers/audio-probe';
import { goLive, onCleanup, runCleanups, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { createTestDatabase, openTestStore } from '../helpers/test-database';
import { addMember, api, setupTeam, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

const RECORD = { enabled: true, customerInformed: true };
const TONES = [440, 880];
const KILL_AFTER_PACKETS = 200;
/** The segment interval of these servers (s) and the most a SIGKILL may cost: one interval plus the upload in flight. */
const SEGMENT_SEC = 1;
const MAX_LOSS_SEC = SEGMENT_SEC + 0.3;

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a server process on object storage, records a call and SIGKILLs it after 4 s of audio. */
async function recordAndKill(prefix: string) {
  const dataDir = await tempDir('bullpen-s3-crash-');
  const database = await createTestDatabase();
  onCleanup(() => database.drop());
  const args = s3.args(prefix, SEGMENT_SEC);
  const first = await spawnServer({ dataDir, databaseUrl: database.url, args, startTimeoutMs: 60_000 });
  onCleanup(() => first.kill('SIGKILL'));
  const admin = await setupTeam(first.url);
  const mentor = await addMember(first.url, admin.token, 'Max Mentor', 'mentor');
  const hostSocket = await socketFor(first, mentor);
  const { host, call } = await goLive(hostSocket, { recording: RECORD });
  let killed: ReturnType<ServerProcess['kill']> | undefined;
  await host.sendOpus(encodeSineOpus({ frames: 400, leftHz: 440, rightHz: 440 }), {
    onSent: (_p, index) => {
      if (!killed && index + 1 >= KILL_AFTER_PACKETS) {
        killed = first.kill('SIGKILL');
        host.close();
      }
    },
  });
  expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
  hostSocket.disconnect();
  return { dataDir, databaseUrl: database.url, args, call, mentor, sentSec: (KILL_AFTER_PACKETS * 20) / 1000 };
}

async function decodeBytes(bytes: Buffer): Promise<{ left: Float32Array; sec: number }> {
  const dir = await tempDir('bullpen-s3-decode-');
  await writeFile(join(dir, 'a.ogg'), bytes);
  const { left } = await decodeStereo(join(dir, 'a.ogg'));
  return { left, sec: left.length / 48_000 };
}

/** One Ogg logical stream: one serial, page numbers without a hole, BOS first and EOS last. */
function expectOneStream(bytes: Buffer): void {
  const { pages, validLength } = readOggPages(bytes);
  expect(validLength).toBe(bytes.length);
  expect(new Set(pages.map((p) => p.serial)).size).toBe(1);
  expect(pages.map((p) => p.pageSeq)).toEqual(pages.map((_, i) => i));
  expect(pages.map((p) => p.bos)).toEqual(pages.map((_, i) => i === 0));
  expect(pages.map((p) => p.eos)).toEqual(pages.map((_, i) => i === pages.length - 1));
  const granules = pages.map((p) => p.granule);
  expect([...granules].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(granules);
}

describe('object storage when a server process dies mid-call', () => {
  it('loses at most the last interval; another writer continues the same recording after a gap of silence', async () => {
    const prefix = `k-${Date.now()}`;
    const { dataDir, databaseUrl, call, mentor, sentSec } = await recordAndKill(prefix);

    const store = await openTestStore({ dataDir, databaseUrl });
    onCleanup(() => store.close());
    const segments = new SegmentStore(store);
    const uploaded = await segments.list(call.id);
    const objects = s3.store(prefix);
    const uploadedSec = (uploaded[uploaded.length - 1]!.granule - 312) / 48_000;
    expect(uploadedSec, `uploaded of ${sentSec} s sent`).toBeGreaterThanOrEqual(sentSec - MAX_LOSS_SEC);
    const before = await new SegmentedRecording(objects, uploaded).read(0, Number.MAX_SAFE_INTEGER);
    const early = await decodeBytes(before);
    expect(toneAt(early.left, 48_000, 0.2, early.sec - 0.05, TONES)).toBe(440);

    // Another node (its own data dir, same database and bucket) continues the recording.
    const log = createLogger({ level: 'silent' });
    const other = new RecordingService({
      store: new RecordingStore(store),
      dir: await tempDir('bullpen-s3-node-b-'),
      log,
      objects: new RecordingObjects({ objects, segments, segmentMs: SEGMENT_SEC * 1000, log }),
      shared: true,
    });
    let feed: ((packet: Buffer, arrivalMs: number) => void) | undefined;
    await other.continue({ id: call.id, teamId: mentor.user.teamId }, mentor.user.id, (onPacket) => {
      feed = onPacket;
      return () => (feed = undefined);
    });
    const gapSec = (Date.now() - uploaded[uploaded.length - 1]!.wallEnd) / 1000;
    expect(gapSec).toBeGreaterThan(0.5);
    // The host's app republished: 2 s of a new tone on a new RTP timeline.
    const resumedAt = Date.now();
    encodeSineOpus({ frames: 100, leftHz: 880, rightHz: 880 }).forEach((frame, i) => {
      feed!(buildRtpPacket({ payloadType: 111, seq: (5000 + i) & 0xffff, timestamp: (777_000 + i * 960) >>> 0, ssrc: 42, marker: i === 0 }, frame), resumedAt + i * 20);
    });
    await other.finish(call.id, true);

    const rec = await new RecordingStore(store).get(mentor.user.teamId, call.id);
    expect(rec).toMatchObject({ state: 'kept' });
    const after = await segments.list(call.id);
    expect(after.slice(0, uploaded.length)).toEqual(uploaded);
    expect(after[after.length - 1]!.final).toBe(true);
    expect(new Set(after.map((s) => s.writer)).size).toBe(2);
    const whole = await new SegmentedRecording(objects, after).read(0, Number.MAX_SAFE_INTEGER);
    expect(whole.subarray(0, before.length).equals(before)).toBe(true);
    expectOneStream(whole);

    // It plays through: the first tone, silence for the outage, the second tone to the end.
    const { left, sec } = await decodeBytes(whole);
    const gapEnd = uploadedSec + gapSec;
    expect(Math.abs(sec - (gapEnd + 2))).toBeLessThanOrEqual(0.1);
    expect(toneAt(left, 48_000, 0.2, uploadedSec - 0.1, TONES)).toBe(440);
    expect(rms(left, uploadedSec + 0.1, gapEnd - 0.1)).toBeLessThan(0.001);
    expect(toneAt(left, 48_000, gapEnd + 0.1, sec - 0.05, TONES)).toBe(880);
    expect(rms(left, gapEnd + 0.1, sec - 0.05)).toBeGreaterThan(0.1);
    expect(rec!.durationMs).toBeCloseTo(sec * 1000, -2);
    await other.closeAll();
  }, 90_000);

  it('a restart on the same data dir uploads the tail its local file held, so the recording in S3 keeps all but ≤ 1 s', async () => {
    const prefix = `r-${Date.now()}`;
    const { dataDir, databaseUrl, args, call, mentor, sentSec } = await recordAndKill(prefix);
    const second = await spawnServer({ dataDir, databaseUrl, args, startTimeoutMs: 60_000 });
    onCleanup(() => second.kill('SIGKILL'));
    await second.waitForLog((e) => e.msg === 'repaired a recording left unfinished by a previous run' && e.callId === call.id, 'the repair');
    const recordings = unwrap((await api(second.url, routes.recordings, { token: (mentor satisfies AuthReply).token })).result).recordings;
    expect(recordings).toEqual([expect.objectContaining({ callId: call.id, state: 'kept' })]);

    const store = await openTestStore({ dataDir, databaseUrl });
    onCleanup(() => store.close());
    const segments = await new SegmentStore(store).list(call.id);
    expect(segments[segments.length - 1]!.final).toBe(true);
    const whole = await new SegmentedRecording(s3.store(prefix), segments).read(0, Number.MAX_SAFE_INTEGER);
    expectOneStream(whole);
    const { left, sec } = await decodeBytes(whole);
    expect(sec).toBeGreaterThanOrEqual(sentSec - 1);
    expect(sec).toBeLessThanOrEqual(sentSec + 0.1);
    expect(toneAt(left, 48_000, 0.1, sec - 0.05, TONES)).toBe(440);
    expect(rms(left, sec - 0.3, sec - 0.02)).toBeGreaterThan(0.1);
    // Served from the objects (the local file went once the upload was confirmed).
    const res = await fetch(second.url + audioPaths.recording(call.id), { headers: { authorization: `Bearer ${mentor.token}` } });
    expect(Buffer.from(await res.arrayBuffer()).equals(whole)).toBe(true);
  }, 90_000);
});
