import { DsrcDecodeError } from './dsrc-error.ts';
import { oidContent, uperDecode, uperEncode, type UperChoice, type UperSequence, type UperType, type UperValue } from './uper.ts';

/**
 * The App. 14 T-APDUs (EN 12834 / ISO 14906 types) the RTM interrogation uses, as tables for the UPER codec
 * (uper.ts), with the bit layout of App. 14 Tables 14.5, 14.9, 14.11, 14.13, 14.14-14.16. The ASN.1 is
 * EN 12834's as the tables show it field by field (their "OPTION indicator" rows fix each SEQUENCE's optional
 * components and their order). Only these T-APDUs are in an RTM transaction (DSC_35).
 */

const extInt = (max: number): UperType => ({ kind: 'integer', min: 0, max, extensible: true });
/** EN 12834 Dsrc-EID, Profile, AttributeId, EventType, ActionType, ReturnStatus: INTEGER (0..127,...). */
const INT127 = extInt(127);
/** DSRCApplicationEntityID ::= INTEGER (0..31,...) (Table 14.9 octet 12: "00 0010", AID 2). */
const AID: UperType = extInt(31);
const SIZE127 = { min: 0, max: 127, extensible: true } as const;
const ACCESS_CREDENTIALS: UperType = { kind: 'octetString', size: SIZE127 };

/** Container choices App. 14 uses: 2 octet string (Table 14.9, 14.15), 10 RtmData (DSC_39, Table 14.13). */
export const CONTAINER_OCTET_STRING = 2;
export const CONTAINER_RTM_DATA = 10;

/**
 * ISO 14906 Container: an extensible CHOICE whose index takes 7 bits after the extension bit (Table 14.9 octet
 * 14 "No extension, Container Choice = 02" is one octet, 0000 0010; Table 14.13 "Container Choice = 1010").
 * RtmData in choice 10: the ASN.1 of DSC_40 is not in the text sources; the rig carries it as an OCTET STRING
 * with an unconstrained length determinant holding the TCS_138 RTM data (README "DSRC").
 */
const CONTAINER: UperType = {
  kind: 'choice',
  rootCount: 128,
  extensible: true,
  alternatives: {
    [CONTAINER_OCTET_STRING]: { name: 'octetstring', type: { kind: 'octetString', size: SIZE127 } },
    [CONTAINER_RTM_DATA]: { name: 'rtmData', type: { kind: 'octetString' } },
  },
};

const APPLICATION_CONTEXT_MARK: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'aid', type: AID },
    { name: 'eid', type: INT127, optional: true },
    { name: 'parameter', type: CONTAINER, optional: true },
  ],
};
const APPLICATION_LIST: UperType = { kind: 'sequenceOf', size: SIZE127, item: APPLICATION_CONTEXT_MARK };

/** Table 14.5: BST = initialisation request. */
const BST: UperType = {
  kind: 'sequence',
  fields: [
    {
      name: 'beacon',
      type: {
        kind: 'sequence',
        fields: [
          { name: 'manufacturerId', type: { kind: 'integer', min: 0, max: 65535 } },
          { name: 'individualId', type: { kind: 'integer', min: 0, max: 134217727 } },
        ],
      },
    },
    { name: 'time', type: { kind: 'integer', min: 0, max: 4294967295 } },
    { name: 'profile', type: INT127 },
    { name: 'mandApplications', type: APPLICATION_LIST },
    { name: 'nonmandApplications', type: APPLICATION_LIST, optional: true },
    { name: 'profileList', type: { kind: 'sequenceOf', size: SIZE127, item: INT127 } },
  ],
};

/** Table 14.9: VST = initialisation response. */
const VST: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'fill', type: { kind: 'bitString', size: 4 } },
    { name: 'profile', type: INT127 },
    { name: 'applications', type: APPLICATION_LIST },
    {
      name: 'obeConfiguration',
      type: {
        kind: 'sequence',
        fields: [
          { name: 'equipmentClass', type: { kind: 'integer', min: 0, max: 32767 } },
          { name: 'manufacturerId', type: { kind: 'integer', min: 0, max: 65535 } },
          { name: 'obeStatus', type: { kind: 'integer', min: 0, max: 65535 }, optional: true },
        ],
      },
    },
  ],
};

/** Table 14.11 */
const GET_REQUEST: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'fill', type: { kind: 'bitString', size: 1 } },
    { name: 'eid', type: INT127 },
    { name: 'accessCredentials', type: ACCESS_CREDENTIALS, optional: true },
    { name: 'iid', type: INT127, optional: true },
    { name: 'attrIdList', type: { kind: 'sequenceOf', size: SIZE127, item: INT127 }, optional: true },
  ],
};

/** Table 14.13 */
const GET_RESPONSE: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'fill', type: { kind: 'bitString', size: 1 } },
    { name: 'eid', type: INT127 },
    { name: 'iid', type: INT127, optional: true },
    {
      name: 'attributeList',
      type: { kind: 'sequenceOf', size: SIZE127, item: { kind: 'sequence', fields: [{ name: 'attributeId', type: INT127 }, { name: 'attributeValue', type: CONTAINER }] } },
      optional: true,
    },
    { name: 'ret', type: INT127, optional: true },
  ],
};

/** Table 14.14 */
const EVENT_REPORT_REQUEST: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'mode', type: { kind: 'boolean' } },
    { name: 'eid', type: INT127 },
    { name: 'eventType', type: INT127 },
    { name: 'accessCredentials', type: ACCESS_CREDENTIALS, optional: true },
    { name: 'eventParameter', type: CONTAINER, optional: true },
    { name: 'iid', type: INT127, optional: true },
  ],
};

/** Table 14.15 */
const ACTION_REQUEST: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'mode', type: { kind: 'boolean' } },
    { name: 'eid', type: INT127 },
    { name: 'actionType', type: INT127 },
    { name: 'accessCredentials', type: ACCESS_CREDENTIALS, optional: true },
    { name: 'actionParameter', type: CONTAINER, optional: true },
    { name: 'iid', type: INT127, optional: true },
  ],
};

/** Table 14.16 */
const ACTION_RESPONSE: UperType = {
  kind: 'sequence',
  fields: [
    { name: 'fill', type: { kind: 'bitString', size: 1 } },
    { name: 'eid', type: INT127 },
    { name: 'iid', type: INT127, optional: true },
    { name: 'responseParameter', type: CONTAINER, optional: true },
    { name: 'ret', type: INT127, optional: true },
  ],
};

/**
 * EN 12834 T-APDUs: a CHOICE of 10 with no extension marker, so a 4-bit index (Table 14.9 octet 9: '1001' =
 * 9, initialisation response). Set and event-report responses are not in an RTM transaction (DSC_35).
 */
export const T_APDU: UperType = {
  kind: 'choice',
  rootCount: 10,
  alternatives: {
    0: { name: 'actionRequest', type: ACTION_REQUEST },
    1: { name: 'actionResponse', type: ACTION_RESPONSE },
    2: { name: 'eventReportRequest', type: EVENT_REPORT_REQUEST },
    6: { name: 'getRequest', type: GET_REQUEST },
    7: { name: 'getResponse', type: GET_RESPONSE },
    8: { name: 'initialisationRequest', type: BST },
    9: { name: 'initialisationResponse', type: VST },
  },
};

/** DSC_34/48: the Freight & Fleet application. */
export const AID_FREIGHT_FLEET = 2;
/** DSC_39: the RTM data is attribute 1. */
export const ATTRIBUTE_RTM_DATA = 1;
/** DSC_51 / Table 14.14: EventType 0 = release, sent to EID 0 (system). */
export const EVENT_RELEASE = 0;
/** ISO 14906 ActionType 15 = ECHO (Tables 14.15/14.16). */
export const ACTION_ECHO = 15;

/**
 * Table 14.9 (M3, Reg. 2021/1228): the RTM context mark is the OID {iso(1) standard(0) 15638 part9(9)
 * version2(2)}. Rtm-ContextMark ::= SEQUENCE { standardIdentifier OBJECT IDENTIFIER }, whose UPER encoding
 * is the OID's length 05 then 28 FA 16 09 02; the container octet string holding it is 6 octets long. The
 * seed (Reg. 2018/502) said "tag 06, length 06, six octets ... version 1", which does not add up (the BER
 * content is 5 octets); the M3 text is used, and a reader accepts version 1 too (README "DSRC").
 */
export const RTM_CONTEXT_MARK_OID: readonly number[] = [1, 0, 15638, 9, 2];
export const RTM_CONTEXT_MARK_OID_V1: readonly number[] = [1, 0, 15638, 9, 1];

export function rtmContextMark(arcs: readonly number[] = RTM_CONTEXT_MARK_OID): Uint8Array {
  const content = oidContent(arcs);
  return Uint8Array.of(content.length, ...content);
}

/** True when a VST parameter is an RTM context mark (ISO 15638 part 9, version 1 or 2). */
export function isRtmContextMark(parameter: Uint8Array): boolean {
  const hex = Buffer.from(parameter).toString('hex');
  return hex === Buffer.from(rtmContextMark()).toString('hex') || hex === Buffer.from(rtmContextMark(RTM_CONTEXT_MARK_OID_V1)).toString('hex');
}

/** The T-APDUs of an RTM transaction, as typed values. */
export type TApdu =
  | { type: 'bst'; beaconManufacturerId: number; beaconIndividualId: number; time: number; profile: number; mandAids: number[] }
  | { type: 'vst'; profile: number; applications: { aid: number; eid?: number; parameter?: Uint8Array }[]; equipmentClass: number; manufacturerId: number }
  | { type: 'getRequest'; eid: number; attributeIds: number[] }
  | { type: 'getResponse'; eid: number; attributes: { attributeId: number; container: number; value: Uint8Array }[]; ret?: number }
  | { type: 'release'; eid: number }
  | { type: 'echoRequest'; eid: number; data: Uint8Array }
  | { type: 'echoResponse'; eid: number; data: Uint8Array };

function container(choice: number, value: Uint8Array): UperChoice {
  return { choice: choice === CONTAINER_RTM_DATA ? 'rtmData' : 'octetstring', value };
}

function toUper(apdu: TApdu): UperChoice {
  switch (apdu.type) {
    case 'bst':
      return {
        choice: 'initialisationRequest',
        value: {
          beacon: { manufacturerId: apdu.beaconManufacturerId, individualId: apdu.beaconIndividualId },
          time: apdu.time,
          profile: apdu.profile,
          mandApplications: apdu.mandAids.map((aid) => ({ aid })),
          profileList: [],
        },
      };
    case 'vst':
      return {
        choice: 'initialisationResponse',
        value: {
          fill: 0,
          profile: apdu.profile,
          applications: apdu.applications.map((a) => ({ aid: a.aid, eid: a.eid, parameter: a.parameter && container(CONTAINER_OCTET_STRING, a.parameter) })),
          obeConfiguration: { equipmentClass: apdu.equipmentClass, manufacturerId: apdu.manufacturerId },
        },
      };
    case 'getRequest':
      return { choice: 'getRequest', value: { fill: 0, eid: apdu.eid, attrIdList: apdu.attributeIds } };
    case 'getResponse':
      return {
        choice: 'getResponse',
        value: { fill: 0, eid: apdu.eid, attributeList: apdu.attributes.map((a) => ({ attributeId: a.attributeId, attributeValue: container(a.container, a.value) })), ret: apdu.ret },
      };
    case 'release':
      return { choice: 'eventReportRequest', value: { mode: false, eid: apdu.eid, eventType: EVENT_RELEASE } };
    case 'echoRequest':
      return { choice: 'actionRequest', value: { mode: true, eid: apdu.eid, actionType: ACTION_ECHO, actionParameter: container(CONTAINER_OCTET_STRING, apdu.data) } };
    case 'echoResponse':
      return { choice: 'actionResponse', value: { fill: 0, eid: apdu.eid, responseParameter: container(CONTAINER_OCTET_STRING, apdu.data) } };
  }
}

export function encodeTApdu(apdu: TApdu): Uint8Array {
  return uperEncode(T_APDU, toUper(apdu), 'T-APDU');
}

function containerOf(v: UperValue | undefined, what: string): { container: number; value: Uint8Array } {
  const c = v as UperChoice;
  if (!(c.value instanceof Uint8Array)) throw new DsrcDecodeError(`${what}: not a container of octets`);
  return { container: c.choice === 'rtmData' ? CONTAINER_RTM_DATA : CONTAINER_OCTET_STRING, value: c.value };
}

/** Decodes one T-APDU (the octets after the fragmentation header); throws a DsrcDecodeError on anything else. */
export function decodeTApdu(bytes: Uint8Array): TApdu {
  const { choice, value } = uperDecode(T_APDU, bytes, 'T-APDU') as UperChoice;
  const v = value as UperSequence;
  switch (choice) {
    case 'initialisationRequest': {
      const beacon = v.beacon as UperSequence;
      return {
        type: 'bst',
        beaconManufacturerId: beacon.manufacturerId as number,
        beaconIndividualId: beacon.individualId as number,
        time: v.time as number,
        profile: v.profile as number,
        mandAids: (v.mandApplications as UperSequence[]).map((a) => a.aid as number),
      };
    }
    case 'initialisationResponse': {
      const obe = v.obeConfiguration as UperSequence;
      return {
        type: 'vst',
        profile: v.profile as number,
        applications: (v.applications as UperSequence[]).map((a) => ({
          aid: a.aid as number,
          ...(a.eid === undefined ? {} : { eid: a.eid as number }),
          ...(a.parameter === undefined ? {} : { parameter: containerOf(a.parameter, 'VST parameter').value }),
        })),
        equipmentClass: obe.equipmentClass as number,
        manufacturerId: obe.manufacturerId as number,
      };
    }
    case 'getRequest':
      return { type: 'getRequest', eid: v.eid as number, attributeIds: (v.attrIdList as number[] | undefined) ?? [] };
    case 'getResponse':
      return {
        type: 'getResponse',
        eid: v.eid as number,
        attributes: ((v.attributeList as UperSequence[] | undefined) ?? []).map((a) => ({ attributeId: a.attributeId as number, ...containerOf(a.attributeValue, 'attribute value') })),
        ...(v.ret === undefined ? {} : { ret: v.ret as number }),
      };
    case 'eventReportRequest':
      if (v.eventType !== EVENT_RELEASE) throw new DsrcDecodeError(`EVENT_REPORT type ${String(v.eventType)} is not RELEASE`);
      return { type: 'release', eid: v.eid as number };
    case 'actionRequest':
      if (v.actionType !== ACTION_ECHO || v.actionParameter === undefined) throw new DsrcDecodeError(`ACTION type ${String(v.actionType)} is not an ECHO with data`);
      return { type: 'echoRequest', eid: v.eid as number, data: containerOf(v.actionParameter, 'ECHO data').value };
    case 'actionResponse':
      if (v.responseParameter === undefined) throw new DsrcDecodeError('ACTION response without data');
      return { type: 'echoResponse', eid: v.eid as number, data: containerOf(v.responseParameter, 'ECHO data').value };
    default:
      throw new DsrcDecodeError(`T-APDU ${choice} is not part of an RTM transaction`);
  }
}
