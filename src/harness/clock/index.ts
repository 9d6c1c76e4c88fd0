export type { RigClock, Settler, TimerId, ClockErrorListener } from './rig-clock.ts';
export { ClockReentryError } from './rig-clock.ts';
export { VirtualClock, type VirtualClockOptions } from './virtual-clock.ts';
export { WallClock, type WallClockOptions } from './wall-clock.ts';
export { everyPeriod } from './periodic.ts';
export { checkTimeScale, rigTimeOn, MAX_TIME_SCALE, type TimeBase } from './time-base.ts';
