import { scenario } from '../engine/builder.ts';

/**
 * The battery is set to 15.5 % draining 1 % an hour, and each transmission costs 0.001 %. The self-check
 * at minute k sees 15.5 - k/60 - 0.001 k (k reports sent since, the first at the start): below 15 % first
 * at k = 29 (14.988 %), so event 05 is reported at 29 min, once, with the charge truncated to 14.9 %.
 */
export default scenario('seal-low-battery')
  .title('The battery drains below 15 %: event 05, once')
  .tags('seal', 'mqtt')
  .covers('EAEU seal event 05')
  .emulated('seal-ru', 'operator-ru')
  .start('2026-03-02T08:00:00Z')
  .stimulus('seal-ru', 'battery', { percent: 15.5, drainPercentPerHour: 1 })
  .until('28m30s')
  .check('still above 15 %', (e) => e.absent({ device: 'operator-ru', kind: 'event' }))
  .until('40m')
  .expect((e) =>
    e
      .records({
        device: 'operator-ru',
        kind: 'event',
        code: '05',
        count: 1,
        window: { from: '29m', to: '29m' },
        fields: { detail: 'battery 14.99 %', batteryPercent: 14.9 },
      })
      .absent({ device: 'operator-ru', kind: 'event' }),
  )
  .build();
