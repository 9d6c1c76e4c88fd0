import type { PortCodec } from '../../harness/devices/device-kind.ts';
import type { Recording, RecordingEntry } from '../../harness/record/index.ts';

// Test support: a codec and recordings small enough to reason about.

/** Frames end with 0a: a codec for tests. */
export const lineCodec: PortCodec = {
  name: 'lines',
  createDeframer() {
    let held: number[] = [];
    return {
      push(bytes) {
        const out: Uint8Array[] = [];
        for (const b of bytes) {
          held.push(b);
          if (b === 0x0a) {
            out.push(Uint8Array.from(held));
            held = [];
          }
        }
        return out;
      },
    };
  },
  describe: () => ({}),
};

export function recording(entries: RecordingEntry[], links: { id: string; dut: string; peer: string; codec?: string; baud?: number }[] = [{ id: 'ide.vu~vu.download', dut: 'vu.download', peer: 'ide.vu', codec: 'lines' }]): Recording {
  return {
    header: {
      format: 'tacho-rig-recording',
      version: 1,
      rig: 'r',
      scenario: 's',
      seed: 1,
      clock: 'virtual',
      start: 0,
      startIso: '1970-01-01T00:00:00.000Z',
      dut: ['vu'],
      devices: [],
      links: links.map((l) => ({
        id: l.id,
        ends: [l.peer, l.dut],
        dut: l.dut,
        peer: l.peer,
        transport: 'memory',
        // 10 bits a character: 1 ms at 10000 baud
        framing: { dataBits: 8, parity: 'none', stopBits: 1 },
        baud: { dut: l.baud ?? 10000, peer: l.baud ?? 10000 },
        ...(l.codec ? { codec: l.codec } : {}),
      })),
      unrecorded: [],
    },
    entries,
  };
}
