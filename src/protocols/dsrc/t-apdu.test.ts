import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { EXAMPLE_RTM_DATA } from './rtm-example.ts';
import { CONTAINER_RTM_DATA, decodeTApdu, encodeTApdu, isRtmContextMark, rtmContextMark, type TApdu } from './t-apdu.ts';
import { bitsFor, oidArcs, oidContent, uperDecode, uperEncode } from './uper.ts';

/** A bit string written as labelled groups ('1000 0' ...) to octets; spaces are for reading only. */
function bits(...groups: string[]): string {
  const b = groups.join('').replace(/\s+/g, '');
  if (!/^[01]*$/.test(b) || b.length % 8 !== 0) throw new Error(`${b.length} bits: not whole octets`);
  return Array.from({ length: b.length / 8 }, (_, i) => parseInt(b.slice(i * 8, i * 8 + 8), 2).toString(16).padStart(2, '0')).join('');
}

function roundTrip(apdu: TApdu): string {
  const bytes = encodeTApdu(apdu);
  expect(decodeTApdu(bytes)).toEqual(apdu);
  return toHex(bytes);
}

describe('UPER primitives (X.691 unaligned)', () => {
  it('a constrained whole number takes ceil(log2(range)) bits', () => {
    expect([bitsFor(1), bitsFor(2), bitsFor(10), bitsFor(32), bitsFor(128), bitsFor(134217728)]).toEqual([0, 1, 4, 5, 7, 27]);
  });

  it('OBJECT IDENTIFIER content octets: {1 0 15638 9 2} = 28 FA 16 09 02', () => {
    // 1*40 + 0 = 40 = 28; 15638 = 122*128 + 22 -> FA (122 | 80) 16; 9; 2
    expect(toHex(oidContent([1, 0, 15638, 9, 2]))).toBe('28fa160902');
    expect(oidArcs(fromHex('28fa160902'))).toEqual([1, 0, 15638, 9, 2]);
    expect(() => oidArcs(fromHex('28fa'))).toThrow(DsrcDecodeError);
  });

  it('an unconstrained length: 0xxxxxxx below 128, 10xxxxxx xxxxxxxx up to 16383', () => {
    expect(toHex(uperEncode({ kind: 'octetString' }, new Uint8Array(127))).slice(0, 2)).toBe('7f');
    expect(toHex(uperEncode({ kind: 'octetString' }, new Uint8Array(200))).slice(0, 4)).toBe('80c8');
    expect((uperDecode({ kind: 'octetString' }, uperEncode({ kind: 'octetString' }, new Uint8Array(200))) as Uint8Array).length).toBe(200);
  });

  it('an extensible integer: extension bit 0, then the root bits; a value outside the root is refused', () => {
    const t = { kind: 'integer', min: 0, max: 127, extensible: true } as const;
    expect(toHex(uperEncode(t, 2))).toBe('02');
    expect(() => uperEncode(t, 128)).toThrow(RangeError);
    expect(() => uperDecode(t, fromHex('82'))).toThrow(/extension/);
  });
});

describe('App. 14 T-APDUs in UPER (DSC_43), worked bit by bit', () => {
  it('Table 14.5: BST, AID 2, profile 0, no non-mandatory applications: 14 octets (octets 6-19)', () => {
    const hex = roundTrip({ type: 'bst', beaconManufacturerId: 42, beaconIndividualId: 0x123456, time: 0x69689e80, profile: 0, mandAids: [2] });
    expect(hex).toBe(
      bits(
        '1000', //                                      T-APDUs choice 8 of 10 (4 bits): initialisation request
        '0', //                                         OPTION: nonmandApplications absent
        '0000 0000 0010 1010', //                       BeaconID.manufacturerId 42 (16 bits)
        '000 0001 0010 0011 0100 0101 0110', //         BeaconID.individualId 0x123456 (27 bits)
        '0110 1001 0110 1000 1001 1110 1000 0000', //   Time 0x69689E80 (32 bits)
        '0 000 0000', //                                Profile: no extension, 0
        '0 000 0001', //                                MandApplications: no extension, 1 entry
        '0 0 0 0 0010', //                              EID absent, parameter absent, AID: no extension, 2
        '0 000 0000', //                                ProfileList: no extension, 0 entries
      ),
    );
    expect(hex.length / 2).toBe(14);
  });

  it('Table 14.9 (M3): VST with one AID 2 application, its EID and the RTM context mark: octets 9-25 as the table gives them', () => {
    const hex = roundTrip({ type: 'vst', profile: 0, applications: [{ aid: 2, eid: 1, parameter: rtmContextMark() }], equipmentClass: 1, manufacturerId: 42 });
    expect(hex).toBe(
      bits(
        '1001 0000', //            octet 9:  choice 9 initialisation response; Fill '0000'
        '0000 0000', //            octet 10: Profile, no extension, 0
        '0000 0001', //            octet 11: Applications, no extension, 1 application
        '1 1 00 0010', //          octet 12: EID present, parameter present, AID no extension 2
        '0000 0001', //            octet 13: EID 1 (no extension)
        '0000 0010', //            octet 14: Container no extension, choice 2 (octet string)
        '0000 0110', //            octet 15: no extension, length 6
        '0000 0101', //            octet 16: OID length 5
        '0010 1000 1111 1010 0001 0110 0000 1001 0000 0010', // octets 17-21: 28 FA 16 09 02 = {1 0 15638 9 2}
        '0 000 0000 0000 0001', // octets 22-23: ObeStatus absent; EquipmentClass 1 (15 bits)
        '0000 0000 0010 1010', //  octets 24-25: ManufacturerId 42
      ),
    );
    expect(hex.length / 2).toBe(17);
  });

  it('Table 14.11: GET.request for attribute 1 of EID 1: 4 octets (octets 9-12)', () => {
    expect(roundTrip({ type: 'getRequest', eid: 1, attributeIds: [1] })).toBe(
      bits(
        '0110 0 0 1 0', // choice 6 get request; access credentials absent, IID absent, AttributeIdList present; Fill 0
        '0 000 0001', //  EID 1
        '0 000 0001', //  AttributeIdList: 1 attribute
        '0 000 0001', //  AttributeId 1 (RtmData)
      ),
    );
  });

  it('Table 14.13: GET.response carrying the RTM data in container 10 (octets 10-14, then the data)', () => {
    const rtm = fromHex(EXAMPLE_RTM_DATA);
    expect(rtm.length).toBe(95);
    const hex = roundTrip({ type: 'getResponse', eid: 1, attributes: [{ attributeId: 1, container: CONTAINER_RTM_DATA, value: rtm }] });
    expect(hex).toBe(
      bits(
        '0111 0 1 0 0', // choice 7 get response; IID absent, AttributeList present, return status absent; Fill 0
        '0 000 0001', //  EID 1
        '0 000 0001', //  AttributeList: 1 attribute
        '0 000 0001', //  AttributeId 1 (RtmData)
        '0 000 1010', //  Container: no extension, choice 10 (1010)
        '0 101 1111', //  RtmData as an OCTET STRING: unconstrained length 95 (the rig's choice, README "DSRC")
      ) + EXAMPLE_RTM_DATA,
    );
  });

  it('Table 14.14: EVENT_REPORT RELEASE to EID 0: 3 octets (octets 9-11)', () => {
    expect(roundTrip({ type: 'release', eid: 0 })).toBe(
      bits(
        '0010 0 0 0 0', // choice 2 event report request; access credentials, event parameter, IID absent; mode FALSE
        '0 000 0000', //  EID 0 (system)
        '0 000 0000', //  EventType 0 (release)
      ),
    );
  });

  it('Tables 14.15/14.16: ACTION ECHO with 100 octets and its reflection (octets 9-113 / 10-113)', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const request = roundTrip({ type: 'echoRequest', eid: 0, data });
    expect(request).toBe(
      bits(
        '0000 0 1 0 1', // choice 0 action request; access credentials absent, action parameter present, IID absent; mode TRUE
        '0 000 0000', //  EID 0
        '0 000 1111', //  ActionType 15 (ECHO)
        '0 000 0010', //  Container choice 2
        '0 110 0100', //  length 100
      ) + toHex(data),
    );
    expect(request.length / 2).toBe(105);
    const response = roundTrip({ type: 'echoResponse', eid: 0, data });
    expect(response.slice(0, 8)).toBe(bits('0001 0 1 0 0', '0 000 0000', '0 000 0010', '0 110 0100'));
  });

  it('decodes refuse trailing octets, non-zero padding and alternatives outside an RTM transaction', () => {
    const release = encodeTApdu({ type: 'release', eid: 0 });
    expect(() => decodeTApdu(Uint8Array.from([...release, 0]))).toThrow(DsrcDecodeError);
    // a BST is 112 bits exactly; a VST is 136; a GET request's last octet has no padding. Set request (choice 4):
    expect(() => decodeTApdu(fromHex('40'))).toThrow(/not one this rig decodes/);
    expect(() => decodeTApdu(fromHex('62010181'))).toThrow(DsrcDecodeError);
    expect(() => decodeTApdu(new Uint8Array(0))).toThrow(DsrcDecodeError);
  });

  it('the RTM context mark: M3 version 2 emitted, version 1 (the seed) accepted, anything else not', () => {
    expect(toHex(rtmContextMark())).toBe('0528fa160902');
    expect(isRtmContextMark(fromHex('0528fa160902'))).toBe(true);
    expect(isRtmContextMark(fromHex('0528fa160901'))).toBe(true);
    expect(isRtmContextMark(fromHex('0528fa161401'))).toBe(false); // part 20 (OWS, DSC_59)
  });
});
