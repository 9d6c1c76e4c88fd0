import type { RigClock, TimerId } from './rig-clock.ts';

/**
 * Runs `tick` every `periodMs` of rig time, at whole periods from now: a device's 1 Hz sample (the VU's second,
 * the EGF receiver's sentences, GNS_9). Each firing is scheduled at its own instant, not `periodMs` after the
 * previous one ran: on a wall clock a timer fires late by the host's load (a few ms, seconds on a stalled
 * bench PC), and re-arming from the late firing made the period drift (an EGF that lost a second every few
 * minutes on the stand-in). A firing that comes after the next period's instant (a stall) skips the periods it
 * missed rather than running them in a burst: a sample of the same instant twice is no sample of a second.
 * On a virtual clock timers fire on time, so this is exactly re-arming after each tick (ties order the same:
 * the next is scheduled after `tick` ran). Returns the stop.
 */
export function everyPeriod(clock: Pick<RigClock, 'now' | 'schedule' | 'clearTimeout'>, periodMs: number, tick: () => void): () => void {
  if (!(periodMs > 0)) throw new RangeError(`a period is more than 0 ms, not ${periodMs}`);
  let next = clock.now() + periodMs;
  let timer: TimerId;
  let stopped = false;
  const arm = () => {
    timer = clock.schedule(next, () => {
      tick();
      if (stopped) return;
      next += periodMs;
      const now = clock.now();
      if (next <= now) next += Math.ceil((now - next) / periodMs + Number.EPSILON) * periodMs;
      arm();
    });
  };
  arm();
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
