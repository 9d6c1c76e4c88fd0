import { scenario } from '../../src/scenarios/engine/builder.ts';

/** The same backbone vocabulary in TypeScript: a cut cable silences the logger until it is restored. */
export default scenario('cut-cable')
  .title('A cut cable makes the logger notice silence; frames resume after reconnect')
  .tags('backbone')
  .covers('backbone link faults')
  .emulated('beacon', 'logger')
  .start('2026-01-01T08:00:00Z')
  .stimulus('beacon', 'start', { periodMs: 1000 })
  .wait('500ms')
  .link('logger.in', 'disconnect')
  .wait('7s')
  .link('logger.in', 'reconnect')
  .wait('3s')
  .expect((e) =>
    e
      .records({ device: 'logger', kind: 'frame', count: 4 })
      .records({ device: 'logger', kind: 'event', code: 'SILENCE', count: 1, window: { from: '5s', to: '5005ms' } })
      .absent({ device: 'logger' }),
  )
  .build();
