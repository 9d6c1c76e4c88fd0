import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../crypto/bytes.ts';
import { NO_FAULTS } from '../../../harness/links/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { ideKind } from '../../ide/index.ts';
import { vuKind } from '../index.ts';
import { vuOptionsSchema } from '../vu-options.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);

const plan: RigPlan = {
  name: 'vu-refused-frames',
  clock: 'virtual',
  seed: 1,
  devices: [
    { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse({}) },
    { name: 'ide', kind: ideKind, mode: 'emulated', options: {} },
  ],
  links: [{ id: 'download', ends: ['ide.vu', 'vu.download'], transport: 'memory', baud: 9600, framing: { dataBits: 8, parity: 'even', stopBits: 1 }, pacing: true, faults: NO_FAULTS }],
};

// Issue 12: a frame the VU ignores (DDP_023) leaves nothing on the line; the trace must say that it was
// refused, and why, or a failed download cannot be explained.
describe('frames the VU refuses, in the trace', () => {
  it('records a bad checksum and a P4 timing error with their reasons, and nothing for a good request', async () => {
    const rig = await Rig.start(plan, { start: T0 });
    try {
      const ide = rig.port('ide.vu')!;
      const refused = () => rig.trace.entries.filter((e) => e.kind === 'refused');
      const answers = () => rig.trace.entries.filter((e) => e.kind === 'frame' && e.from === 'vu.download').map((e) => (e as { hex: string }).hex);

      ide.write(fromHex('81eef081e1')); // Start Communication with its checksum off by one
      await rig.clock.advance(200);
      ide.write(fromHex('81eef0'));
      await rig.clock.advance(25); // P4 max is 20 ms
      ide.write(fromHex('81e0'));
      await rig.clock.advance(200);
      const entry = (code: string, detail: unknown) => ({ kind: 'refused', device: 'vu', port: 'download', link: 'download', code, detail });
      const seen = () => refused().map(({ t: _t, at: _at, ...e }) => e);
      // 81 EE F0 ends 3.4 ms after it started; 81 is written at 25 ms and ends at 26.1 ms: 22.7 ms later.
      expect(seen()).toEqual([entry('bad-checksum', expect.stringMatching(/checksum/i)), entry('timing', '22.7 ms after the previous byte (P4 max 20 ms): 81eef0')]);
      expect(answers()).toEqual([]);

      // The positive control: the same request, well formed, is answered. What was left of the broken one
      // (81 E0, a frame begun) is refused as a timing error when it arrives.
      ide.write(fromHex('81eef081e0'));
      await rig.clock.advance(200);
      expect(answers()).toEqual(['80 F0 EE 03 C1 EA 8F 9B']);
      expect(seen().slice(2)).toEqual([entry('timing', expect.stringMatching(/^19\d\.\d ms after the previous byte \(P4 max 20 ms\): 81e0$/))]);
    } finally {
      await rig.close();
    }
  });
});
