const EMPTY = Buffer.alloc(0);

/**
 * FrameReader splits a TCP byte stream into its length-prefixed DNS messages (RFC 1035 section 4.2.2, RFC 7766
 * section 8). It holds only bytes not yet taken as messages, in one buffer that grows by doubling, so a client
 * trickling a 65535-byte message one byte at a time costs linear copying, not a copy of everything per byte.
 */
export class FrameReader {
  private buffer: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  // The buffer is ours to append into (not a chunk the socket handed us, which may share memory with others).
  private owned = false;

  /** buffered is how many bytes are held that are not yet taken as messages. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** push appends a chunk read from the socket. */
  push(chunk: Buffer): void {
    if (this.start === this.end) {
      this.buffer = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    if (!this.owned || this.buffer.length - this.end < chunk.length) {
      const held = this.end - this.start;
      const grown = Buffer.allocUnsafe(Math.max(held + chunk.length, 2 * held, 512));
      this.buffer.copy(grown, 0, this.start, this.end);
      this.buffer = grown;
      this.start = 0;
      this.end = held;
      this.owned = true;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }

  /** next takes the next whole message (a copy: the handler may keep it), or undefined while it is incomplete. */
  next(): Buffer | undefined {
    if (this.end - this.start < 2) return undefined;
    const length = this.buffer.readUInt16BE(this.start);
    if (this.end - this.start < 2 + length) return undefined;
    const msg = Buffer.from(this.buffer.subarray(this.start + 2, this.start + 2 + length));
    this.start += 2 + length;
    if (this.start === this.end) {
      // Nothing held: drop the buffer, so that an idle connection keeps no memory.
      this.buffer = EMPTY;
      this.start = this.end = 0;
      this.owned = false;
    }
    return msg;
  }
}
