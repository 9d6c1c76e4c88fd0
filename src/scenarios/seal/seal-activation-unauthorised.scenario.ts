import { scenario } from '../engine/builder.ts';

/**
 * A reader whose key is not the one the seal's home operator provisioned tries to activate the seal: it
 * gets a refusal and no data; the seal reports event 07 (unauthorised actions) home and counts itself
 * violated. No activation report, and nothing reaches the authorised reader in range.
 */
export default scenario('seal-activation-unauthorised')
  .title('A reader with a wrong key gets no data; the home operator gets event 07')
  .tags('seal', 'mqtt')
  .covers('EEC Decision 141 item 23', 'EAEU seal event 07')
  .emulated('seal-ru', 'reader-rogue', 'operator-ru')
  .start('2026-03-02T08:00:00Z')
  .stimulus('seal-ru', 'arm', { consignment: 'EAEU-2026-000118', route: [{ lat: 50.8503, lon: 4.3517 }, { lat: 52.52, lon: 13.405 }] })
  .until('90s')
  .stimulus('reader-rogue', 'activate', { sealId: 'RU-0001' })
  .wait('5s')
  .expect((e) =>
    e
      .records({ device: 'reader-rogue', kind: 'refused', code: 'badMac', count: 1, fields: { sealId: 'RU-0001' } })
      .absent({ device: 'reader-rogue' }, 'no seal data for the wrong key')
      .absent({ device: 'reader-kz' })
      .records({
        device: 'operator-ru',
        kind: 'event',
        code: '07',
        count: 1,
        window: { from: '90s', to: '90100ms' },
        fields: { sealId: 'RU-0001', custody: 'violated', detail: 'activation refused (badMac) for reader XX-UNKNOWN-01' },
      })
      .records({ device: 'operator-ru', kind: 'position', count: 2 })
      .records({ device: 'operator-ru', kind: 'forwarded', count: 3 })
      .absent({ device: 'operator-ru' }, 'no activation report'),
  )
  .build();
