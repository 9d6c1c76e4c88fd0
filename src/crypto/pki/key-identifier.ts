import { toHex } from '../bytes.ts';

/**
 * App. 1 `KeyIdentifier` choices a test PKI needs for CAR and CHR (CSM_146, CSM_147), 8 bytes each.
 */

/** App. 1 `CertificationAuthorityKID` (ERCA, MSCA: CSM_147, CSM_152). */
export interface CertificationAuthorityKid {
  /** `NationNumeric`; 0xFD is the European Community (the ERCA). */
  nationNumeric: number;
  /** `NationAlpha`, up to 3 characters, space padded. */
  nationAlpha: string;
  keySerialNumber: number;
  /** Two bytes of CA-specific information, hex (4 digits). */
  additionalInfo: string;
}

/** App. 1: caIdentifier is always '01'H. */
const CA_IDENTIFIER = 0x01;

export function encodeCertificationAuthorityKid(kid: CertificationAuthorityKid): Uint8Array {
  if (kid.nationAlpha.length > 3 || !/^[\x20-\x7e]*$/.test(kid.nationAlpha)) throw new Error(`NationAlpha '${kid.nationAlpha}' is up to 3 IA5 characters`);
  if (!/^[0-9a-fA-F]{4}$/.test(kid.additionalInfo)) throw new Error('additionalInfo is 2 bytes of hex');
  const alpha = kid.nationAlpha.padEnd(3, ' ');
  return Uint8Array.of(
    kid.nationNumeric,
    alpha.charCodeAt(0),
    alpha.charCodeAt(1),
    alpha.charCodeAt(2),
    kid.keySerialNumber,
    parseInt(kid.additionalInfo.slice(0, 2), 16),
    parseInt(kid.additionalInfo.slice(2), 16),
    CA_IDENTIFIER,
  );
}

/** App. 1 `ExtendedSerialNumber` (a `VuSerialNumber`), the CHR of VU certificates (CSM_146). */
export interface ExtendedSerialNumber {
  serialNumber: number;
  /** `MonthYear` MMYY, written as BCD. */
  monthYear: string;
  /** `EquipmentType`. */
  type: number;
  manufacturerCode: number;
}

export function encodeExtendedSerialNumber(esn: ExtendedSerialNumber): Uint8Array {
  if (!/^\d{4}$/.test(esn.monthYear)) throw new Error(`monthYear '${esn.monthYear}' is MMYY`);
  const s = esn.serialNumber;
  return Uint8Array.of(
    s >>> 24,
    (s >>> 16) & 0xff,
    (s >>> 8) & 0xff,
    s & 0xff,
    parseInt(esn.monthYear.slice(0, 2), 16), // BCD: the digits are the nibbles
    parseInt(esn.monthYear.slice(2), 16),
    esn.type,
    esn.manufacturerCode,
  );
}

export function extendedSerialNumberHex(esn: ExtendedSerialNumber): string {
  return toHex(encodeExtendedSerialNumber(esn));
}
