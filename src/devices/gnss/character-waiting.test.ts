import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { createWorld } from '../../harness/world/index.ts';
import { encodeCommand, selectByAid } from '../../protocols/apdu/index.ts';
import { createT1State, t1Send } from '../../protocols/t1/index.ts';
import { egfMachine } from './machine.ts';
import { egfOptions } from './options.ts';

/**
 * ISO/IEC 7816-3 §11.4.3 on the EGF's port: a block whose next character comes later than CWT (cwtMs) after
 * the last is abandoned, and the bytes that come then start a block of their own; within CWT they continue it.
 * The EGF keeps a partial block with the instant of its last bytes and judges the gap when the next come (so it
 * does nothing with a block's first bytes but keep them: PortSpec.takesFrames).
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
// an I-block carrying SELECT of the EGF's application (NAD 00, PCB 00, LEN, INF, LRC)
const block = t1Send(createT1State(), encodeCommand(selectByAid(Uint8Array.from(Buffer.from('FF445445474D', 'hex'))))).out[0]!;

/** The blocks the EGF sends for `parts` of the VU's bytes, each `gapMs` after the one before. */
async function answers(parts: Uint8Array[], gapMs: number): Promise<string[]> {
  const clock = new VirtualClock({ start: T0 });
  const actor = createActor(egfMachine(egfOptions.parse({ plainAccess: true, cwtMs: 100 }), clock, createWorld(clock)), { clock });
  const out: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push(hex(e.bytes)));
  actor.start();
  for (const [i, bytes] of parts.entries()) {
    if (i > 0) await clock.advance(gapMs);
    actor.send({ type: 'port.rx', port: 'vu', bytes });
  }
  await clock.advance(1_000);
  actor.stop();
  return out;
}

describe('the EGF port, character waiting time (ISO/IEC 7816-3 §11.4.3)', () => {
  const head = block.slice(0, 5);
  const tail = block.slice(5);

  it('takes a block whose parts come within CWT of each other', async () => {
    const whole = await answers([block], 0);
    expect(whole).toHaveLength(1); // positive control: the SELECT is answered
    expect(await answers([head, tail], 99.9)).toEqual(whole);
    expect(await answers([block.slice(0, 2), block.slice(2, 9), block.slice(9)], 99.5)).toEqual(whole);
  });

  it('abandons a block whose next bytes come CWT or later after its last; what comes then starts a block', async () => {
    const whole = await answers([block], 0);
    // the tail alone is no block: the EGF asks for it again (an R-block, error detected)
    const again = ['00810081'];
    expect(await answers([head, tail], 100.5)).toEqual(again);
    // at CWT exactly: bytes written after the partial block's last came (the only way a gap that long comes
    // within one exchange) found it abandoned (the CWT timer ran first, before this choice: README)
    expect(await answers([head, tail], 100)).toEqual(again);
    expect(await answers([head, block], 100)).toEqual(whole);
    expect(await answers([head, block], 2_000)).toEqual(whole);
    // the same within CWT: the head glued to the block is a block that fails its check
    expect(await answers([head, block], 50)).toEqual(again);
  });
});
