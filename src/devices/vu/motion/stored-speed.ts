/**
 * What the data memory can hold of a measured speed. App. 1 §2.155 Speed is one octet, INTEGER(0..255) km/h,
 * with an "operational range 0 to 220 km/h" (Annex IC 32: the VU measures 0 to 220 km/h). A speed measured
 * beyond what the octet holds (a tampered or faulty pulse line can give any pulse rate) is stored as 255, the
 * largest value the type holds, rather than refused: the record (an over speeding, a detailed-speed second)
 * is what matters, and 255 says "255 km/h or more", as App. 1 §2.151 says it of a count. Speeds between 221
 * and 255 are stored as measured (the octet holds them; the operational range bounds accuracy, not storage).
 * The VU's own rules (over speeding, motion conflict, speed jump) work on the measured speed.
 */
export const STORED_SPEED_MAX = 255;

export function storedSpeed(kmh: number): number {
  return Math.min(STORED_SPEED_MAX, Math.max(0, Math.round(kmh)));
}
