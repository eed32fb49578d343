import type { ListenerInfo } from '../../contract';

/** Why a listener stopped listening. */
export type ListenerLeaveReason = 'left' | 'socket-closed' | 'media-failed' | 'media-closed' | 'call-ended' | 'rights-ended' | 'removed-by-host';

/**
 * One person listening to one call: the single owner of everything about that listen. The
 * `Call` holds it; the forwarder's slot is addressed by `mediaId`, the listens row by
 * `listenId`, and the signalling connection by `socketId`. Nobody else keeps a copy.
 */
export class Listener {
  readonly userId: string;
  readonly name: string;
  readonly socketId: string;
  /** The media-layer id of this listener's peer (one per join). */
  readonly mediaId: string;
  readonly joinedAt: number;
  /** The `listens` row recording this listen, once written. */
  listenId: string | null = null;
  #leftReason: ListenerLeaveReason | null = null;

  constructor(init: { userId: string; name: string; socketId: string; mediaId: string; joinedAt?: number }) {
    this.userId = init.userId;
    this.name = init.name;
    this.socketId = init.socketId;
    this.mediaId = init.mediaId;
    this.joinedAt = init.joinedAt ?? Date.now();
  }

  /** Why it left, or null while it still listens. */
  get leftReason(): ListenerLeaveReason | null {
    return this.#leftReason;
  }

  /** Marks the listen over; returns false if it already was (so callers act once). */
  markLeft(reason: ListenerLeaveReason): boolean {
    if (this.#leftReason) return false;
    this.#leftReason = reason;
    return true;
  }

  /** What the host and the board see. */
  info(): ListenerInfo {
    return { userId: this.userId, name: this.name, joinedAt: this.joinedAt };
  }
}
