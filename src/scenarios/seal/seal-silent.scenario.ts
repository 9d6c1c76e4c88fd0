import { scenario } from '../engine/builder.ts';

/**
 * The seal is switched off after its report at 2 min. With a 60 s exchange period the operator expects
 * reports at 3 and 4 min; two periods after the last one (plus the 1 s grace) it raises 06, once.
 */
export default scenario('seal-silent')
  .title('A seal powered off: its home operator raises 06 after two exchange periods')
  .tags('seal', 'mqtt')
  .covers('EAEU seal event 06')
  .emulated('seal-ru', 'operator-ru')
  .start('2026-03-02T08:00:00Z')
  .until('2m30s')
  .stimulus('seal-ru', 'powerOff')
  .until('4m')
  .check('not yet at two periods', (e) => e.absent({ device: 'operator-ru', kind: 'event' }))
  .until('10m')
  .expect((e) =>
    e
      .records({ device: 'operator-ru', kind: 'position', count: 3 })
      .records({ device: 'operator-ru', kind: 'forwarded', count: 3 })
      .records({
        device: 'operator-ru',
        kind: 'event',
        code: '06',
        count: 1,
        window: { from: '4m1s', to: '4m1s' },
        fields: { sealId: 'RU-0001', source: 'operator', lastHeardAt: '2026-03-02T08:02:00.000Z' },
      })
      .absent({ device: 'operator-ru' }),
  )
  .build();
