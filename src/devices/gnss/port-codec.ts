import type { PortCodec } from '../../harness/devices/device-kind.ts';
import { T1Deframer, T1Error, decodeBlock, describeBlock } from '../../protocols/t1/index.ts';

/** The trace's view of the VU–EGF line: T=1 blocks; an I-block's INF is an APDU or a link of a chain. */
export const t1PortCodec: PortCodec = {
  name: 't1',
  createDeframer: () => new T1Deframer(),
  describe(frame) {
    const r = decodeBlock(frame);
    if (!r.ok) throw new T1Error(r.reason);
    return describeBlock(r.block);
  },
};
