import type { Deframer } from '../port-codec.ts';

/**
 * Cuts a byte stream into lines ending in LF (a CR before it stays in the line). A line that reaches
 * `maxLine` bytes without an LF is cut there, so a line that never ends cannot grow without bound.
 * Plain data in and out: a machine keeps `pending` (the bytes of the unfinished line) in its context.
 */
export function splitLines(pending: readonly number[], bytes: Uint8Array, maxLine: number): { pending: number[]; lines: Uint8Array[] } {
  const lines: Uint8Array[] = [];
  let line = [...pending];
  for (const byte of bytes) {
    line.push(byte);
    if (byte === 0x0a || line.length >= maxLine) {
      lines.push(Uint8Array.from(line));
      line = [];
    }
  }
  return { pending: line, lines };
}

/** {@link splitLines} as a stateful deframer, for the trace. */
export function createLineDeframer(maxLine: number): Deframer {
  let pending: number[] = [];
  return {
    push(bytes) {
      const r = splitLines(pending, bytes, maxLine);
      pending = r.pending;
      return r.lines;
    },
  };
}
