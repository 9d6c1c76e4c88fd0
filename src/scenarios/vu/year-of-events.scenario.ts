import { scenario } from '../engine/builder.ts';

/**
 * Issue 18: a year in the VU's life, read back through its download: of a year's over speedings (0x07) and
 * supply interruptions (0x08), exactly the §3.12.8 storing rules' survivors remain (Annex IC 117).
 *
 * 365 days (2026-03-02 to 2027-03-01) with Anna's card in all year, driving 30 minutes every morning at
 * 80 km/h (08:00-08:30 UTC). Choice: 30 minutes rather than a working day's hours, so the year runs in minutes
 * on the long set; the storing rules look at days and years, not at hours of driving.
 * - Over speeding: day 0 at 140 km/h, and days 3, 13, 23 ... 363 (37 days, about three a month) at 95..135 km/h,
 *   all different, for 70 s from 08:10. Most serious = highest average speed (the row's footnote).
 * - Supply interruptions: days 17, 47 ... 347 (12, one a month), at 12:00 while parked, 2..16 minutes long
 *   (day 47's the longest), all different.
 * Read on day 365 (2027-03-02), so "the last 365 days" are days 1..365 (retention.ts: today and the 364
 * before): day 0's 140 km/h, the year's fastest, has left them. Each type's rows keep (Annex IC 117):
 * the most serious (longest) of each of the 10 last days of occurrence, purpose '04'H ('01'H), and the 5 most
 * serious (longest) of the last 365 days, '05'H ('02'H); an occurrence under both is one record with two
 * purposes. The VU is not calibrated in this run, so 0x07's "first after the last calibration" keeps none.
 * The survivors are worked out below from these rules alone; every other occurrence must be gone.
 */
const DAYS = 365;
const overSpeedings = [{ day: 0, kmh: 140 }, ...Array.from({ length: 37 }, (_, k) => ({ day: 3 + 10 * k, kmh: 95 + ((10 * k * 37 + 3 * 37) % 41) }))];
const interruptions = Array.from({ length: 12 }, (_, k) => ({ day: 17 + 30 * k, minutes: k === 1 ? 16 : 2 + ((k * 5 + 1) % 14) }));

/** Which occurrences a type's two rules keep on `today`, and under which purposes: [day rule, year rule]. */
function survivors<T extends { day: number }>(all: T[], measure: (o: T) => number, today: number, purposes: [number, number]): { o: T; purposes: number[] }[] {
  // one occurrence a day here, so "the most serious of the day" is that day's occurrence
  const lastTenDays = new Set([...all].sort((a, b) => b.day - a.day).slice(0, 10));
  const ofYear = new Set(all.filter((o) => o.day > today - 365).sort((a, b) => measure(b) - measure(a)).slice(0, 5));
  return all
    .filter((o) => lastTenDays.has(o) || ofYear.has(o))
    .map((o) => ({ o, purposes: [...(lastTenDays.has(o) ? [purposes[0]] : []), ...(ofYear.has(o) ? [purposes[1]] : [])] }));
}

const keptOverSpeedings = survivors(overSpeedings, (o) => o.kmh, DAYS, [0x04, 0x05]);
const keptInterruptions = survivors(interruptions, (o) => o.minutes, DAYS, [0x01, 0x02]);

let s = scenario('year-of-events')
  .title('A year of driving with a few events a month: exactly the §3.12.8 storing rules’ survivors remain in the download')
  .tags('vu', 'events', 'downloads', 'long')
  .covers('Annex IC 117', 'Annex IC 3.9 over speeding', 'Annex IC 3.9 power supply interruption')
  .emulated('vu', 'sensor')
  .start('2026-03-02T00:00:00Z')
  .stimulus('vu', 'insertCard', { slot: 'driver', card: 'anna' });

for (let day = 0; day < DAYS; day++) {
  s = s.until(`${day}d8h`).world('speed', { kmh: 80 });
  const fast = overSpeedings.find((o) => o.day === day);
  if (fast) s = s.until(`${day}d8h10m`).world('speed', { kmh: fast.kmh }).until(`${day}d8h11m10s`).world('speed', { kmh: 80 });
  s = s.until(`${day}d8h30m`).world('stop');
  const cut = interruptions.find((o) => o.day === day);
  if (cut) s = s.until(`${day}d12h`).stimulus('vu', 'supply', { on: false }).until(`${day}d12h${cut.minutes}m`).stimulus('vu', 'supply', { on: true });
}

export default s
  .until(`${DAYS}d1h`)
  .expect((e) => {
    e.records({ device: 'vu', kind: 'event', code: 0x07, count: keptOverSpeedings.length }, `${keptOverSpeedings.length} over speedings of ${overSpeedings.length} kept`);
    for (const { o, purposes } of keptOverSpeedings) {
      e.records({ device: 'vu', kind: 'event', code: 0x07, count: 1, window: { from: `${o.day}d8h10m`, to: `${o.day}d8h10m1s` }, fields: { averageSpeed: o.kmh, maxSpeed: o.kmh, purposes } });
    }
    e.records({ device: 'vu', kind: 'event', code: 0x08, count: keptInterruptions.length }, `${keptInterruptions.length} supply interruptions of ${interruptions.length} kept`);
    for (const { o, purposes } of keptInterruptions) {
      e.records({ device: 'vu', kind: 'event', code: 0x08, count: 1, window: { from: `${o.day}d12h`, to: `${o.day}d12h` }, fields: { purposes } });
    }
    e.absent({ device: 'vu', kind: 'event' }, 'no other event: every other occurrence has given way');
    e.absent({ device: 'vu', kind: 'fault' });
  })
  .build();
