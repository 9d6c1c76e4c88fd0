import { scenario } from '../engine/builder.ts';

/**
 * Issue 15: 28 days on one driver card, read back through card downloads: EF Driver_Activity_Data's cyclic
 * string (App. 1 2.17, CardDriverActivity) wraps, the oldest day gives way whole, the newest days stay whole.
 *
 * A gen2 driver card's activity string is 13 776 bytes (App. 2: "56 days * 117 activity changes"). A day of
 * the card is a record of 12 bytes and 2 per activity change; a day with a change every 6 minutes holds 240
 * (the word at 00:00 and 239 changes) and takes 492 bytes: 28 such days fill the string exactly (28 × 492 =
 * 13 776). Anna's card stays in vehicle A's VU from 2026-03-02 00:00 while she switches between WORK and
 * AVAILABILITY every 6 minutes. A card download on day 15 (06:00) finds the first 14 days whole and day 15 begun;
 * the last, on day 29 at 12:00, finds days 2..28 whole (240 changes each), day 29 up to 12:00 (121 words) and
 * day 1 gone: 27 × 492 + 254 = 13 538 bytes fit, day 1's 492 more would not (Annex IC 148: the oldest data give
 * way). Each day's presence counter is its number (App. 1 2.7). Tagged long: 29 days of rig time.
 */
const DAY = 86_400_000;
const STEP_MIN = 6;
const END_MIN = 28 * 1440 + 12 * 60; // day 29, 12:00
const CHECK_MIN = 14 * 1440 + 6 * 60; // day 15, 06:00

let s = scenario('driver-card-28-days')
  .title('28 days on one driver card: the cyclic activity file wraps, the oldest day gives way whole, the newest 28 stay whole (through card downloads)')
  .tags('vu', 'cards', 'downloads', 'long')
  .covers('Annex IC 146', 'Annex IC 148', 'Annex IC 291')
  .emulated('vu-day-a')
  .start('2026-03-02T00:00:00Z')
  .stimulus('vu-day-a', 'insertCard', { slot: 'driver', card: 'anna' });

const at = (minute: number) => `${minute}m`;
for (let minute = STEP_MIN, n = 1; minute <= END_MIN; minute += STEP_MIN, n++) {
  s = s.until(at(minute)).stimulus('vu-day-a', 'selectActivity', { slot: 'driver', activity: n % 2 === 1 ? 'work' : 'availability' });
  if (minute === CHECK_MIN) {
    s = s.check('day 15, 06:00: days 1..14 whole (240 changes each), day 15 begun (61 words), nothing given way yet', (e) =>
      e
        .records({ device: 'vu-day-a', kind: 'driverCardDownload', code: 'B000000012345601', count: 1, fields: { verified: true, problems: [] } })
        .records({ device: 'vu-day-a', kind: 'driverCardDay', count: 14, window: { from: '0s', to: '13d' }, fields: { cardNumber: 'B000000012345601', distanceKm: 0, changes: 240 } })
        .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 1, count: 1, window: { from: '0s', to: '0s' } })
        .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 14, count: 1, window: { from: '13d', to: '13d' } })
        .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 15, count: 1, window: { from: '14d', to: '14d' }, fields: { cardNumber: 'B000000012345601', distanceKm: 0, changes: 61 } })
        .absent({ device: 'vu-day-a', kind: 'driverCardDay' }),
    );
  }
}

export default s
  .until(`${END_MIN}m30s`)
  .expect((e) =>
    e
      .records({ device: 'vu-day-a', kind: 'driverCardDownload', code: 'B000000012345601', count: 1, fields: { verified: true, problems: [] } }, 'the card download verifies')
      .records({ device: 'vu-day-a', kind: 'driverCardDay', count: 27, window: { from: '1d', to: '27d' }, fields: { cardNumber: 'B000000012345601', distanceKm: 0, changes: 240 } }, 'days 2..28 whole: 240 changes each')
      .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 2, count: 1, window: { from: '1d', to: '1d' } }, 'the oldest kept is day 2, its presence counter 2')
      .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 28, count: 1, window: { from: '27d', to: '27d' } })
      .records({ device: 'vu-day-a', kind: 'driverCardDay', code: 29, count: 1, window: { from: '28d', to: '28d' }, fields: { cardNumber: 'B000000012345601', distanceKm: 0, changes: 121 } }, 'day 29 up to 12:00: the word at 00:00 and 120 changes')
      .absent({ device: 'vu-day-a', kind: 'driverCardDay' }, 'day 1 gave way (Annex IC 148)')
      .records({ device: 'vu-day-a', kind: 'driverCardActivity', code: 'work', count: 1, window: { from: `${END_MIN - STEP_MIN}m`, to: `${END_MIN - STEP_MIN}m` } }, "the newest day's second-last change, 11:54")
      .records({ device: 'vu-day-a', kind: 'driverCardActivity', code: 'availability', count: 1, window: { from: `${END_MIN}m`, to: `${END_MIN}m` } }, "the newest change, 12:00")
      .records({ device: 'vu-day-a', kind: 'driverCardActivity', count: 27 * 240 + 121 }, 'every change of days 2..29 and nothing else')
      .absent({ device: 'vu-day-a', kind: 'driverCardActivity' })
      .absent({ device: 'vu-day-a', kind: 'driverCardActivity', window: { to: `${DAY / 60_000 - 1}m` } }, 'nothing of day 1')
      .absent({ device: 'vu-day-a', kind: 'driverCardEvent' })
      .absent({ device: 'vu-day-a', kind: 'driverCardFault' })
      .absent({ device: 'vu-day-a', kind: 'event' })
      .absent({ device: 'vu-day-a', kind: 'fault' }),
  )
  .build();
