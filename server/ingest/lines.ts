/** Splits bytes into lines, keeping the byte offset after the last complete line (what a checkpoint stores). */

/** Longer lines are cut here (the rest up to the newline is skipped): a runaway line must not eat memory. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const NL = 0x0a;

export interface LineSplitter {
  /** Feeds the next bytes of the file; calls onLine for every complete line (without \n or \r\n). */
  push(chunk: Buffer, onLine: (line: string) => void): void;
  /** Emits the carried unterminated line, if any, as a line (the file is finished). */
  end(onLine: (line: string) => void): void;
  /** Byte offset after the last complete line handed out. */
  offset(): number;
  /** Byte offset the next chunk starts at (offset plus the carried partial line). */
  readPosition(): number;
  /** Bytes of the carried partial line. */
  pendingBytes(): number;
}

export function createLineSplitter(startOffset: number): LineSplitter {
  let offset = startOffset;
  let carry: Buffer | null = null;
  /** Inside an overlong line: drop bytes up to the next newline. */
  let skipping = false;

  /**
   * Decodes each line on its own (invalid bytes become U+FFFD). One string per line, not slices of a
   * chunk-wide string: a field kept for days (a pending message's sender) must not pin a 1 MB chunk.
   */
  const emitText = (data: Buffer, end: number, onLine: (line: string) => void) => {
    let start = 0;
    while (start <= end) {
      let nl = data.indexOf(NL, start);
      if (nl < 0 || nl > end) nl = end;
      const cut = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      onLine(data.toString('utf8', start, cut));
      start = nl + 1;
    }
  };

  return {
    push(chunk, onLine) {
      if (chunk.length === 0) return;
      let data = chunk;
      let dataStart = offset;
      if (skipping) {
        const nl = chunk.indexOf(NL);
        if (nl < 0) {
          offset += chunk.length;
          return;
        }
        skipping = false;
        offset += nl + 1;
        dataStart = offset;
        data = chunk.subarray(nl + 1);
        if (data.length === 0) return;
      } else if (carry) {
        data = Buffer.concat([carry, chunk]);
        carry = null;
      }
      const last = data.lastIndexOf(NL);
      if (last < 0) {
        if (data.length > MAX_LINE_BYTES) {
          onLine(data.toString('utf8', 0, MAX_LINE_BYTES));
          offset = dataStart + data.length;
          skipping = true;
          return;
        }
        // Copy: the caller may reuse its read buffer.
        carry = Buffer.from(data);
        return;
      }
      if (last > 0 || data.length > 0) emitText(data, last, onLine);
      offset = dataStart + last + 1;
      if (last + 1 < data.length) {
        const rest = data.subarray(last + 1);
        if (rest.length > MAX_LINE_BYTES) {
          onLine(rest.toString('utf8', 0, MAX_LINE_BYTES));
          offset += rest.length;
          skipping = true;
        } else {
          carry = Buffer.from(rest);
        }
      }
    },
    end(onLine) {
      if (carry && carry.length > 0) {
        emitText(carry, carry.length, onLine);
        offset += carry.length;
      }
      carry = null;
      skipping = false;
    },
    offset: () => offset,
    readPosition: () => offset + (carry ? carry.length : 0),
    pendingBytes: () => (carry ? carry.length : 0),
  };
}
