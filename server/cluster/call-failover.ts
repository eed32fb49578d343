import type { CallEndReason } from '../../contract';
import type { Logger } from '../logger';
import type { CallStore } from '../store/call-store';
import type { CallRouter } from './call-router';
import type { ClusterNodes } from './cluster-nodes';

export interface CallFailoverDeps {
  cluster: ClusterNodes;
  router: Pick<CallRouter, 'lock'>;
  calls: CallStore;
  log: Logger;
  /** How long a call that lost its node waits for its host to publish again (the host grace). */
  graceMs: number;
  /** Tells the call's host and listeners whose sockets are on THIS node that its media is gone. */
  mediaLost(callId: string, hostId: string): void;
  /** The call was not adopted in time and this node ended it (once in the cluster): tell everyone. */
  ended(callId: string, hostId: string, reason: CallEndReason): void;
}

/**
 * What a surviving node does when another node dies (`node-lost`): tells the host and listeners
 * of the calls it carried (on this node's sockets) that their media is gone, so their apps publish
 * and join again at once; the host's publish lets some node adopt the call (see CallRouter). A
 * call nobody adopted within the host grace is ended as a host who never came back would be,
 * by exactly one node (a Redis lock), since every surviving node hears the same loss.
 */
export class CallFailover {
  readonly #deps: CallFailoverDeps;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(deps: CallFailoverDeps) {
    this.#deps = deps;
    deps.cluster.on('node-lost', (nodeId, calls) => {
      for (const callId of calls) void this.#lost(nodeId, callId);
    });
  }

  /** Stops waiting for lost calls (shutdown). Idempotent. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #lost(nodeId: string, callId: string): Promise<void> {
    const { calls, log } = this.#deps;
    let row;
    try {
      row = await calls.openCall(callId);
    } catch (error) {
      log.warn('lost call could not be read', { callId, error });
      return;
    }
    if (!row || this.#closed) return;
    const hostId = row.hostId;
    log.info('call media lost with its node', { callId, lostNode: nodeId });
    this.#deps.mediaLost(callId, hostId);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#endIfOrphaned(callId, hostId);
    }, this.#deps.graceMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #endIfOrphaned(callId: string, hostId: string): Promise<void> {
    const { cluster, router, calls, log } = this.#deps;
    try {
      if (this.#closed || (await cluster.ownerOf(callId))) return;
      // One node ends it; the lock outlives any other node's timer for the same loss.
      if (!(await router.lock(`end:${callId}`, 60_000))) return;
      if (!(await calls.openCall(callId))) return;
      await calls.endCall(callId, 'host-timeout', Date.now());
      log.info('call ended: its node died and its host did not publish again', { callId, reason: 'host-timeout' });
      this.#deps.ended(callId, hostId, 'host-timeout');
    } catch (error) {
      log.warn('lost call could not be ended', { callId, error });
    }
  }
}
