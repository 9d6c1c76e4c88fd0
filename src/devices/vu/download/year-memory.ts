import { cardIWRecordAtInsertion, closeCardIWRecord } from '../../cards/card-iw-record.ts';
import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import type { Rng } from '../../../crypto/random.ts';
import type { VuGnssAd } from '../../../protocols/app7-records/index.ts';
import type { ActivityChangeInfo, Activity } from '../activities/index.ts';
import { beginSpan, endSpan, recordInstant, type EventMemory } from '../data-memory/event-store.ts';
import type { DetailedSpeedBlock } from '../motion/detailed-speed.ts';
import type { VuDataMemory } from '../vu-data-memory.ts';

/**
 * A VU data memory holding a year of use, built directly (not by simulating the year), for the download
 * benchmark: every day one driver, 10 h of driving at about 80 km/h in the App. 1 activity records, the
 * card inserted 06:00 to 18:15, the GNSS position at each 3 h of accumulated driving, detailed speed for the
 * last 1 440 moving minutes, and the events and faults of a year kept through the §3.12.8 storing rules
 * (an over speeding a week, a card insertion while driving and a power interruption a month, a sensor fault
 * a quarter). `template` is a fresh VU's memory at `end` (00:00 UTC of the day after the last day).
 */
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A working day: (minute, activity) with the card in from 06:00 to 18:15; 600 minutes of driving. */
const DAY_PLAN: readonly [number, Activity][] = [
  [360, 'work'],
  [390, 'driving'], // 06:30-11:00
  [660, 'break-rest'],
  [705, 'driving'], // 11:45-16:15
  [975, 'work'],
  [990, 'break-rest'],
  [1020, 'driving'], // 17:00-18:00
  [1080, 'work'],
];
const CARD_IN = 360;
const CARD_OUT = 1095;
const KMH = 80;

export function yearOfDataMemory(template: VuDataMemory, options: { end: number; days: number; card: VirtualCard; rng: Rng }): VuDataMemory {
  const { end, days, card, rng } = options;
  const first = end - days * DAY_MS;
  const cards = { driver: fullCardNumberOf(card), codriver: null };
  const noCards = { driver: null, codriver: null };
  const activityDays: Record<string, ActivityChangeInfo[]> = { ...template.activities.days };
  const midnightOdometers: { day: number; km: number }[] = [];
  const iw = [];
  const gnssAdRecords: VuGnssAd[] = [];
  const moving: number[] = [];
  let km = 100_000;
  let accumulated = 0;
  let events: EventMemory = template.events;
  for (let d = 0; d < days; d++) {
    const day = first + d * DAY_MS;
    midnightOdometers.push({ day, km });
    const words: ActivityChangeInfo[] = [
      { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
      { slot: 'co-driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
    ];
    for (const [minute, activity] of DAY_PLAN) words.push({ slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity, minute });
    words.push({ slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: CARD_OUT });
    activityDays[new Date(day).toISOString().slice(0, 10)] = words;
    const kmAtInsertion = km;
    // driving minutes: the odometer and the accumulated driving time count on, a GNSS record at each 3 h
    for (let i = 0; i < DAY_PLAN.length; i++) {
      const [from, activity] = DAY_PLAN[i]!;
      if (activity !== 'driving') continue;
      const to = DAY_PLAN[i + 1]![0];
      for (let m = from; m < to; m++) {
        const t = day + m * MINUTE_MS;
        km += KMH / 60;
        accumulated++;
        if (d >= days - 3) moving.push(t / 1000);
        if (accumulated % 180 === 0) {
          const place = { timeStamp: t, gnssAccuracy: 5, latitude: 50_500 + rng.int(0, 400), longitude: 4_200 + rng.int(0, 400) };
          gnssAdRecords.push({ timeStamp: t + MINUTE_MS, driverCard: cards.driver, codriverCard: null, place, odometerKm: Math.floor(km) });
        }
      }
    }
    iw.push(
      closeCardIWRecord(cardIWRecordAtInsertion(card, { slot: 'driver', at: day + CARD_IN * MINUTE_MS, odometerKm: Math.floor(kmAtInsertion) }), {
        at: day + CARD_OUT * MINUTE_MS,
        odometerKm: Math.floor(km),
      }),
    );
    const s = (minute: number) => Math.floor((day + minute * MINUTE_MS) / 1000);
    if (d % 7 === 3) {
      const begun = beginSpan(events, { type: 0x07, at: s(400), cards });
      events = endSpan(begun.memory, { id: begun.id, at: s(402), cards, data: { maxSpeed: 96 + rng.int(0, 10), averageSpeed: 92 + rng.int(0, 3) } });
    }
    if (d % 30 === 11) events = recordInstant(events, { type: 0x05, at: s(720), cards });
    if (d % 30 === 21) {
      const begun = beginSpan(events, { type: 0x08, at: s(120), cards: noCards });
      events = endSpan(begun.memory, { id: begun.id, at: s(130), cards: noCards });
    }
    if (d % 91 === 45) {
      const begun = beginSpan(events, { type: 0x35, at: s(500), cards });
      events = endSpan(begun.memory, { id: begun.id, at: s(540), cards });
    }
  }
  // Annex IC §3.12.9: the last 24 h of movement, one block per moving minute
  const blocks: DetailedSpeedBlock[] = moving.slice(-1440).map((begin) => ({ begin, speeds: Array.from({ length: 60 }, () => KMH - 5 + rng.int(0, 10)) }));
  return {
    ...template,
    events,
    activities: { ...template.activities, days: activityDays },
    midnightOdometers: [...midnightOdometers, ...template.midnightOdometers.filter((m) => m.day >= end)],
    slots: { ...template.slots, iw },
    gnssAdRecords,
    detailedSpeed: { blocks },
  };
}
