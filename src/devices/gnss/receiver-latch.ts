import type { AnyActorRef, AnyStateMachine, EventObject } from 'xstate';
import { sampledBeforeEachEvent, type Latch } from '../sampled-before-events.ts';
import { everyPeriod, type RigClock } from '../../harness/clock/index.ts';
import type { ReceiverSentences } from '../../protocols/nmea/index.ts';

/**
 * Issue 18: the EGF's receiver at the cost of what reads it. The receiver still gives its sentences once a
 * second (GNS_9), read from the world at that second, on the rig clock, in the order it always did; but the
 * transceiver's records 01..06 (GNS_23 step 2) and the time of the last data (GNS_30) are only looked at by a
 * command from the VU (every 20 s) or by someone reading the EGF. So the second's reading is latched outside
 * the machine, and the machine takes the latest one in one event (`receiver.sample`) before any other event
 * (the wrapper below, as the VU's latched seconds: vu/sampling/latched-seconds.ts) and when the virtual clock
 * stops. Storing a reading only replaces the one before it, so the latest reading and the latest one with a
 * fix give the same records as taking every second. 86 400 XState events a day become one per VU request.
 *
 * The machine's state at a ring is its state at the last event (every event takes the latch first), so a ring
 * knows whether the receiver is on and the unit intact, as the per-second event did. On a wall clock each
 * reading is taken as it rings.
 */
export interface ReceiverReading {
  at: number;
  sentences: ReceiverSentences;
  fix: boolean;
}

/** What the sample step takes: the latest reading and the instant of the latest with a fix. */
type Taken = { reading: ReceiverReading; lastFix: number | null };

export class ReceiverLatch implements Latch<Taken | null> {
  private latest: ReceiverReading | null = null;
  private lastFix: number | null = null;

  get pending(): boolean {
    return this.latest !== null;
  }

  ring(reading: ReceiverReading): void {
    this.latest = reading;
    if (reading.fix) this.lastFix = reading.at;
  }

  /** The latest reading and the instant of the latest with a fix (null: none since the last take), left in the latch. */
  peek(): { reading: ReceiverReading; lastFix: number | null } | null {
    return this.latest ? { reading: this.latest, lastFix: this.lastFix } : null;
  }

  /** As {@link peek}, the latch emptied. */
  take(): { reading: ReceiverReading; lastFix: number | null } | null {
    const taken = this.peek();
    this.latest = null;
    this.lastFix = null;
    return taken;
  }

  /** Puts back what a failed step took, unless a newer reading rang since (or it was not taken). */
  putBack(taken: Taken | null): void {
    if (this.latest || !taken) return;
    this.latest = taken.reading;
    this.lastFix = taken.lastFix;
  }
}

const latches = new WeakMap<AnyActorRef, ReceiverLatch>();

export function receiverLatchOf(egf: AnyActorRef): ReceiverLatch {
  let latch = latches.get(egf);
  if (!latch) latches.set(egf, (latch = new ReceiverLatch()));
  return latch;
}

/**
 * The receiver's one-second timer for the EGF actor `egf`: `read` gives the reading at an instant (undefined:
 * the receiver gives nothing now), `sample` sends the machine its sampling event. Returns the stop.
 */
export function startReceiverTimer(
  clock: Pick<RigClock, 'now' | 'schedule' | 'clearTimeout' | 'mode' | 'onIdle'>,
  periodMs: number,
  egf: AnyActorRef,
  read: (at: number) => ReceiverReading | undefined,
  sample: () => void,
): () => void {
  const latch = receiverLatchOf(egf);
  const lazy = clock.mode === 'virtual' && clock.onIdle !== undefined;
  const stopTimer = everyPeriod(clock, periodMs, () => {
    const reading = read(clock.now());
    if (!reading) return;
    latch.ring(reading);
    if (!lazy) sample();
  });
  const stopIdle = lazy ? clock.onIdle!(() => latch.pending && sample()) : () => {};
  return () => {
    stopTimer();
    stopIdle();
  };
}

/** The machine whose every event is preceded by taking the latched reading of its actor (`sampleEvent`). */
export function latchedReceiver<T extends AnyStateMachine>(machine: T, sampleEvent: EventObject): T {
  return sampledBeforeEachEvent(machine, sampleEvent, (actor) => latches.get(actor));
}
