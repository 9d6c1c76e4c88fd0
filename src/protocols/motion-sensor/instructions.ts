import type { AesKeyBits } from '../../crypto/index.ts';

/**
 * The instructions of the VU - motion sensor link. The numbers of App. 11 Table 6 are used as byte values
 * (instruction 41 is the byte 0x41): ISO 16844-3 is not public, so this mapping, the plaintext instruction
 * 0x40, the acknowledgement of 0x42 and the negative reply 0x7F are this rig's own (see README.md).
 */
export const INS = {
  /** Request: start pairing, asking for the serial number (plaintext). Reply: Ns. */
  SERIAL: 0x40,
  /** Request: E(KID, Ns). Reply: E(KM, KP). */
  PAIRING_KEY: 0x41,
  /** Request: E(KP, KS). Reply: empty acknowledgement. */
  SESSION_KEY: 0x42,
  /** Request: E(K'p, pairing information). */
  PAIRING_INFO: 0x43,
  /** Reply to 0x43: E(KS, pairing information). */
  PAIRING_INFO_REPLY: 0x50,
  /** Request: E(KS, authentication data + file number). */
  READ_FILE: 0x10,
  /** Reply to 0x10: E(KS, authentication block) ‖ CBC(KS, IV = padded authentication block, file). */
  FILE: 0x11,
  /** Request: E(KS, authentication data). */
  COUNTER_REQUEST: 0x70,
  /** Reply to 0x70: E(KS, counter value + authentication data). */
  COUNTER: 0x80,
  /** Reply: the request was refused; payload = requested instruction, reason. */
  NEGATIVE: 0x7f,
} as const;

export type LinkDirection = 'request' | 'reply';

/** The sensor's files readable with instruction 0x10, and their plaintext lengths (Table 6: 16 or 32 with the 8-byte block). */
export const FILE = {
  /** Ns (8) ‖ sensor approval number (16, IA5). */
  IDENTIFICATION: 0x01,
  /** The pairing information of the current pairing (24). */
  PAIRING: 0x02,
  /** Counts of sensor-side security events '21'H..'25'H (5) ‖ '00'{3}. */
  SECURITY_EVENTS: 0x03,
} as const;

export const FILE_LENGTH: Readonly<Record<number, 8 | 24>> = { [FILE.IDENTIFICATION]: 24, [FILE.PAIRING]: 24, [FILE.SECURITY_EVENTS]: 8 };

export interface InstructionSpec {
  name: string;
  /** Whether App. 11 Table 6 lists it (its payload is then encrypted). */
  table6: boolean;
  /** Plaintext bytes with AES keys (Table 6 column 5), per key length; for 0x11 per file length. */
  plaintext(keyBits: AesKeyBits, fileLength?: 8 | 24): number;
  /** Bytes on the wire (Table 6 columns 6-8). */
  wire(keyBits: AesKeyBits, fileLength?: 8 | 24): number;
}

const blocks = (n: number) => (n === 0 ? 0 : Math.ceil(n / 16) * 16);
const fixed = (name: string, plain: number, table6 = true): InstructionSpec => ({ name, table6, plaintext: () => plain, wire: () => (table6 ? blocks(plain) : plain) });
const keySized = (name: string): InstructionSpec => ({ name, table6: true, plaintext: (k) => k / 8, wire: (k) => blocks(k / 8) });

export const INSTRUCTIONS: Readonly<Record<LinkDirection, Readonly<Record<number, InstructionSpec>>>> = {
  request: {
    [INS.SERIAL]: fixed('serial number request', 0, false),
    [INS.PAIRING_KEY]: fixed('MoS serial number', 8),
    [INS.SESSION_KEY]: keySized('session key'),
    [INS.PAIRING_INFO]: fixed('pairing information', 24),
    [INS.READ_FILE]: fixed('authentication data + file number', 8),
    [INS.COUNTER_REQUEST]: fixed('authentication data', 8),
  },
  reply: {
    [INS.SERIAL]: fixed('serial number', 8, false),
    [INS.PAIRING_KEY]: keySized('pairing key'),
    [INS.SESSION_KEY]: fixed('session key acknowledged', 0, false),
    [INS.PAIRING_INFO_REPLY]: fixed('pairing information', 24),
    [INS.FILE]: {
      name: 'authentication data + file contents',
      table6: true,
      plaintext: (_k, f = 8) => 8 + f,
      // CSM_221: the 8-byte block is padded to one AES block and the file is padded separately.
      wire: (_k, f = 8) => 16 + blocks(f),
    },
    [INS.COUNTER]: fixed('MoS counter value + authentication data', 8),
    [INS.NEGATIVE]: fixed('negative reply', 2, false),
  },
};

export const KEY_LENGTHS: readonly AesKeyBits[] = [128, 192, 256];

/** Every payload length an instruction may carry on the wire, whatever the key length: what a codec can check alone. */
export function allowedWireLengths(direction: LinkDirection, instruction: number): number[] | undefined {
  const spec = INSTRUCTIONS[direction][instruction];
  if (!spec) return undefined;
  const lengths = new Set<number>();
  for (const k of KEY_LENGTHS) for (const f of [8, 24] as const) lengths.add(spec.wire(k, f));
  return [...lengths].sort((a, b) => a - b);
}

/** Why the sensor refused a request (payload byte 2 of a negative reply). */
export const NEGATIVE_REASON = {
  MALFORMED: 0x01,
  NOT_PAIRED: 0x02,
  VU_NOT_AUTHENTICATED: 0x03,
  AES_NOT_SUPPORTED: 0x04,
  SEQUENCE: 0x05,
  INTEGRITY: 0x06,
  UNKNOWN_FILE: 0x07,
  UNKNOWN_INSTRUCTION: 0x08,
} as const;

export const NEGATIVE_REASON_TEXT: Readonly<Record<number, string>> = {
  [NEGATIVE_REASON.MALFORMED]: 'malformed request',
  [NEGATIVE_REASON.NOT_PAIRED]: 'sensor not paired (no session key)',
  [NEGATIVE_REASON.VU_NOT_AUTHENTICATED]: 'VU not authenticated: E(KID, Ns) matches no stored encryption',
  [NEGATIVE_REASON.AES_NOT_SUPPORTED]: 'no AES key material (first-generation sensor)',
  [NEGATIVE_REASON.SEQUENCE]: 'instruction out of the pairing sequence',
  [NEGATIVE_REASON.INTEGRITY]: 'decrypted request fails its integrity check',
  [NEGATIVE_REASON.UNKNOWN_FILE]: 'unknown file',
  [NEGATIVE_REASON.UNKNOWN_INSTRUCTION]: 'unknown instruction',
};

export function instructionName(direction: LinkDirection, instruction: number): string {
  return INSTRUCTIONS[direction][instruction]?.name ?? 'unknown';
}
