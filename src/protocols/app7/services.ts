/** App. 7 §2.2.2 service identifiers. */
export const SID = {
  START_COMMUNICATION: 0x81,
  START_COMMUNICATION_OK: 0xc1,
  START_DIAGNOSTIC_SESSION: 0x10,
  START_DIAGNOSTIC_SESSION_OK: 0x50,
  LINK_CONTROL: 0x87,
  LINK_CONTROL_OK: 0xc7,
  REQUEST_UPLOAD: 0x35,
  REQUEST_UPLOAD_OK: 0x75,
  TRANSFER_DATA: 0x36,
  TRANSFER_DATA_OK: 0x76,
  REQUEST_TRANSFER_EXIT: 0x37,
  REQUEST_TRANSFER_EXIT_OK: 0x77,
  STOP_COMMUNICATION: 0x82,
  STOP_COMMUNICATION_OK: 0xc2,
  ACKNOWLEDGE_SUB_MESSAGE: 0x83,
  NEGATIVE_RESPONSE: 0x7f,
} as const;

/** DDP_006: key bytes of the positive Start Communication response. */
export const KEY_BYTES = [0xea, 0x8f] as const;

/** DDP_007: the default diagnostic session. */
export const DEFAULT_SESSION = 0x81;

/** DDP_009/DDP_010: Request Upload parameters (address 0, uncompressed, maximum size) and the answer's 00 FF. */
export const UPLOAD_PARAMETERS = [0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff] as const;
export const UPLOAD_MAX_BLOCK = [0x00, 0xff] as const;

/** DDP_052: Link Control stage 1 (verify baud rate, 01 01 code) and stage 2 (transition, 02 03). */
export const LINK_CONTROL = { VERIFY: 0x01, FIXED_RATE: 0x01, TRANSITION: 0x02, TRANSITION_MODE: 0x03 } as const;
export const BAUD_CODES: Readonly<Record<number, number>> = { 0x01: 9600, 0x02: 19200, 0x03: 38400, 0x04: 57600, 0x05: 115200 };
export const DEFAULT_BAUD = 9600;

export function baudCode(baud: number): number {
  const entry = Object.entries(BAUD_CODES).find(([, b]) => b === baud);
  if (!entry) throw new RangeError(`App. 7 link control offers 9600, 19200, 38400, 57600 or 115200 baud, not ${baud}`);
  return Number(entry[0]);
}

/**
 * DDP_011 (consolidated text, M3): the TRTPs of the generation 1 (01..05), generation 2 version 1 (21..25) and
 * generation 2 version 2 (00, 31, 32, 33, 24, 35) VU data downloads, and the card download (06).
 */
export const TRTP = {
  /** DDP_028a: the download interface version, generation 2 version 2 only. */
  DOWNLOAD_INTERFACE_VERSION: 0x00,
  OVERVIEW_G1: 0x01,
  ACTIVITIES_G1: 0x02,
  EVENTS_FAULTS_G1: 0x03,
  DETAILED_SPEED_G1: 0x04,
  TECHNICAL_DATA_G1: 0x05,
  CARD_DOWNLOAD: 0x06,
  OVERVIEW: 0x21,
  ACTIVITIES: 0x22,
  EVENTS_FAULTS: 0x23,
  /** App. 7 note: "TRTP 24 is used for Generation 2, for version 1 and version 2". */
  DETAILED_SPEED: 0x24,
  TECHNICAL_DATA: 0x25,
  OVERVIEW_V2: 0x31,
  ACTIVITIES_V2: 0x32,
  EVENTS_FAULTS_V2: 0x33,
  TECHNICAL_DATA_V2: 0x35,
} as const;

export const isGen1VuTrtp = (trtp: number) => trtp >= 0x01 && trtp <= 0x05;
export const isGen2VuTrtp = (trtp: number) => trtp >= 0x21 && trtp <= 0x25;
/** App. 7 note to DDP_011: "TRTP 00, 31, 32, 33 and 35 are used for Generation 2 version 2 type of VU data download requests". */
export const isGen2V2OnlyTrtp = (trtp: number) => trtp === 0x00 || trtp === 0x31 || trtp === 0x32 || trtp === 0x33 || trtp === 0x35;
/** App. 7 note to DDP_011 (consolidated): 11..1F are manufacturer specific (the seed's 31..39 are gen2 v2's now). */
export const isManufacturerTrtp = (trtp: number) => trtp >= 0x11 && trtp <= 0x1f;
export const isOverviewTrtp = (trtp: number) => trtp === TRTP.OVERVIEW || trtp === TRTP.OVERVIEW_G1 || trtp === TRTP.OVERVIEW_V2;
export const isActivitiesTrtp = (trtp: number) => trtp === TRTP.ACTIVITIES || trtp === TRTP.ACTIVITIES_G1 || trtp === TRTP.ACTIVITIES_V2;
export const isEventsFaultsTrtp = (trtp: number) => trtp === TRTP.EVENTS_FAULTS || trtp === TRTP.EVENTS_FAULTS_G1 || trtp === TRTP.EVENTS_FAULTS_V2;

/** DDP_018 negative response codes. */
export const NRC = {
  GENERAL_REJECT: 0x10,
  SERVICE_NOT_SUPPORTED: 0x11,
  SUB_FUNCTION_NOT_SUPPORTED: 0x12,
  INCORRECT_MESSAGE_LENGTH: 0x13,
  CONDITIONS_NOT_CORRECT: 0x22,
  REQUEST_OUT_OF_RANGE: 0x31,
  UPLOAD_NOT_ACCEPTED: 0x50,
  RESPONSE_PENDING: 0x78,
  DATA_NOT_AVAILABLE: 0xfa,
} as const;

export type NrcCode = (typeof NRC)[keyof typeof NRC];

export const NRC_TEXT: Readonly<Record<number, string>> = {
  0x10: 'general reject',
  0x11: 'service not supported',
  0x12: 'sub function not supported',
  0x13: 'incorrect message length',
  0x22: 'conditions not correct or request sequence error',
  0x31: 'request out of range',
  0x50: 'upload not accepted',
  0x78: 'response pending',
  0xfa: 'data not available',
};

/** DDP_017: the acknowledge code that stops a message. */
export const ACK_TERMINATE = 0xffff;

/** DDP_019 timing parameters, ms (KWP extended timing set). */
export const TIMING = {
  P1_MAX: 20,
  P2_MIN: 20,
  P2_MAX: 1000,
  P3_MIN: 10,
  P3_MAX: 5000,
  P4_MIN: 5,
  P4_MAX: 20,
  /** P5 max: extended P3 for a card download. */
  P5_MAX: 20 * 60_000,
} as const;

export const SERVICE_NAMES: Readonly<Record<number, string>> = {
  0x81: 'Start Communication Request',
  0xc1: 'Positive Response Start Communication',
  0x10: 'Start Diagnostic Session Request',
  0x50: 'Positive Response Start Diagnostic',
  0x87: 'Link Control',
  0xc7: 'Positive Response Link Control',
  0x35: 'Request Upload',
  0x75: 'Positive Response Request Upload',
  0x36: 'Transfer Data Request',
  0x76: 'Positive Response Transfer Data',
  0x37: 'Request Transfer Exit',
  0x77: 'Positive Response Request Transfer Exit',
  0x82: 'Stop Communication Request',
  0xc2: 'Positive Response Stop Communication',
  0x83: 'Acknowledge Sub Message',
  0x7f: 'Negative Response',
};
