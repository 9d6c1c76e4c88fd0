import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { decodeTachographPayload, encodeLpn, encodeTachographPayload } from './tachograph-payload.ts';
import { EXAMPLE_PAYLOAD, EXAMPLE_PAYLOAD_OER } from './rtm-example.ts';

describe('TachographPayload OER (DSC_43, Table 14.3)', () => {
  it('encodes RTM1-RTM25 to the 62 octets worked by hand', () => {
    const oer = encodeTachographPayload(EXAMPLE_PAYLOAD);
    expect(oer.length).toBe(62);
    expect(toHex(oer)).toBe(EXAMPLE_PAYLOAD_OER);
  });

  it('decodes them back', () => {
    expect(decodeTachographPayload(fromHex(EXAMPLE_PAYLOAD_OER))).toEqual(EXAMPLE_PAYLOAD);
  });

  it('RTM1 is always 17 octets: the plate zero-padded to 14, no length determinant', () => {
    expect(toHex(encodeLpn({ countryCode: 1023, alphabetIndicator: 4, licencePlateNumber: Uint8Array.of(0xc1) }))).toBe('ffc004c1' + '00'.repeat(13));
    expect(() => encodeLpn({ countryCode: 0, alphabetIndicator: 0, licencePlateNumber: new Uint8Array(15) })).toThrow(RangeError);
  });

  it('refuses values outside the component ranges (RTM11 is 0..127)', () => {
    expect(() => encodeTachographPayload({ ...EXAMPLE_PAYLOAD, powerSupplyInterruption: 128 })).toThrow(/powerSupplyInterruption/);
    expect(() => encodeTachographPayload({ ...EXAMPLE_PAYLOAD, currentSpeed: 256 })).toThrow(RangeError);
  });

  it('refuses a non-canonical BOOLEAN, an RTM11 over 127, a wrong length and country-code padding bits', () => {
    const bytes = fromHex(EXAMPLE_PAYLOAD_OER);
    const at = (i: number, v: number) => { const b = bytes.slice(); b[i] = v; return b; };
    expect(() => decodeTachographPayload(at(17, 0x01))).toThrow(DsrcDecodeError);
    expect(() => decodeTachographPayload(at(26, 0x80))).toThrow(/powerSupplyInterruption/);
    expect(() => decodeTachographPayload(at(1, 0x01))).toThrow(/trailing bits/);
    expect(() => decodeTachographPayload(bytes.subarray(0, 61))).toThrow(DsrcDecodeError);
  });
});
