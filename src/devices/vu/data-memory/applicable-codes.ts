/**
 * The EventFaultType codes (App. 1 §2.70) the shipped scenarios should each trigger and read back through
 * the App. 7 download: issue 11 §3's set, 0x01-0x0E, 0x11-0x1B, 0x21-0x25 and 0x31-0x39. `rig list
 * --covers` counts against it.
 *
 * In the set even where no shipped scenario covers them yet, because a VU records them and a scenario
 * could (on this rig once the missing peer exists, or on a bench with the real one):
 * - 0x03 time overlap: recorded on the driver card, not in the VU's memory (Annex IC §4.5.3.1.7); it needs
 *   cards that remember their last vehicle, as does 0x06 last card session not correctly closed;
 * - 0x0C communication error with the remote communication facility, 0x38 its fault: with the DSRC module;
 * - 0x32 printer fault, 0x33 display fault, 0x39 ITS interface fault: the rig emulates no printer, display
 *   or ITS interface, but a VU under test on a bench has them.
 * Left out: the "no further details" codes 0x10, 0x20, 0x30 and 0x40 (a VU uses them only when it cannot
 * say which breach or fault it saw, so no scenario can require one), 0x0F and the RFU and
 * manufacturer-specific ranges. (0x40 is the only card fault App. 1 names, so the VU does record it: a card
 * it cannot write, Annex IC 149; `card-write-failure` covers it, outside the set.)
 *
 * Note: the issue counts "37" applicable codes, but its four ranges hold 39; the count here is the set's.
 */
export const APPLICABLE_EVENT_FAULT_CODES: readonly number[] = [
  ...range(0x01, 0x0e),
  ...range(0x11, 0x1b),
  ...range(0x21, 0x25),
  ...range(0x31, 0x39),
];

/** Codes of the set the VU's memory never holds (EVENT_FAULT_TYPES has no row), with their App. 1 name. */
export const CARD_ONLY_CODES: Readonly<Record<number, string>> = { 0x03: 'time overlap' };

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
