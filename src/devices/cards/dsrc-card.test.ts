import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../crypto/pki/test-pki.ts';
import { encodeProcessDsrcMessage } from '../../protocols/dsrc/index.ts';
import { EXAMPLE_PAYLOAD_OER, EXAMPLE_RTM_DATA } from '../../protocols/dsrc/rtm-example.ts';
import { controlCardSchema } from './card-schema.ts';
import { processDsrcMessageApdu } from './dsrc-card.ts';
import { anna, carla, wendy } from './test-cards.ts';

const apdu = encodeProcessDsrcMessage(fromHex(EXAMPLE_RTM_DATA));
const sw = (r: Uint8Array) => toHex(r.subarray(r.length - 2));

describe('PROCESS DSRC MESSAGE on a card (TCS_135-139, CSM_228/230)', () => {
  it('TCS_138: the command is 80 2A 80 B0 Lc <RTM data> 00', () => {
    expect(toHex(apdu.subarray(0, 5))).toBe('802a80b05f');
    expect(apdu.length).toBe(5 + 95 + 1);
  });

  it('a control card (K_M-DSRC v1) returns the OER payload and 9000; a workshop card does the same (CSM_230)', () => {
    const r = processDsrcMessageApdu(carla, TEST_PKI_DEFAULT_SEED, apdu);
    expect(toHex(r)).toBe(EXAMPLE_PAYLOAD_OER + '9000');
    expect(sw(processDsrcMessageApdu(wendy, TEST_PKI_DEFAULT_SEED, apdu))).toBe('9000');
  });

  it('a card without the version is 6A88; a driver card has no DSRC keys (6D00); a wrong header is 6A80', () => {
    const v2only = controlCardSchema.parse({ ...carla, dsrcKeyVersions: [2] });
    expect(sw(processDsrcMessageApdu(v2only, TEST_PKI_DEFAULT_SEED, apdu))).toBe('6a88');
    expect(sw(processDsrcMessageApdu(anna, TEST_PKI_DEFAULT_SEED, apdu))).toBe('6d00');
    const bad = apdu.slice();
    bad[3] = 0xb1;
    expect(sw(processDsrcMessageApdu(carla, TEST_PKI_DEFAULT_SEED, bad))).toBe('6a80');
  });

  it('TCS_139 (M1): the RTM time 2026-01-15 outside a card valid from 2026-02-01 is 6985', () => {
    const later = controlCardSchema.parse({ ...carla, validity: { begin: '2026-02-01', expiry: '2030-12-31' } });
    expect(sw(processDsrcMessageApdu(later, TEST_PKI_DEFAULT_SEED, apdu))).toBe('6985');
  });
});
