/**
 * Detailed speed (Annex IC §3.12.9): the speed of every second of every minute during which the vehicle
 * moved, for at least the last 24 hours of movement, as `VuDetailedSpeedBlock`s: the minute's begin
 * (TimeReal) and its 60 speeds, each as the App. 1 Speed octet holds it (stored-speed.ts). A minute without
 * movement is not stored.
 */
export interface DetailedSpeedBlock {
  /** TimeReal of the minute's first second. */
  begin: number;
  speeds: number[];
}
