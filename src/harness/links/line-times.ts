/**
 * When the bytes of one delivery arrived on the line, byte by byte, for meters of the line's timing
 * (answer-timing.ts). A wire hands bytes on in deliveries stamped with one instant; how that instant relates to
 * each byte depends on whether the rig saw the line:
 * - `stamped`: the instant is when the last of them arrived: a paced wire's due time (exact), or the stamp of
 *   an OS read of bytes a device outside the rig sent. The bytes before it are taken to have come one
 *   character apart, as a UART clocks out a write back to back (exact for a paced group; for an OS read, the
 *   earliest they can have come). Never before the direction's previous byte.
 * - `clocked`: the instant is when a rig end wrote them to an OS port (a real serial line, or a pty whose far
 *   program paces what it reads): a UART clocks them out from then, one character each, after what it still
 *   had to send.
 * - `instant`: between two rig ends with pacing off: they arrive as written.
 */
export type LineModel = 'stamped' | 'clocked' | 'instant';

export interface LineClock {
  /** The arrival of the direction's last byte so far (-Infinity before any). */
  lastAt: number;
}

/** Each byte's arrival (its stop bit), rig ms; advances `line`. `charMs`: one character's time on the line. */
export function byteArrivals(model: LineModel, count: number, at: number, charMs: number, line: LineClock): number[] {
  const times = new Array<number>(count);
  if (model === 'clocked') {
    const start = Math.max(at, line.lastAt);
    for (let i = 0; i < count; i++) times[i] = start + (i + 1) * charMs;
  } else if (model === 'stamped') {
    for (let i = 0; i < count; i++) times[i] = Math.max(line.lastAt, at - (count - 1 - i) * charMs);
  } else {
    times.fill(Math.max(at, line.lastAt));
  }
  if (count > 0) line.lastAt = times[count - 1]!;
  return times;
}
