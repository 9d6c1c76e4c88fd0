import { scenario } from '../engine/builder.ts';

/**
 * Decision 141 item 23: a KZ customs officer's special device activates a tracking RU seal in
 * Kazakhstan. The RU (home) operator gets coordinates, speed, fix time and power level, once, and forwards
 * them to the KZ operator; the reader that activated the seal, and only it, gets battery and diagnostics.
 *
 * The vehicle drives due north from Almaty at 60 km/h from the start, so at 08:10:00 it is exactly 10 km
 * north: 43.2389° + 10 000 m / 6 371 008.8 m (rad) = 43.328832°. The seal fixes every second; the
 * activation arrives 500 ms after 08:10:00, so the fix time is 08:10:00.000, not the time of sending.
 */
export default scenario('seal-short-range-activation')
  .title('An authorised reader activates a tracking seal abroad: one report home, forwarded, one reply to that reader')
  .tags('seal', 'mqtt')
  .covers('EEC Decision 141 item 23', 'EEC Decision 141 item 22', 'EEC Decision 141 item 16', 'EEC Decision 141 item 5')
  .emulated('seal-ru', 'reader-kz', 'operator-ru', 'operator-kz')
  .start('2026-03-02T08:00:00Z')
  .world('position', { lat: 43.2389, lon: 76.8897 })
  .world('heading', { degrees: 0 })
  .world('speed', { kmh: 60 })
  .stimulus('seal-ru', 'arm', { consignment: 'EAEU-2026-000117', route: [{ lat: 43.2389, lon: 76.8897 }, { lat: 49.8, lon: 73.1 }] })
  .until('10m500ms')
  .stimulus('reader-kz', 'activate', { sealId: 'RU-0001' })
  .wait('5s')
  .expect((e) =>
    e
      .records({
        device: 'operator-ru',
        kind: 'activation',
        count: 1,
        window: { from: '10m500ms', to: '10m600ms' },
        fields: {
          sealId: 'RU-0001',
          reader: 'KZ-CUSTOMS-07',
          custody: 'tracking',
          consignment: 'EAEU-2026-000117',
          fix: { lat: 43.328832, lon: 76.8897, speedKmh: 60, time: '2026-03-02T08:10:00.000Z', status: 'current' },
          batteryPercent: 99.9,
        },
      })
      .records({ device: 'operator-ru', kind: 'position', count: 11 })
      .records({ device: 'operator-ru', kind: 'forwarded', code: 'KZ', count: 12, fields: { status: 'accepted', roundTripMs: 0 } }, 'KZ acknowledged every forward')
      .absent({ device: 'operator-ru' })
      // KZ checks the seal's own signature on each document (the key RU vouches for in its signed envelope).
      .records({ device: 'operator-kz', kind: 'peer', code: 'activation', count: 1, fields: { from: 'RU', sealId: 'RU-0001', transferMs: 0, withinLimit: true, verifiedBy: 'seal' } })
      .records({ device: 'operator-kz', kind: 'peer', code: 'position', count: 11, fields: { withinLimit: true, verifiedBy: 'seal' } })
      .absent({ device: 'operator-kz' })
      .records({
        device: 'reader-kz',
        kind: 'status',
        count: 1,
        fields: {
          sealId: 'RU-0001',
          custody: 'tracking',
          batteryPercent: 99.9,
          diagnostics: { gnss: 'ok', lock: 'ok', housing: 'ok', memory: 'ok', modem: 'ok', battery: 'ok' },
          framesRefused: 0,
          authentic: true,
        },
      })
      .absent({ device: 'reader-kz' })
      .absent({ device: 'reader-rogue' }, 'nothing to any other reader'),
  )
  .build();
