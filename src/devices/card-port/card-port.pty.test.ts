import type { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMING_8N1, NO_FAULTS } from '../../harness/links/index.ts';
import { closeSerialPort, openSerialPort } from '../../harness/links/os-port.ts';
import { PtyPair } from '../../harness/links/pty-pair.ts';
import { Rig } from '../../harness/rig/rig-runtime.ts';
import { decodeBlock, encodeBlock, type Bit } from '../../protocols/t1/index.ts';
import { anna } from '../cards/test-cards.ts';
import { vuKind } from '../vu/index.ts';
import { vuOptionsSchema } from '../vu/vu-options.ts';
import { cardPortKind, cardPortOptions } from './index.ts';
import { T0_WT_MS } from './machine.ts';

// Issue 15 (hardware/card-slot-bridge.md): the card's APDU port on a serial path. A socat pty pair stands in for
// the USB-serial adapter; the test holds the far end as the smart-card emulator board would, relaying the
// VU's APDUs in T=1 blocks (the VU itself is external: a real one behind the board).

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The card emulator on one of its ports (`vu`: T=1, `vuT0`: T=0) at the rig's end of a pty pair; the board's end opened as a serial port. */
async function boardOnCardPort(port: 'vu' | 'vuT0'): Promise<SerialPort> {
  const pair = await PtyPair.start({ names: ['adapter', 'board'] });
  cleanup.push(() => pair.dispose());
  const rig = await Rig.start(
    {
      name: `card-bench-${port}`,
      clock: 'wall',
      seed: 1,
      devices: [
        { name: 'card', kind: cardPortKind, mode: 'emulated', options: cardPortOptions.parse({ card: anna }) },
        { name: 'vu', kind: vuKind, mode: 'external', options: vuOptionsSchema.parse({}) },
      ],
      links: [{ id: 'slot', ends: [`card.${port}`, 'vu.driverSlot'], transport: 'serial', baud: 115200, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, paths: { [`card.${port}`]: pair.paths[0] } }],
    },
    { start: Date.UTC(2026, 2, 2, 8) },
  );
  cleanup.push(() => rig.close());
  const board: SerialPort = await openSerialPort(pair.paths[1], 115200, FRAMING_8N1);
  cleanup.push(() => closeSerialPort(board));
  return board;
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('a tachograph card on a serial path (kind: card), as a smart-card emulator board sees it', () => {
  it("answers the board's IFS request, APDUs in I-blocks (SELECT, READ BINARY of CardIdentification), and takes S(RESYNCH) as the card's reset", async () => {
    const board = await boardOnCardPort('vu');
    let received: number[] = [];
    board.on('data', (c: Buffer) => received.push(...c));
    // one block out, one block back (the prologue's LEN says when it is whole)
    const exchange = async (out: Uint8Array) => {
      received = [];
      board.write(Buffer.from(out));
      const deadline = Date.now() + 3000;
      while (!(received.length >= 3 && received.length >= 4 + received[2]!)) {
        if (Date.now() > deadline) throw new Error(`no whole block back within 3 s (got ${toHex(Uint8Array.from(received))})`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const block = decodeBlock(Uint8Array.from(received));
      if (!block.ok) throw new Error(block.reason);
      return block.block;
    };
    const apdu = async (ns: Bit, command: string) => {
      const answer = await exchange(encodeBlock({ type: 'I', nad: 0, ns, more: false, inf: hex(command) }));
      if (answer.type !== 'I') throw new Error(`expected an I-block, got ${answer.type}`);
      expect(answer.ns).toBe(ns);
      return toHex(answer.inf);
    };

    // App. 2 TCS_16: the IFD announces its IFSD right after the ATR: S(IFS request 254), S(IFS response 254)
    expect(toHex(encodeBlock(await exchange(encodeBlock({ type: 'S', nad: 0, kind: 'ifs', response: false, inf: hex('FE') }))))).toBe('00E101FE' + '1E');
    // DF Tachograph_G2 by AID, EF Identification, its first 17 bytes: the nation ('06', B) and the card number
    expect(await apdu(0, '00 A4 04 0C 06 FF534D524454')).toBe('9000');
    expect(await apdu(1, '00 A4 02 0C 02 0520')).toBe('9000');
    expect(await apdu(0, '00 B0 00 00 11')).toBe('06' + Buffer.from('B000000012345601').toString('hex').toUpperCase() + '9000');
    // the VU resets the card (RST): the board resynchronises, the card starts again from the MF with no EF selected
    expect(toHex(encodeBlock(await exchange(encodeBlock({ type: 'S', nad: 0, kind: 'resynch', response: false, inf: new Uint8Array(0) }))))).toBe('00E000E0');
    expect(await apdu(0, '00 B0 00 00 11')).toBe('6986');
  }, 30_000);

  it('on the vuT0 port, as a board relaying the VU\'s T=0 bytes: procedure bytes, 61XX and GET RESPONSE, 6CXX, FF the reset', async () => {
    const board = await boardOnCardPort('vuT0');
    let received: number[] = [];
    board.on('data', (c: Buffer) => received.push(...c));
    /** Sends `out`, waits for `n` bytes back. */
    const exchange = async (out: string, n: number) => {
      received = [];
      board.write(Buffer.from(hex(out)));
      const deadline = Date.now() + 3000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`not ${n} bytes back within 3 s (got ${toHex(Uint8Array.from(received))})`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return toHex(Uint8Array.from(received));
    };
    // SELECT DF Tachograph_G2: the INS procedure byte, then the data, then the status
    expect(await exchange('00 A4 04 0C 06', 1)).toBe('A4');
    expect(await exchange('FF534D524454', 2)).toBe('9000');
    expect(await exchange('00 A4 02 0C 02', 1)).toBe('A4');
    expect(await exchange('0520', 2)).toBe('9000');
    // READ BINARY 17 bytes: INS, the nation and card number, 9000; past the end of EF Identification: 6C with what is left
    expect(await exchange('00 B0 00 00 11', 20)).toBe('B0' + '06' + Buffer.from('B000000012345601').toString('hex').toUpperCase() + '9000');
    const size = (await exchange('00 B0 00 80 FF', 2)).slice(0, 2);
    expect(size).toBe('6C');
    // READ BINARY with odd INS (a case 4 command): 61 La, then GET RESPONSE
    expect(await exchange('00 B1 00 00 03', 1)).toBe('B1');
    const announced = await exchange('540100', 2);
    expect(announced.slice(0, 2)).toBe('61');
    const la = parseInt(announced.slice(2), 16);
    const answer = await exchange(`00 C0 00 00 ${announced.slice(2)}`, la + 3);
    expect(answer.slice(0, 8)).toBe('C0' + '53' + '81' + '8F'); // DO '53' with EF Identification's 143 bytes
    // the implicit Le '00' of T=0 (TCS_52) asks up to 256: the EF ends before, '6282' (the card's choice, README)
    expect(answer.slice(-4)).toBe('6282');
    // a header cut after 3 bytes: dropped after WT (1 s), so the next header is read whole
    board.write(Buffer.from(hex('00 B0 00')));
    await new Promise((r) => setTimeout(r, T0_WT_MS + 200));
    expect(await exchange('00 B0 00 00 01', 4)).toBe('B0' + '06' + '9000');
    // the reset: the card starts again from the MF, no EF selected
    board.write(Buffer.from(hex('FF')));
    await new Promise((r) => setTimeout(r, 50));
    expect(await exchange('00 B0 00 00 11', 2)).toBe('6986');
  }, 30_000);
});
