/**
 * When the bytes of one delivery arrived on the line, byte by byte, for meters of the line's timing
 * (answer-timing.ts). A wire hands bytes on in deliveries stamped with one instant; how that instant relates to
 * each byte depends on whether the rig saw the line:
 * - `stamped`: a paced wire's delivery: the instant is when the last of them was due, and the bytes before it
 *   came one character apart (exact: the wire paced them so; a group that waited out a delivery quantum is
 *   off by less than the quantum). Never before the direction's previous byte.
 * - `clocked`: the instant is when a rig end wrote them to an OS port (a real serial line, or a pty whose far
 *   program paces what it reads): a UART clocks them out from then, one character each, after what it still
 *   had to send.
 * - `instant`: they arrive at the instant: between two rig ends with pacing off, or read unpaced from an OS
 *   port (a serial link from a device outside the rig), where all the rig knows is that they were there when
 *   read. A figure timed from such bytes errs late, by at most what the adapter held them (its latency timer):
 *   never early. (Reckoning back from the read by the bytes' line time would be right for a UART clocking
 *   them in, and early by a whole frame for a pty, where a program outside writes a frame at once.)
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
