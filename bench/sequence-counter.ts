/**
 * What a stand-in listener checks of the stream it receives, without keeping packets: how many
 * arrived, how many are missing from the RTP sequence numbers, and how many came out of order.
 */
export class SequenceCounter {
  received = 0;
  lost = 0;
  reordered = 0;
  #highest = -1;

  /** Pass as a listener's `onRtp`. */
  onRtp = (packet: Buffer): void => {
    const seq = packet.readUInt16BE(2);
    this.received++;
    if (this.#highest < 0) {
      this.#highest = seq;
      return;
    }
    const step = (seq - this.#highest + 0x10000) % 0x10000;
    if (step === 0) return;
    if (step < 0x8000) {
      // Ahead of the highest so far: anything skipped is missing (until it turns up late).
      this.lost += step - 1;
      this.#highest = seq;
    } else {
      // Behind: a late packet. It was counted missing when the stream skipped past it.
      this.reordered++;
      this.lost--;
    }
  };
}
