import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioPaths } from '../../../contract';
import { rtpPayload } from '../../../server/media/rtp';
import { decodeStereo, rms, toneAt } from '../../helpers/audio-probe';
import { goLive, onCleanup, runCleanups, socketFor } from '../../helpers/live-call';
import { encodeSineOpus } from '../../helpers/opus';
import { createHostPeer, createListenerPeer, type HostPeer } from '../../helpers/rtc-peers';
import { spawnServer, type ServerProcess } from '../../helpers/server-process';
import { clusterTests, startTestCluster, type ClusterNode, type TestCluster } from '../../helpers/test-cluster';
import { nextEvent, request, unwrap } from '../../helpers/test-server';
import { clusterMember, clusterTeam } from '../../helpers/cluster-team';

const frames = encodeSineOpus({ frames: 150, leftHz: 440, rightHz: 440 });
/** After the failover the host sends another tone, so the recording shows which side of the gap is which. */
const framesAfter = encodeSineOpus({ frames: 150, leftHz: 880, rightHz: 880 });
const TONES = [440, 880];
const payloadHex = (packet: Buffer) => Buffer.from(rtpPayload(packet)).toString('hex');

/** Sends Opus from the host until `done` resolves (bounded by the frames available). */
async function streamUntil(host: HostPeer, done: Promise<unknown>, tone = frames) {
  let finished = false;
  void done.finally(() => (finished = true));
  const sent: Buffer[] = [];
  for (let round = 0; round < 4 && !finished; round++) sent.push(...(await host.sendOpus(tone)));
  await done;
  return sent;
}

describe.runIf(clusterTests.enabled)('a call survives the death of its node', () => {
  let cluster: TestCluster;
  let b: ClusterNode;
  let owner: ServerProcess;
  let ownerDir: string;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    b = cluster.nodes[0]!;
    ownerDir = await mkdtemp(join(tmpdir(), 'bullpen-owner-'));
    // The owner in a process of its own, so it can be killed with SIGKILL.
    owner = await spawnServer({ dataDir: ownerDir, databaseUrl: cluster.databaseUrl, redisUrl: cluster.redis.url, nodeId: 'owner-a', logLevel: 'warn', args: cluster.s3.args() });
  });
  afterAll(async () => {
    await owner?.kill('SIGKILL');
    await cluster?.stop();
    if (ownerDir) await rm(ownerDir, { recursive: true, force: true });
  });
  afterEach(runCleanups);

  it('kill -9 the owner mid-call: the host republishes to node B, the listener re-joins, audio flows again within 5 s, and the recording plays through with a gap', async () => {
    const admin = await clusterTeam(cluster, b);
    const mentor = await clusterMember(cluster, b, admin, 'Max Mentor', 'mentor');
    const rep = await clusterMember(cluster, b, admin, 'Rita Rep', 'rep');
    const hostSocket = await socketFor({ url: owner.url }, mentor);
    const repSocket = await socketFor(b, rep);
    const { host, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true } });
    expect(await b.cluster!.ownerOf(call.id)).toBe('owner-a');
    const peer = await createListenerPeer();
    onCleanup(() => peer.close());
    peer.setAnswer(unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer: peer.offerSdp })).answer);
    await peer.waitForOpen();
    await streamUntil(host, peer.waitForPackets(50));

    const mediaLost = nextEvent(repSocket, 'call:media-lost', (e) => e.callId === call.id);
    // Node B declares the owner lost once its heartbeat has run out; only then can the call move.
    const ownerLost = new Promise<void>((resolve) => b.cluster!.on('node-lost', (id) => id === 'owner-a' && resolve()));
    const killedAt = Date.now();
    await owner.kill('SIGKILL');
    host.close();
    // The host's app sees its socket drop at once, reconnects (to node B, the one left) and
    // publishes again (it retries on UNAVAILABLE until the call can move: here it publishes once
    // the owner is declared lost). Node B adopts the call.
    const hostBack = (async () => {
      const hostOnB = await socketFor(b, mentor);
      await ownerLost;
      const newHost = await createHostPeer();
      onCleanup(() => newHost.close());
      const published = await request(hostOnB, 'call:publish', { callId: call.id, offer: newHost.offerSdp });
      await newHost.setAnswer(unwrap(published).answer);
      return { hostOnB, newHost };
    })();
    // The listener's app (its socket on B all along) is told its media is gone and joins again
    // (it too retries on UNAVAILABLE; here it joins once the call is adopted).
    const listenerBack = (async () => {
      await mediaLost;
      const toldAfter = Date.now() - killedAt;
      await hostBack;
      const again = await createListenerPeer();
      onCleanup(() => again.close());
      again.setAnswer(unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer: again.offerSdp })).answer);
      await again.waitForOpen();
      return { again, toldAfter };
    })();
    const [{ hostOnB, newHost }, { again, toldAfter }] = await Promise.all([hostBack, listenerBack]);
    expect(toldAfter).toBeLessThan(5000);
    expect(b.registry.owns(call.id)).toBe(true);
    expect(await b.cluster!.ownerOf(call.id)).toBe(b.nodeId);
    // When the first packet arrives (streamUntil itself returns only after a whole burst).
    const firstPacketAt = again.waitForPackets(1).then(() => Date.now());
    const sent = await streamUntil(newHost, firstPacketAt, framesAfter);
    const gapMs = (await firstPacketAt) - killedAt;
    const sentPayloads = new Set(sent.map(payloadHex));
    expect(sentPayloads.has(payloadHex(again.packets[0]!))).toBe(true);
    console.info(`failover: told after ${toldAfter} ms, audio again after ${gapMs} ms`);
    expect(gapMs).toBeLessThan(5000);
    // Same call, same start: the board and history carry on.
    const live = b.registry.callsOf(admin.team.id).find((c) => c.id === call.id)!;
    expect(live.startedAt).toBe(call.startedAt);
    expect(live.title).toBe(call.title);
    // Three seconds more of the second tone, then the end: the reply means the recording is saved.
    await newHost.sendOpus(framesAfter);
    unwrap(await request(hostOnB, 'call:end', { callId: call.id }));

    // One recording, served by node B from object storage: the first tone, silence for the
    // outage (the dead node's last uploaded second is lost at most), then the second tone.
    const res = await fetch(b.url + audioPaths.recording(call.id), { headers: { authorization: `Bearer ${mentor.token}` } });
    expect(res.status).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), 'bullpen-failover-'));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'call.ogg'), Buffer.from(await res.arrayBuffer()));
    const { left } = await decodeStereo(join(dir, 'call.ogg'));
    const sec = left.length / 48_000;
    expect(toneAt(left, 48_000, 0.2, 0.8, TONES)).toBe(440);
    expect(toneAt(left, 48_000, sec - 1.5, sec - 0.1, TONES)).toBe(880);
    // Somewhere between them a silent stretch of at least a second (the outage).
    let silentRun = 0;
    let longestSilence = 0;
    for (let t = 0; t + 0.1 <= sec; t += 0.1) {
      silentRun = rms(left, t, t + 0.1) < 0.001 ? silentRun + 0.1 : 0;
      longestSilence = Math.max(longestSilence, silentRun);
    }
    expect(longestSilence).toBeGreaterThanOrEqual(1);
    expect(longestSilence).toBeLessThan(gapMs / 1000 + 1.5);
  });
});

describe.skipIf(clusterTests.enabled)('a call survives the death of its node', () => {
  it.skip(clusterTests.skipReason, () => {});
});
