/**
 * Crash recovery of the real server process: SIGKILL in the middle of a recorded call, then a
 * restart on the same data directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioPaths, routes, type AuthReply, type ClipSummary } from '../../contract';
import { decodeStereo, probeDurationSec, rms, toneAt } from '../helpers/audio-probe';
import { goLive, listen, onCleanup, runCleanups, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { createTestDatabase } from '../helpers/test-database';
import { addMember, api, nextEvent, request, setupTeam, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

const RECORD = { enabled: true, customerInformed: true };
const LEFT_HZ = 440;
const RIGHT_HZ = 660;
const TONES = [LEFT_HZ, RIGHT_HZ, 880];
/** Packets are 20 ms frames: packet `i` is media [20·i, 20·i + 20) ms. */
const FRAME_MS = 20;
/** Kill once at least this many packets (4 s of audio) went out and clip A is safe. */
const KILL_AFTER_PACKETS = 200;

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function startServerProcess(dataDir: string, databaseUrl: string | undefined): Promise<ServerProcess> {
  const server = await spawnServer({ dataDir, databaseUrl });
  onCleanup(() => server.kill('SIGKILL'));
  return server;
}

async function downloadAudio(url: string, path: string, token: string): Promise<Buffer> {
  const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.toString('utf8')}`);
  expect(res.headers.get('content-type')).toBe('audio/ogg');
  return body;
}

async function saveAudio(dir: string, name: string, body: Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, body);
  return file;
}

/** A clip's `clip:ready` push, whether it arrives before or after its mark's reply. */
async function markAndWaitReady(socket: ClientSocket, callId: string, preRollSec: number, postRollSec: number): Promise<ClipSummary> {
  const seen = new Map<string, ClipSummary>();
  const collect = ({ clip }: { clip: ClipSummary }) => seen.set(clip.id, clip);
  socket.on('clip:ready', collect);
  try {
    const { clip } = unwrap(await request(socket, 'clip:mark', { callId, preRollSec, postRollSec, title: 'Clip A' }));
    return seen.get(clip.id) ?? (await nextEvent(socket, 'clip:ready', (e) => e.clip.id === clip.id)).clip;
  } finally {
    socket.off('clip:ready', collect);
  }
}

async function clipDetail(url: string, token: string, clipId: string): Promise<ClipSummary> {
  return unwrap((await api(url, routes.clip, { token, params: { id: clipId } })).result).clip;
}

describe('crash recovery of the server process', () => {
  it('SIGKILL mid-call: the recording keeps all but ≤ 1 s, ended clips stay intact, the restart repairs and cuts', async () => {
    const dataDir = await tempDir('bullpen-crash-');
    const audioDir = await tempDir('bullpen-crash-audio-');
    // On the PostgreSQL run both processes use one database, dropped after both are gone.
    const database = await createTestDatabase();
    onCleanup(() => database.drop());
    const first = await startServerProcess(dataDir, database.url);

    const admin = await setupTeam(first.url);
    const mentor = await addMember(first.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(first.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(first, mentor);
    const repSocket = await socketFor(first, rep);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });
    expect(call.recording).toBe(true);
    await listen(repSocket, call.id);

    // Clip A (1 s pre-roll, no post-roll) is marked by the listener at 1.2 s and downloaded
    // while the call goes on; clip B (30 s post-roll) by the host at 2 s. Once both are in and
    // at least 4 s of audio went out, the server is killed between two packets.
    let clipA: { clip: ClipSummary; audio: Buffer } | undefined;
    let clipB: ClipSummary | undefined;
    let failure: unknown;
    let sentPackets = 0;
    let firstSentAt = 0;
    let killed: ReturnType<ServerProcess['kill']> | undefined;
    const pending: Promise<unknown>[] = [];
    const fail = (error: unknown) => {
      failure ??= error;
      host.close();
    };
    const frames = encodeSineOpus({ frames: 750, leftHz: LEFT_HZ, rightHz: RIGHT_HZ });
    await host.sendOpus(frames, {
      onSent: (_packet, index) => {
        if (index === 0) firstSentAt = Date.now();
        if (index === 60) {
          const a = markAndWaitReady(repSocket, call.id, 1, 0).then(async (clip) => {
            clipA = { clip, audio: await downloadAudio(first.url, audioPaths.clip(clip.id), rep.token) };
          });
          pending.push(a.catch(fail));
        }
        if (index === 100) {
          const b = request(hostSocket, 'clip:mark', { callId: call.id, preRollSec: 1, postRollSec: 30, title: 'Clip B' }).then((r) => {
            clipB = unwrap(r).clip;
          });
          pending.push(b.catch(fail));
        }
        if (!killed && index + 1 >= KILL_AFTER_PACKETS && clipA && clipB) {
          sentPackets = index + 1;
          killed = first.kill('SIGKILL');
          // No packet leaves after the kill: the stand-in browser stops sending.
          host.close();
        }
      },
    });
    await Promise.all(pending);
    if (failure) throw failure;
    expect(killed, 'the server was killed before the audio ran out').toBeDefined();
    expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
    const sentSec = (sentPackets * FRAME_MS) / 1000;
    expect(clipA!.clip.status).toBe('ready');
    // The mark's moment is mapped to media through packet arrival times, so the stand-in host's
    // pacing jitter (it shares the test's event loop) can trim the end of a 1 s clip a little.
    expect(clipA!.clip.durationMs).toBeGreaterThan(500);
    expect(clipA!.clip.durationMs).toBeLessThanOrEqual(1050);
    expect(clipB!.status).toBe('pending');

    // The next start repairs the recording and says so, then cuts clip B, clamped to its end.
    const second = await startServerProcess(dataDir, database.url);
    const repaired = await second.waitForLog(
      (e) => e.msg === 'repaired a recording left unfinished by a previous run' && e.callId === call.id,
      'the repair log line',
    );
    expect(repaired).toMatchObject({ level: 'warn', finalized: true });
    await second.waitForLog((e) => e.msg === 'closed calls left open by a previous run', 'the orphaned call to be closed');
    await second.waitForLog((e) => e.msg === 'clip ready' && e.clipId === clipB!.id, 'clip B to be cut');

    // Sessions live in SQLite: the tokens from before the crash still work.
    for (const who of [admin, mentor, rep] satisfies AuthReply[]) {
      expect(unwrap((await api(second.url, routes.me, { token: who.token })).result).user.id).toBe(who.user.id);
    }

    const recordings = unwrap((await api(second.url, routes.recordings, { token: mentor.token })).result).recordings;
    expect(recordings).toEqual([expect.objectContaining({ callId: call.id, state: 'kept', consentBy: 'Max Mentor', clipCount: 2 })]);
    const recording = recordings[0]!;
    expect(recording.endedAt).not.toBeNull();
    const full = await saveAudio(audioDir, 'recording.ogg', await downloadAudio(second.url, audioPaths.recording(call.id), mentor.token));
    const duration = await probeDurationSec(full);
    expect(duration, `recording of ${sentSec} s sent`).toBeGreaterThanOrEqual(sentSec - 1);
    expect(duration, `recording of ${sentSec} s sent`).toBeLessThanOrEqual(sentSec + 0.1);
    const pcm = await decodeStereo(full);
    expect(Math.abs(pcm.left.length / 48_000 - recording.durationMs / 1000)).toBeLessThanOrEqual(0.021);
    expect(toneAt(pcm.left, 48_000, 0.1, duration - 0.05, TONES)).toBe(LEFT_HZ);
    expect(toneAt(pcm.right, 48_000, 0.1, duration - 0.05, TONES)).toBe(RIGHT_HZ);
    // It plays the tone right up to its end: no silence or garbage from the torn tail.
    expect(toneAt(pcm.left, 48_000, duration - 0.3, duration - 0.02, TONES)).toBe(LEFT_HZ);
    expect(rms(pcm.left, duration - 0.3, duration - 0.02)).toBeGreaterThan(0.1);

    // Clip A, whose post-roll had ended: still ready and byte for byte what it was.
    expect(await clipDetail(second.url, rep.token, clipA!.clip.id)).toEqual(clipA!.clip);
    const clipAAfter = await downloadAudio(second.url, audioPaths.clip(clipA!.clip.id), rep.token);
    expect(clipAAfter.equals(clipA!.audio)).toBe(true);

    // Clip B (1 s pre-roll, 30 s post-roll): cut on restart from 1 s before the server got its
    // mark (≈ 2 s into the call) to the recording's end.
    const b = await clipDetail(second.url, mentor.token, clipB!.id);
    expect(b.status).toBe('ready');
    expect(Math.abs(b.startMs - (clipB!.createdAt - 1000 - firstSentAt))).toBeLessThanOrEqual(150);
    expect(b.startMs + b.durationMs).toBeCloseTo(recording.durationMs, 0);
    const clipBFile = await saveAudio(audioDir, 'clip-b.ogg', await downloadAudio(second.url, audioPaths.clip(b.id), mentor.token));
    // ffprobe (5.x) counts the clip's pre-roll (its OpusHead pre-skip, ≤ 100 ms) in the duration;
    // the decoded samples give the exact length.
    expect(Math.abs((await probeDurationSec(clipBFile)) - b.durationMs / 1000)).toBeLessThanOrEqual(0.1);
    const clipBPcm = await decodeStereo(clipBFile);
    const clipBDecodedSec = clipBPcm.left.length / 48_000;
    expect(Math.abs(clipBDecodedSec - b.durationMs / 1000)).toBeLessThanOrEqual(0.021);
    expect(toneAt(clipBPcm.left, 48_000, 0.1, clipBDecodedSec - 0.05, TONES)).toBe(LEFT_HZ);
  }, 90_000);
});
