/**
 * The benchmark's stand-in host: goes live and streams Opus at 50 pps until the call ends,
 * riding out libdatachannel's offer-side race like the listeners do (tests/helpers/rtc-peers.ts
 * `withRetry`): a go-live whose connection is lost while the answer is applied, or a track that
 * closes under it later ("Track is closed"), publishes again into the same call, as a browser
 * host reconnecting would.
 */
import { createHostPeer, isTransientMediaFailure, withRetry, type HostPeer } from '../tests/helpers/rtc-peers';
import { request, unwrap, type ClientSocket } from '../tests/helpers/test-server';

export interface StreamingCall {
  callId: string;
  /** Times the host had to publish again (its offer-side race). */
  readonly republished: number;
  /** When the host sent the packet with this sequence number (ms, `process.hrtime` clock), if it did lately. */
  sentAtMs(seq: number): number | undefined;
  /** Stops the host and ends the call (its recording is kept). */
  end(): Promise<void>;
}

export interface StreamingCallOptions {
  title: string;
  recorded: boolean;
}

/** The host goes live and streams `frames` in a loop (50 pps) until `end()`. */
export async function streamingCall(socket: ClientSocket, frames: Buffer[], opts: StreamingCallOptions): Promise<StreamingCall> {
  let host: HostPeer = await createHostPeer();
  const started = unwrap(
    await request(socket, 'call:start', {
      title: opts.title,
      policy: 'team',
      offer: host.offerSdp,
      ...(opts.recorded ? { recording: { enabled: true, customerInformed: true } } : {}),
    }),
  );
  const callId = started.call.id;
  let republished = 0;
  let live = true;
  // By sequence number (16 bits: 22 minutes of packets at 50 pps before one is overwritten).
  const sentAt = new Map<number, number>();
  const onSent = (packet: Buffer) => sentAt.set(packet.readUInt16BE(2), Number(process.hrtime.bigint()) / 1e6);

  /** Connects `host` with `answer`, publishing again while the race is lost. */
  const connect = async (answer: string): Promise<void> => {
    await withRetry(
      () => host.setAnswer(answer),
      async () => {
        host.close();
        republished++;
        host = await createHostPeer();
        answer = unwrap(await request(socket, 'call:publish', { callId, offer: host.offerSdp })).answer;
      },
    );
  };
  await connect(started.answer);

  const streaming = (async () => {
    while (live) {
      try {
        await host.sendOpus(frames, { onSent });
      } catch (error) {
        if (!live) return;
        if (!isTransientMediaFailure(error)) throw error;
        // The connection dropped after it opened: the host publishes again.
        host.close();
        republished++;
        host = await createHostPeer();
        await connect(unwrap(await request(socket, 'call:publish', { callId, offer: host.offerSdp })).answer);
      }
    }
  })();
  return {
    callId,
    get republished() {
      return republished;
    },
    sentAtMs: (seq) => sentAt.get(seq),
    async end() {
      // The host stops first: sending on a track the server already closed would throw.
      live = false;
      host.close();
      await streaming;
      unwrap(await request(socket, 'call:end', { callId }));
    },
  };
}
