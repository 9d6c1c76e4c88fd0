import { describe, expect, it } from 'vitest';
import { buildScripts } from './script.ts';
import { lineCodec, recording } from './test-support.ts';

const L = 'ide.vu~vu.download';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe("a replay's script", () => {
  it('splits what went to the DUT into frames, each whole one character after its last byte started', () => {
    const [script] = buildScripts(
      recording([
        { t: 10, link: L, dir: 'to-dut', hex: '410a42' },
        { t: 20, link: L, dir: 'to-dut', hex: '430a' },
      ]),
      'vu',
      () => lineCodec,
    );
    expect(script!.inputs.map((i) => [hex(i.bytes), i.t])).toEqual([
      ['410a', 12],
      ['42430a', 22],
    ]);
    expect(script).toMatchObject({ port: 'download', link: L, dutEnd: 'vu.download', peerEnd: 'ide.vu' });
  });

  it('times characters at the speed of the rig end, which the recording changes', () => {
    const [script] = buildScripts(
      recording([
        { t: 0, link: L, event: 'baud', end: 'ide.vu', baud: 100000 },
        { t: 10, link: L, dir: 'to-dut', hex: '41420a' },
      ]),
      'vu',
      () => lineCodec,
    );
    expect(script!.inputs[0]!.t).toBeCloseTo(10.3, 9);
  });

  it("counts for each of the DUT's outputs the frames it had whole by then, one whole at the same instant included", () => {
    const [script] = buildScripts(
      recording([
        { t: 0, link: L, dir: 'from-dut', hex: 'aa' }, // unsolicited, at the start
        { t: 10, link: L, dir: 'to-dut', hex: '410a' }, // whole at 12
        { t: 12, link: L, dir: 'from-dut', hex: 'bb' }, // at that very instant: after it
        { t: 13, link: L, dir: 'to-dut', hex: '420a' }, // whole at 15
        { t: 14.5, link: L, dir: 'from-dut', hex: 'cc' }, // before it was whole
        { t: 16, link: L, event: 'baud', end: 'vu.download', baud: 20000 },
        { t: 16, link: L, event: 'baud', end: 'ide.vu', baud: 20000 }, // the rig's end: not the DUT's doing
      ]),
      'vu',
      () => lineCodec,
    );
    expect(script!.outputs.map((o) => [o.kind, o.t, o.after])).toEqual([
      ['bytes', 0, 0],
      ['bytes', 12, 1],
      ['bytes', 14.5, 1],
      ['baud', 16, 2],
    ]);
  });

  it('orders an answer read after a stall, stamped back before the request was whole, after the request', () => {
    const [script] = buildScripts(
      recording([
        { t: 10, link: L, dir: 'to-dut', hex: '410a' }, // whole at 12
        { t: 11.5, link: L, dir: 'from-dut', hex: 'aa', seen: 40 }, // read at 40, stamped back to 11.5
      ]),
      'vu',
      () => lineCodec,
    );
    expect(script!.outputs).toEqual([{ kind: 'bytes', bytes: Uint8Array.from([0xaa]), t: 11.5, after: 1 }]);
  });

  it('keeps the chunks as the inputs of a port without a codec, whole after their last character', () => {
    const [script] = buildScripts(recording([{ t: 5, link: 'a~vu.host', dir: 'to-dut', hex: 'a00101a2' }], [{ id: 'a~vu.host', dut: 'vu.host', peer: 'a.relay' }]), 'vu', () => undefined);
    expect(script!.inputs.map((i) => [hex(i.bytes), i.t])).toEqual([['a00101a2', 9]]);
    expect(script!.codec).toBeUndefined();
  });

  it("plays only the named device's links", () => {
    const r = recording([], [
      { id: 'ide.vu~vu.download', dut: 'vu.download', peer: 'ide.vu' },
      { id: 'actuator.relay~relay.host', dut: 'relay.host', peer: 'actuator.relay' },
    ]);
    expect(buildScripts(r, 'relay', () => undefined).map((s) => s.port)).toEqual(['host']);
    expect(buildScripts(r, 'vu', () => undefined).map((s) => s.port)).toEqual(['download']);
  });
});
