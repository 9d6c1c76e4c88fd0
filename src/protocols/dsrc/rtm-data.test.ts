import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { deriveVuDsrcKeys } from '../../crypto/dsrc/index.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { EXAMPLE_CIPHERTEXT, EXAMPLE_MAC, EXAMPLE_MASTER_KEY_V1, EXAMPLE_PAYLOAD, EXAMPLE_PAYLOAD_OER, EXAMPLE_RTM_DATA, EXAMPLE_SECURITY } from './rtm-example.ts';
import { DSRC_SW, decodeSecurityData, encodeSecurityData, isCertificateRequestId, parseRtmData, processDsrcMessage, protectRtmData, type DsrcCardKeys } from './rtm-data.ts';
import { decodeTachographPayload, encodeTachographPayload } from './tachograph-payload.ts';

const keys = deriveVuDsrcKeys(fromHex(EXAMPLE_MASTER_KEY_V1), EXAMPLE_SECURITY.vuId);
const card: DsrcCardKeys = { masterKeys: [{ version: 1, key: EXAMPLE_MASTER_KEY_V1 }], validityBegin: 1735689600, expiryDate: 1893456000 };

describe('RTM data (CSM_223-227, TCS_138 layout)', () => {
  it('the test PKI master key of version 1 is the vector key', () => {
    expect(new TestPki().dsrcMasterKey(1).key).toBe(EXAMPLE_MASTER_KEY_V1);
  });

  it('CSM_224: security data = time 4 || counter 3 || VU id 8 || version 1', () => {
    expect(toHex(encodeSecurityData(EXAMPLE_SECURITY))).toBe('69689e80' + '000005' + '0000000101260640' + '01');
    expect(decodeSecurityData(encodeSecurityData(EXAMPLE_SECURITY))).toEqual(EXAMPLE_SECURITY);
    expect(isCertificateRequestId(EXAMPLE_SECURITY.vuId)).toBe(false);
    expect(isCertificateRequestId(fromHex('0000002a0126ff40'))).toBe(true);
  });

  it('protects the example payload byte for byte as OpenSSL does (payload OER, ciphertext, MAC)', () => {
    const oer = encodeTachographPayload(EXAMPLE_PAYLOAD);
    expect(toHex(oer)).toBe(EXAMPLE_PAYLOAD_OER);
    const rtm = protectRtmData(oer, EXAMPLE_SECURITY, keys);
    // 62 octets + 80 + 00 pad to 64 = 4 blocks: L87 = 65 = 41
    expect(toHex(rtm)).toBe(EXAMPLE_RTM_DATA);
    const parsed = parseRtmData(rtm);
    expect(toHex(parsed.encryptedPayload)).toBe(EXAMPLE_CIPHERTEXT);
    expect(toHex(parsed.mac)).toBe(EXAMPLE_MAC);
    expect(parsed.security).toEqual(EXAMPLE_SECURITY);
    expect(rtm.length).toBe(2 + 65 + 18 + 10);
  });

  it('CSM_228: the card derives the keys from the security data, checks the MAC and returns the OER payload', () => {
    const r = processDsrcMessage(fromHex(EXAMPLE_RTM_DATA), card);
    expect(r.sw).toBe(DSRC_SW.ok);
    if (r.sw !== DSRC_SW.ok || !('payload' in r)) throw new Error('not ok');
    expect(decodeTachographPayload(r.payload)).toEqual(EXAMPLE_PAYLOAD);
  });

  it('CSM_228 step 1: an unknown key version is 6A88 (the MAC is not even looked at)', () => {
    const rtm = fromHex(EXAMPLE_RTM_DATA);
    expect(processDsrcMessage(rtm, { ...card, masterKeys: [{ version: 2, key: new TestPki().dsrcMasterKey(2).key }] }).sw).toBe(0x6a88);
  });

  it('CSM_228 step 3: one flipped bit anywhere in ciphertext, security data or MAC is 6900', () => {
    const rtm = fromHex(EXAMPLE_RTM_DATA);
    // offsets: 3 = first ciphertext octet, 66 = last one, 75 = counter LSB in the security data, rtm.length - 1 = last MAC octet
    for (const offset of [3, 66, 75, rtm.length - 1]) {
      const bad = rtm.slice();
      bad[offset]! ^= 0x01;
      expect(processDsrcMessage(bad, card).sw, `offset ${offset}`).toBe(0x6900);
    }
  });

  it('a key version byte flipped to one the card holds still fails: the keys differ (6900), else 6A88', () => {
    const bad = fromHex(EXAMPLE_RTM_DATA);
    bad[84] = 2; // the key version octet: 87 41 (2) + 65 + 81 10 (2) + 15
    expect(processDsrcMessage(bad, card).sw).toBe(0x6a88);
    expect(processDsrcMessage(bad, { ...card, masterKeys: [...card.masterKeys, { version: 2, key: new TestPki().dsrcMasterKey(2).key }] }).sw).toBe(0x6900);
  });

  it('TCS_139 (M1): a timestamp outside the card validity is 6985', () => {
    expect(processDsrcMessage(fromHex(EXAMPLE_RTM_DATA), { ...card, expiryDate: EXAMPLE_SECURITY.timeReal - 1 }).sw).toBe(0x6985);
    expect(processDsrcMessage(fromHex(EXAMPLE_RTM_DATA), { ...card, validityBegin: EXAMPLE_SECURITY.timeReal + 1 }).sw).toBe(0x6985);
  });

  it('TCS_137/138: data objects out of order or of a wrong length are 6A80', () => {
    const rtm = fromHex(EXAMPLE_RTM_DATA);
    const swapped = Uint8Array.from([...rtm.subarray(67, 85), ...rtm.subarray(0, 67), ...rtm.subarray(85)]);
    expect(processDsrcMessage(swapped, card).sw).toBe(0x6a80);
    const l87 = rtm.slice();
    l87[1] = 0x40; // 64 is not 1 + 16k
    expect(processDsrcMessage(l87, card).sw).toBe(0x6a80);
    expect(processDsrcMessage(rtm.subarray(0, rtm.length - 1), card).sw).toBe(0x6a80);
    expect(() => parseRtmData(Uint8Array.of(0x87))).toThrow(DsrcDecodeError);
  });

  it('a payload of 12 blocks uses the long length form 81 C1', () => {
    const rtm = protectRtmData(new Uint8Array(180), EXAMPLE_SECURITY, keys);
    expect(toHex(rtm.subarray(0, 4))).toBe('8781c100');
    expect(parseRtmData(rtm).encryptedPayload.length).toBe(192);
  });
});
