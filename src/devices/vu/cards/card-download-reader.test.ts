import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { createRng } from '../../../crypto/random.ts';
import { readCardTlvs, verifyCardFile } from '../../../protocols/card-files/index.ts';
import { driverCardDownload } from '../../cards/driver-card-image.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { writeEf } from '../../cards/emulator/card-memory.ts';
import { anna } from '../../cards/test-cards.ts';
import { downloadCardThroughApdus } from './card-download-reader.ts';

const AT = Date.UTC(2026, 2, 2, 8, 30);
const device = () => new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'card') });
const verify = (file: Uint8Array) => verifyCardFile(file, [fromHex(TestPki.of().erca.certificate)], AT, [TestPkiG1.of().eurPublicKeyBytes()]);

describe('the VU downloads the card in a slot through APDUs (App. 7 DDP_035, §3.3.3)', () => {
  it('gives the file the card as personalised makes, byte for byte, every signature computed by the card', () => {
    const card = device();
    const transcript: string[] = [];
    const read = downloadCardThroughApdus(
      (bytes) => {
        const answer = card.transmit(bytes);
        transcript.push(toHex(bytes).toUpperCase());
        return answer;
      },
      anna,
      AT,
    );
    if (!read.ok) throw new Error(read.reason);
    expect(toHex(read.file)).toBe(toHex(driverCardDownload(anna)));
    expect(verify(read.file)).toMatchObject({ ok: true, problems: [] });
    // §3.3.3 for EF Identification of DF Tachograph_G2: SELECT, PERFORM HASH OF FILE, READ BINARY, PSO: COMPUTE DIGITAL SIGNATURE
    const at = transcript.lastIndexOf('00A4020C020520');
    expect(transcript.slice(at, at + 4)).toEqual(['00A4020C020520', '802A9000', '00B00000FF', '002A9E9A00']);
  });

  it('reflects what the card holds: an EF written on the card comes in the file, signed by the card', () => {
    const card = device();
    // an event record written on the card (as a VU writes it under SM): '05' card insertion while driving
    const written = new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'card'), memory: writeEf(card.memory, 'tachograph-g2', 0x0502, 0, fromHex('05' + '69A54E00' + '69A54E00')) });
    const read = downloadCardThroughApdus((b) => written.transmit(b), anna, AT);
    if (!read.ok) throw new Error(read.reason);
    const events = readCardTlvs(read.file).find((t) => t.fid === 0x0502 && t.appendix === 0x02)!;
    expect(toHex(events.value.subarray(0, 9))).toBe('0569a54e0069a54e00');
    expect(verify(read.file)).toMatchObject({ ok: true, problems: [] });
    expect(toHex(read.file)).not.toBe(toHex(driverCardDownload(anna)));
  });

  it("updates LastCardDownload in EF Card_Download of both applications to the VU's time (DDP_035 step 4)", () => {
    const card = device();
    expect(card.memory.files['tachograph/050E']).toBe('00000000');
    const read = downloadCardThroughApdus((b) => card.transmit(b), anna, AT);
    expect(read.ok).toBe(true);
    const timeReal = (AT / 1000).toString(16).padStart(8, '0');
    expect(card.memory.files['tachograph/050E']).toBe(timeReal);
    expect(card.memory.files['tachograph-g2/050E']).toBe(timeReal);
  });

  it('a card that refuses a step gives no file, with the reason', () => {
    const card = device();
    const refusing = (bytes: Uint8Array) => (toHex(bytes).toUpperCase() === '802A9000' ? fromHex('6400') : card.transmit(bytes));
    expect(downloadCardThroughApdus(refusing, anna, AT)).toEqual({ ok: false, reason: 'PERFORM HASH OF FILE 501: 6400' });
  });

  it('a LastCardDownload update refused is sent again three times (Annex IC 149), then reported: the file is still given, whole and verified', () => {
    const card = device();
    const updates: string[] = [];
    // the card's memory fails for writes only: every UPDATE BINARY '6581' (TCS_29), reads and signatures intact
    const failing = (bytes: Uint8Array) => {
      if (bytes[1] !== 0xd6) return card.transmit(bytes);
      updates.push(toHex(bytes).toUpperCase());
      return fromHex('6581');
    };
    const read = downloadCardThroughApdus(failing, anna, AT);
    if (!read.ok) throw new Error(read.reason);
    expect(read.lastCardDownloadRefused).toBe('UPDATE BINARY LastCardDownload (tachograph): 6581 after 3 retries (Annex IC 149)');
    // the same command four times, DF Tachograph's; DF Tachograph_G2's is not tried once the card is faulty
    const timeReal = (AT / 1000).toString(16).toUpperCase().padStart(8, '0');
    expect(updates).toEqual(Array(4).fill(`00D6000004${timeReal}`));
    expect(toHex(read.file)).toBe(toHex(driverCardDownload(anna)));
    expect(verify(read.file)).toMatchObject({ ok: true, problems: [] });
  });

  it('positive control: a card that takes the update reports nothing refused', () => {
    const card = device();
    const read = downloadCardThroughApdus((b) => card.transmit(b), anna, AT);
    expect(read).toMatchObject({ ok: true });
    expect(read.ok && read.lastCardDownloadRefused).toBeUndefined();
  });
});
