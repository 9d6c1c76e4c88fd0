import { scenario } from '../engine/builder.ts';

/**
 * The route runs along the meridian 30° E from 50° N to 52° N. The vehicle leaves it at 51° N heading due
 * east at 60 km/h: a great circle that starts perpendicular to the route, so its distance from the route
 * is exactly the distance driven. It stops at 49 km (49 min): no 03. At 55 min it drives 1 min at 120 km/h
 * and stops at 51 km: 03 at the self-check of 56 min, once.
 */
export default scenario('seal-route-deviation')
  .title('03 at 51 km off the route, none at 49 km')
  .tags('seal', 'mqtt')
  .covers('EAEU seal event 03')
  .emulated('seal-ru', 'operator-ru')
  .start('2026-03-02T08:00:00Z')
  .world('position', { lat: 51, lon: 30 })
  .world('heading', { degrees: 90 })
  .world('speed', { kmh: 60 })
  .stimulus('seal-ru', 'arm', { consignment: 'EAEU-2026-000120', route: [{ lat: 50, lon: 30 }, { lat: 52, lon: 30 }] })
  .until('49m')
  .world('stop')
  .until('55m')
  .check('none at 49 km', (e) => e.absent({ device: 'operator-ru', kind: 'event' }))
  .world('speed', { kmh: 120 })
  .until('56m')
  .world('stop')
  .until('60m')
  .expect((e) =>
    e
      .records({ device: 'operator-ru', kind: 'event', code: '03', count: 1, window: { from: '56m', to: '56m' }, fields: { detail: '51.0 km off route', custody: 'tracking' } })
      .absent({ device: 'operator-ru', kind: 'event' }),
  )
  .build();
