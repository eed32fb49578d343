/**
 * Recordings and clips in S3-compatible object storage (a real s3rver on loopback): uploads
 * while live, serving through the node with Range, visibility, retention.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioPaths, routes, type ClipSummary } from '../../contract';
import { decodeStereo, rms, toneAt } from '../helpers/audio-probe';
import { clipNow, goLive, onCleanup, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { RecordingService } from '../../server/clips/recording-service';
import { createLogger } from '../../server/logger';
import { RecordingObjects } from '../../server/recording/recording-objects';
import { RecordingStore } from '../../server/store/recording-store';
import { SegmentStore } from '../../server/store/segment-store';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { openTestStore } from '../helpers/test-database';
import { addMember, api, request, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

const RECORD = { enabled: true, customerInformed: true };
const TONES = [440, 660, 880];

/** Polls object storage (it emits nothing) until `check` holds, or fails at the deadline. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function get(url: string, path: string, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function readAll(objects: ReturnType<TestS3['store']>, keys: string[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const key of keys) {
    const body = await objects.get(key);
    for await (const chunk of body!) parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

describe('audio in S3-compatible object storage', () => {
  it('uploads a live recording in segments, stores clips and the finished recording, serves them with Range, deletes them by retention', async () => {
    const prefix = `t-${Date.now()}`;
    const objects = s3.store(prefix);
    const { server, admin } = await serverWithTeam({ ...s3.config(prefix), s3SegmentSec: 1 });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });

    // 4 s of a stereo tone; segments appear while it plays, within the 1 s interval (+ slack).
    let firstSentAt = 0;
    const sending = host.sendOpus(encodeSineOpus({ frames: 200 }), { onSent: (_p, i) => void (i === 0 && (firstSentAt = Date.now())) });
    await until('a segment while live', async () => ((await objects.list(`recordings/${call.id}/`)).length > 0 ? true : undefined));
    const clip = await clipNow(hostSocket, call.id, { title: 'Pricing moment' });
    expect(clip.status).toBe('ready');
    // The clip is an object; its local file went once the upload was confirmed.
    expect(await objects.head(`clips/${clip.id}.ogg`)).toEqual({ size: expect.any(Number) as number });
    expect(existsSync(join(server.dataDir, 'clips', `${clip.id}.ogg`))).toBe(false);
    await sending;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));

    // The finished recording: every segment in order, the local files gone once confirmed.
    const keys = await until('the final segment', async () => {
      const listed = await objects.list(`recordings/${call.id}/`);
      return existsSync(join(server.dataDir, 'recordings', `${call.id}.ogg`)) ? undefined : listed;
    });
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const whole = await readAll(objects, keys);
    // While live, a segment went up every interval: each one's audio ends ≤ 1 s (the interval)
    // after the previous one's, plus 1 s for a busy machine's late timer and upload.
    const store = await openTestStore(server);
    onCleanup(() => store.close());
    const segments = await new SegmentStore(store).list(call.id);
    expect(segments.map((seg) => seg.key)).toEqual(keys);
    const ends = [firstSentAt, ...segments.filter((seg) => !seg.final).map((seg) => seg.wallEnd)];
    expect(ends.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < ends.length; i++) expect(ends[i]! - ends[i - 1]!).toBeLessThanOrEqual(2_000);

    const dir = await mkdtemp(join(tmpdir(), 'bullpen-s3-audio-'));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    const full = await get(server.url, audioPaths.recording(call.id), mentor.token);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/ogg');
    expect(full.body.equals(whole)).toBe(true);
    await writeFile(join(dir, 'rec.ogg'), full.body);
    const pcm = await decodeStereo(join(dir, 'rec.ogg'));
    const sec = pcm.left.length / 48_000;
    expect(sec).toBeGreaterThan(3.5);
    expect(toneAt(pcm.left, 48_000, 0.2, sec - 0.1, TONES)).toBe(440);
    expect(toneAt(pcm.right, 48_000, 0.2, sec - 0.1, TONES)).toBe(660);

    // Range across segment boundaries returns exactly those bytes.
    const a = 100;
    const b = Math.min(whole.length - 1, 30_000);
    const part = await get(server.url, audioPaths.recording(call.id), mentor.token, { range: `bytes=${a}-${b}` });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${a}-${b}/${whole.length}`);
    expect(part.body.equals(whole.subarray(a, b + 1))).toBe(true);
    const tail = await get(server.url, audioPaths.recording(call.id), mentor.token, { range: 'bytes=-10' });
    expect(tail.body.equals(whole.subarray(whole.length - 10))).toBe(true);
    expect((await get(server.url, audioPaths.recording(call.id), mentor.token, { range: `bytes=${whole.length}-` })).status).toBe(416);

    const clipObject = await readAll(objects, [`clips/${clip.id}.ogg`]);
    const clipAudio = await get(server.url, audioPaths.clip(clip.id), mentor.token);
    expect(clipAudio.status).toBe(200);
    expect(clipAudio.body.equals(clipObject)).toBe(true);
    await writeFile(join(dir, 'clip.ogg'), clipAudio.body);
    const clipPcm = await decodeStereo(join(dir, 'clip.ogg'));
    expect(rms(clipPcm.left, 0.1, clipPcm.left.length / 48_000 - 0.05)).toBeGreaterThan(0.1);

    // A clip of the kept recording is cut from the objects (no local file on this node now).
    const ranged = unwrap(
      (await api(server.url, routes.clipFromRecording, { token: mentor.token, params: { id: call.id }, body: { startMs: 1000, endMs: 2500, title: 'From S3' } })).result,
    ).clip;
    expect(ranged.status).toBe('ready');
    expect(ranged.durationMs).toBe(1500);
    expect(await objects.head(`clips/${ranged.id}.ogg`)).toBeDefined();

    // Retention: the sweep deletes every object of the recording; deleting a clip deletes its object.
    expect(await server.maintenance.sweepRecordings(Date.now() + 400 * 86_400_000)).toBe(1);
    await until('the recording objects to go', async () => ((await objects.list(`recordings/${call.id}/`)).length === 0 ? true : undefined));
    unwrap((await api(server.url, routes.deleteClip, { token: mentor.token, params: { id: ranged.id } })).result);
    expect(await objects.head(`clips/${ranged.id}.ogg`)).toBeUndefined();
    // The other clip, which nobody deleted, stays.
    expect(await objects.head(`clips/${clip.id}.ogg`)).toBeDefined();
  }, 60_000);

  it('an object storage outage loses nothing: uploads are retried, local files kept until confirmed', async () => {
    const prefix = `o-${Date.now()}`;
    const objects = s3.store(prefix);
    const { server, admin } = await serverWithTeam({ ...s3.config(prefix), s3SegmentSec: 1 });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });
    const recordingFile = join(server.dataDir, 'recordings', `${call.id}.ogg`);
    let outage: Promise<void> | undefined;
    let clipDuringOutage: Promise<ClipSummary> | undefined;
    // 5 s of tone; object storage is down from 1.2 s to 3 s, a clip is cut at 2 s.
    await host.sendOpus(encodeSineOpus({ frames: 250 }), {
      onSent: (_p, i) => {
        if (i === 60) outage = s3.pause();
        if (i === 100) clipDuringOutage = outage!.then(() => clipNow(hostSocket, call.id, { title: 'During the outage' }));
        if (i === 150) outage = Promise.all([outage, clipDuringOutage]).then(() => s3.resume());
      },
    });
    await outage;
    const clip = await clipDuringOutage!;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    // The clip's and the recording's local files stay until their objects are confirmed.
    await until('the clip upload to be retried', async () => ((await objects.head(`clips/${clip.id}.ogg`)) ? true : undefined), 20_000);
    await until('the recording upload', async () => (existsSync(recordingFile) ? undefined : true), 20_000);
    expect(existsSync(join(server.dataDir, 'clips', `${clip.id}.ogg`))).toBe(false);

    const keys = await objects.list(`recordings/${call.id}/`);
    const dir = await mkdtemp(join(tmpdir(), 'bullpen-s3-audio-'));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'rec.ogg'), await readAll(objects, keys));
    const { left } = await decodeStereo(join(dir, 'rec.ogg'));
    const sec = left.length / 48_000;
    expect(sec).toBeGreaterThan(4.8);
    // Tone all the way through: nothing from the outage is missing.
    for (let t = 0.1; t + 0.5 < sec; t += 0.5) expect(rms(left, t, t + 0.5), `at ${t.toFixed(1)} s`).toBeGreaterThan(0.1);
  }, 90_000);

  it('a writer taken over stops: another node ends the recording from its uploads and the old writer is refused', async () => {
    const prefix = `w-${Date.now()}`;
    const objects = s3.store(prefix);
    // The server's log says when its uploads are refused (nothing else shows it).
    let onTaken!: () => void;
    const taken = new Promise<void>((resolve) => (onTaken = resolve));
    const log = createLogger({ level: 'info', write: (line) => void (line.includes('recording taken over by another writer') && onTaken()) });
    const { server, admin } = await serverWithTeam({ ...s3.config(prefix), s3SegmentSec: 1, log });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });
    const sending = host.sendOpus(encodeSineOpus({ frames: 250 }));
    await until('a segment while live', async () => ((await objects.list(`recordings/${call.id}/`)).length > 0 ? true : undefined));

    // Node B decides the call's owner is gone and ends the recording from what was uploaded.
    const store = await openTestStore(server);
    onCleanup(() => store.close());
    const segments = new SegmentStore(store);
    const quiet = createLogger({ level: 'silent' });
    const other = new RecordingService({
      store: new RecordingStore(store),
      dir: join(server.dataDir, 'node-b'),
      log: quiet,
      objects: new RecordingObjects({ objects, segments, segmentMs: 1000, log: quiet }),
      shared: true,
    });
    await other.endFromUploads(call.id);
    const ended = await segments.list(call.id);
    expect(ended.at(-1)!.final).toBe(true);
    expect(await new RecordingStore(store).get(mentor.user.teamId, call.id)).toMatchObject({ state: 'kept' });

    // The old writer's next upload is refused and its object removed; the recording stays as B ended it.
    await taken;
    await sending;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    await until('the old writer to drop its local file', async () => (existsSync(join(server.dataDir, 'recordings', `${call.id}.ogg`)) ? undefined : true));
    expect(await segments.list(call.id)).toEqual(ended);
    expect(await objects.list(`recordings/${call.id}/`)).toEqual(ended.map((seg) => seg.key));
    const full = await get(server.url, audioPaths.recording(call.id), mentor.token);
    expect(full.status).toBe(200);
    expect(full.body.length).toBe(ended.at(-1)!.startOffset + ended.at(-1)!.bytes);
  }, 60_000);

  it("refuses: another team's admin and a rep the call's policy kept out get 404 for S3-backed audio", async () => {
    const prefix = `r-${Date.now()}`;
    const { server, admin } = await serverWithTeam({ ...s3.config(prefix), s3SegmentSec: 1 });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD, policy: 'managers' });
    const objects = s3.store(prefix);
    const sending = host.sendOpus(encodeSineOpus({ frames: 100 }));
    await until('a segment while live', async () => ((await objects.list(`recordings/${call.id}/`)).length > 0 ? true : undefined));
    const clip = await clipNow(hostSocket, call.id, { title: 'Private', visibility: 'private' });
    await sending;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    await until('the upload', async () => (existsSync(join(server.dataDir, 'recordings', `${call.id}.ogg`)) ? undefined : true));
    expect(existsSync(join(server.dataDir, 'clips', `${clip.id}.ogg`))).toBe(false);
    const before = await objects.list('');

    const rival = await rivalTeam(server);
    for (const who of [rival, rep]) {
      expect((await get(server.url, audioPaths.recording(call.id), who.token)).status).toBe(404);
      expect((await get(server.url, audioPaths.clip(clip.id), who.token)).status).toBe(404);
      expect((await get(server.url, audioPaths.recording(call.id), who.token, { range: 'bytes=0-99' })).status).toBe(404);
    }
    // Nothing changed, and those allowed still get the audio.
    expect(await objects.list('')).toEqual(before);
    expect((await get(server.url, audioPaths.recording(call.id), mentor.token)).status).toBe(200);
    expect((await get(server.url, audioPaths.clip(clip.id), mentor.token)).status).toBe(200);

    // The host discards the kept recording: its objects go, the clip made from it stays.
    unwrap((await api(server.url, routes.discardRecording, { token: mentor.token, params: { id: call.id } })).result);
    await until('the discarded recording objects to go', async () => ((await objects.list(`recordings/${call.id}/`)).length === 0 ? true : undefined));
    expect((await get(server.url, audioPaths.recording(call.id), mentor.token)).status).toBe(404);
    expect(await objects.head(`clips/${clip.id}.ogg`)).toBeDefined();
  }, 60_000);
});
