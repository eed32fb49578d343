import { TurnQueue } from '../turns';

/**
 * Closing a peer is native work (libdatachannel tears down its DTLS and ICE transports), cheap
 * one at a time but not when hundreds of listeners leave at once: libuv runs every socket close
 * of one poll in a row, and closing each listener's peer there stalled forwarding for well over
 * 100 ms. Peers leave the forwarding hot path at once; their closing is queued here and done
 * 4 ms' worth per event-loop turn.
 */
export const peerTeardown = new TurnQueue(4);
