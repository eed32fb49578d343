import type { IceCandidate } from '../../../contract';

/** What an `icecandidate` event carries (an `RTCIceCandidate`, or null at the end). */
export interface LocalIceCandidate {
  candidate: string;
  sdpMid: string | null;
  usernameFragment?: string | null;
}

export interface CandidateTrickleOptions {
  /** Sends one of ours to the server (`media:candidate`); null: no more. */
  send(candidate: IceCandidate | null): void;
  /** Applies one of the server's to the connection (`addIceCandidate`). */
  apply(candidate: IceCandidate): Promise<void>;
}

/**
 * Trickle ICE for one connection (one publish or one join), both ways, without the connection
 * itself (so it is tested alone).
 *
 * Ours: the offer leaves at once; candidates gathered before the server's reply are queued and
 * sent after it, so the server always has the connection before its candidates. Theirs: the
 * server may push a candidate before its reply reaches us (or after a newer connection replaced
 * this one): those are held until our answer is applied, then applied only when they carry that
 * answer's ICE username fragment (a pushed candidate for an older connection is dropped).
 */
export class CandidateTrickle {
  readonly #opts: CandidateTrickleOptions;
  /** Ours, gathered before the reply; null once sent. */
  #outbox: (IceCandidate | null)[] | null = [];
  /** Theirs, pushed before our answer was applied; null once applied. */
  #inbox: IceCandidate[] | null = [];
  #ufrag: string | null = null;
  #closed = false;
  #localEnded = false;

  constructor(opts: CandidateTrickleOptions) {
    this.#opts = opts;
  }

  /** One of ours from `icecandidate` (null, or an empty candidate, at the end of gathering). */
  local(candidate: LocalIceCandidate | null): void {
    if (this.#closed || this.#localEnded) return;
    const out = toContract(candidate);
    if (out === null) this.#localEnded = true;
    if (this.#outbox) this.#outbox.push(out);
    else this.#opts.send(out);
  }

  /** One of the server's pushes for this connection's call and role. */
  remote(candidate: IceCandidate | null): void {
    // The end of the server's candidates needs no action: ICE goes on with what it has.
    if (this.#closed || candidate === null) return;
    if (this.#inbox) this.#inbox.push(candidate);
    else this.#applyIfCurrent(candidate);
  }

  /**
   * The server replied and its answer is applied: our queued candidates go out, and its held
   * ones that belong to this answer are applied.
   */
  ready(answerSdp: string): void {
    if (this.#closed || !this.#outbox || !this.#inbox) return;
    this.#ufrag = /^a=ice-ufrag:(\S+)/m.exec(answerSdp)?.[1] ?? null;
    const outbox = this.#outbox;
    const inbox = this.#inbox;
    this.#outbox = null;
    this.#inbox = null;
    for (const candidate of outbox) this.#opts.send(candidate);
    for (const candidate of inbox) this.#applyIfCurrent(candidate);
  }

  /** Nothing more is sent or applied. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#outbox = null;
    this.#inbox = null;
  }

  #applyIfCurrent(candidate: IceCandidate): void {
    if (candidate.usernameFragment !== undefined && this.#ufrag !== null && candidate.usernameFragment !== this.#ufrag) return;
    // A candidate the browser cannot use changes nothing; the others still connect.
    this.#opts.apply(candidate).catch(() => undefined);
  }
}

function toContract(candidate: LocalIceCandidate | null): IceCandidate | null {
  if (!candidate || !candidate.candidate) return null;
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    ...(candidate.usernameFragment ? { usernameFragment: candidate.usernameFragment } : {}),
  };
}
