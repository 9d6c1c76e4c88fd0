import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import {
  decodeFullCardNumberAndGeneration,
  decodeName,
  decodeOdometerShort,
  decodeTimeReal,
  decodeVehicleRegistrationNumber,
  encodeFullCardNumber,
  encodeFullCardNumberAndGeneration,
  encodeIa5,
  encodeName,
  encodeOdometerShort,
  encodeTimeReal,
  encodeVehicleRegistrationNumber,
  type FullCardNumber,
  type FullCardNumberAndGeneration,
} from '../app1/app1-codec.ts';
import { cardTypeOfEquipment, type CardGeneration } from '../app1/card-type.ts';
import { decodeExtendedSerialNumber, encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../motion-sensor/payloads.ts';
import { decodeIa5 } from './records.ts';
import type { VehicleRegistrationIdentification } from '../app1/identification-fields.ts';

/**
 * App. 1 records of TREP 25 (technical data, DDP_033), gen2 v1. Plain data shaped after the VU's own: the
 * options' `identification` (dates as ISO strings), the calibration records and sensor pairings the VU keeps
 * (TimeReal seconds). Each record has a fixed size; sizes are the exported constants.
 */

function sized(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  const b = bytes.subarray(offset, offset + size);
  if (b.length !== size) throw new RangeError(`${what} needs ${size} bytes, ${b.length} left`);
  return b;
}
function u16(v: number, what: string): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit 2 bytes`);
  return Uint8Array.of(v >> 8, v & 0xff);
}
function readU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
function timeRealOfIso(iso: string, what: string): Uint8Array {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} '${iso}' is not a date and time`);
  return encodeTimeReal(ms);
}
/** TimeReal back to the options' ISO form, without milliseconds (TimeReal keeps whole seconds). */
function isoOfTimeReal(b: Uint8Array, at: number): string {
  return new Date(decodeTimeReal(b, at)).toISOString().replace('.000Z', 'Z');
}

/** App. 1 §2.205 VuIdentification (gen2 v1, 126 bytes; gen2v2's vuDigitalMapVersion is not written). */
export interface VuIdentification {
  manufacturerName: string;
  manufacturerAddress: string;
  /** VuPartNumber, IA5 16. */
  partNumber: string;
  serialNumber: ExtendedSerialNumber;
  /** VuSoftwareVersion, IA5 4. */
  softwareVersion: string;
  /** ISO date and time; written as TimeReal (whole seconds). */
  softwareInstallationDate: string;
  manufacturingDate: string;
  /** VuApprovalNumber (gen2: IA5 16, left-aligned). */
  approvalNumber: string;
  /** vuGeneration (App. 1 §2.75 Generation). */
  generation: CardGeneration;
  /** App. 1 §2.169 VuAbility bit 'a': false writes '1'B, "generation 1 is not supported". */
  supportsGen1Cards: boolean;
}
export const VU_IDENTIFICATION_SIZE = 126;

export function encodeVuIdentification(id: VuIdentification): Uint8Array {
  return concatBytes(
    encodeName(id.manufacturerName),
    // App. 1 §2.2 Address has the layout of Name: codePage then 35 bytes
    encodeName(id.manufacturerAddress),
    encodeIa5(id.partNumber, 16),
    encodeExtendedSerialNumber(id.serialNumber),
    encodeIa5(id.softwareVersion, 4),
    timeRealOfIso(id.softwareInstallationDate, 'softwareInstallationDate'),
    timeRealOfIso(id.manufacturingDate, 'manufacturingDate'),
    encodeIa5(id.approvalNumber, 16),
    Uint8Array.of(id.generation, id.supportsGen1Cards ? 0 : 1),
  );
}

export function decodeVuIdentification(bytes: Uint8Array, offset = 0): VuIdentification {
  const b = sized(bytes, offset, VU_IDENTIFICATION_SIZE, 'VuIdentification');
  const generation = b[124]!;
  if (generation !== 1 && generation !== 2) throw new RangeError(`VuIdentification: vuGeneration ${generation} is not 1 or 2`);
  return {
    manufacturerName: decodeName(b, 0),
    manufacturerAddress: decodeName(b, 36),
    partNumber: decodeIa5(b, 72, 16),
    serialNumber: decodeExtendedSerialNumber(b.subarray(88, 96)),
    softwareVersion: decodeIa5(b, 96, 4),
    softwareInstallationDate: isoOfTimeReal(b, 100),
    manufacturingDate: isoOfTimeReal(b, 104),
    approvalNumber: decodeIa5(b, 108, 16),
    generation,
    supportsGen1Cards: (b[125]! & 0x01) === 0,
  };
}

/** App. 1 §2.145 SensorPairedRecord (gen2, 28 bytes), the shape the VU keeps its pairings in. TimeReal seconds. */
export interface SensorPaired {
  sensorSerialNumber: ExtendedSerialNumber;
  sensorApprovalNumber: string;
  sensorPairingDate: number;
}
/** App. 1 §2.133 SensorExternalGNSSCoupledRecord (gen2, 28 bytes). TimeReal seconds. */
export interface SensorExternalGnssCoupled {
  sensorSerialNumber: ExtendedSerialNumber;
  sensorApprovalNumber: string;
  sensorCouplingDate: number;
}
export const SENSOR_PAIRED_RECORD_SIZE = 28;
export const SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE = 28;

function serialApprovalDate(serial: ExtendedSerialNumber, approval: string, date: number): Uint8Array {
  return concatBytes(encodeExtendedSerialNumber(serial), encodeIa5(approval, 16), encodeTimeReal(date * 1000));
}

export function encodeSensorPairedRecord(r: SensorPaired): Uint8Array {
  return serialApprovalDate(r.sensorSerialNumber, r.sensorApprovalNumber, r.sensorPairingDate);
}
export function decodeSensorPairedRecord(bytes: Uint8Array, offset = 0): SensorPaired {
  const b = sized(bytes, offset, SENSOR_PAIRED_RECORD_SIZE, 'SensorPairedRecord');
  return { sensorSerialNumber: decodeExtendedSerialNumber(b.subarray(0, 8)), sensorApprovalNumber: decodeIa5(b, 8, 16), sensorPairingDate: decodeTimeReal(b, 24) / 1000 };
}
export function encodeSensorExternalGnssCoupledRecord(r: SensorExternalGnssCoupled): Uint8Array {
  return serialApprovalDate(r.sensorSerialNumber, r.sensorApprovalNumber, r.sensorCouplingDate);
}
export function decodeSensorExternalGnssCoupledRecord(bytes: Uint8Array, offset = 0): SensorExternalGnssCoupled {
  const b = sized(bytes, offset, SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE, 'SensorExternalGNSSCoupledRecord');
  return { sensorSerialNumber: decodeExtendedSerialNumber(b.subarray(0, 8)), sensorApprovalNumber: decodeIa5(b, 8, 16), sensorCouplingDate: decodeTimeReal(b, 24) / 1000 };
}

/** App. 1 §2.130 SealRecord: equipmentType, then ExtendedSealIdentifier (manufacturerCode 2, sealIdentifier 8) as hex. */
export interface SealRecord {
  equipmentType: number;
  manufacturerCode: string;
  sealIdentifier: string;
}
/** App. 1 §2.129: fewer than 5 seals leave the other records with EquipmentType 16, "unused". */
const SEALS_IN_VU = 5;
const SEAL_UNUSED = 16;

export function encodeSealDataVu(seals: readonly SealRecord[]): Uint8Array {
  if (seals.length > SEALS_IN_VU) throw new RangeError(`SealDataVu holds ${SEALS_IN_VU} seals, got ${seals.length}`);
  const out = new Uint8Array(11 * SEALS_IN_VU);
  for (let i = 0; i < SEALS_IN_VU; i++) {
    const s = seals[i];
    // an unused record's identifier is written as zeros (a choice: App. 1 sets only its EquipmentType)
    out[11 * i] = s ? s.equipmentType : SEAL_UNUSED;
    if (s) out.set(concatBytes(fromHex(s.manufacturerCode), fromHex(s.sealIdentifier)), 11 * i + 1);
  }
  return out;
}
export function decodeSealDataVu(b: Uint8Array, at: number): SealRecord[] {
  const seals: SealRecord[] = [];
  for (let i = 0; i < SEALS_IN_VU; i++) {
    const r = b.subarray(at + 11 * i, at + 11 * i + 11);
    if (r[0] === SEAL_UNUSED) continue;
    seals.push({ equipmentType: r[0]!, manufacturerCode: toHex(r.subarray(1, 3)).toUpperCase(), sealIdentifier: toHex(r.subarray(3, 11)).toUpperCase() });
  }
  return seals;
}

function decodeFullCardNumber(b: Uint8Array, at: number): FullCardNumber {
  const cardType = cardTypeOfEquipment(b[at]!);
  if (!cardType) throw new RangeError(`FullCardNumber: EquipmentType ${b[at]} is not a card type`);
  return { cardType, issuingMemberState: b[at + 1]!, cardNumber: String.fromCharCode(...b.subarray(at + 2, at + 18)) };
}

/** App. 1 §2.174 VuCalibrationRecord (gen2 v1: the generation 1 fields, then sealDataVu; 222 bytes). TimeReal seconds. */
export interface VuCalibration {
  calibrationPurpose: number;
  workshopName: string;
  workshopAddress: string;
  workshopCardNumber: FullCardNumber;
  workshopCardExpiryDate: number;
  vehicleIdentificationNumber: string;
  vehicleRegistrationIdentification: VehicleRegistrationIdentification;
  wVehicleCharacteristicConstant: number;
  kConstantOfRecordingEquipment: number;
  lTyreCircumference: number;
  tyreSize: string;
  authorisedSpeed: number;
  oldOdometerValue: number;
  newOdometerValue: number;
  oldTimeValue: number;
  newTimeValue: number;
  nextCalibrationDate: number;
  sealDataVu: readonly SealRecord[];
}
export const VU_CALIBRATION_RECORD_SIZE = 222;

export function encodeVuCalibrationRecord(c: VuCalibration): Uint8Array {
  return concatBytes(encodeCalibrationGen1Part(c), encodeSealDataVu(c.sealDataVu));
}

/** The fields every generation's VuCalibrationRecord starts with (App. 1 §2.174 generation 1), 167 bytes. */
export const CALIBRATION_GEN1_PART_SIZE = 167;

export function encodeCalibrationGen1Part(c: Omit<VuCalibration, 'sealDataVu'>): Uint8Array {
  const vri = c.vehicleRegistrationIdentification;
  return concatBytes(
    Uint8Array.of(c.calibrationPurpose),
    encodeName(c.workshopName),
    encodeName(c.workshopAddress),
    encodeFullCardNumber(c.workshopCardNumber),
    encodeTimeReal(c.workshopCardExpiryDate * 1000),
    encodeIa5(c.vehicleIdentificationNumber, 17),
    Uint8Array.of(vri.vehicleRegistrationNation),
    encodeVehicleRegistrationNumber(vri.vehicleRegistrationNumber),
    u16(c.wVehicleCharacteristicConstant, 'w'),
    u16(c.kConstantOfRecordingEquipment, 'k'),
    u16(c.lTyreCircumference, 'l'),
    encodeIa5(c.tyreSize, 15),
    Uint8Array.of(c.authorisedSpeed),
    encodeOdometerShort(c.oldOdometerValue),
    encodeOdometerShort(c.newOdometerValue),
    encodeTimeReal(c.oldTimeValue * 1000),
    encodeTimeReal(c.newTimeValue * 1000),
    encodeTimeReal(c.nextCalibrationDate * 1000),
  );
}

export function decodeVuCalibrationRecord(bytes: Uint8Array, offset = 0): VuCalibration {
  const b = sized(bytes, offset, VU_CALIBRATION_RECORD_SIZE, 'VuCalibrationRecord');
  return { ...decodeCalibrationGen1Part(b), sealDataVu: decodeSealDataVu(b, CALIBRATION_GEN1_PART_SIZE) };
}

/** The first 167 bytes of a VuCalibrationRecord of any generation. */
export function decodeCalibrationGen1Part(b: Uint8Array): Omit<VuCalibration, 'sealDataVu'> {
  return {
    calibrationPurpose: b[0]!,
    workshopName: decodeName(b, 1),
    workshopAddress: decodeName(b, 37),
    workshopCardNumber: decodeFullCardNumber(b, 73),
    workshopCardExpiryDate: decodeTimeReal(b, 91) / 1000,
    vehicleIdentificationNumber: decodeIa5(b, 95, 17),
    vehicleRegistrationIdentification: { vehicleRegistrationNation: b[112]!, vehicleRegistrationNumber: decodeVehicleRegistrationNumber(b, 113) },
    wVehicleCharacteristicConstant: readU16(b, 127),
    kConstantOfRecordingEquipment: readU16(b, 129),
    lTyreCircumference: readU16(b, 131),
    tyreSize: decodeIa5(b, 133, 15),
    authorisedSpeed: b[148]!,
    oldOdometerValue: decodeOdometerShort(b, 149),
    newOdometerValue: decodeOdometerShort(b, 152),
    oldTimeValue: decodeTimeReal(b, 155) / 1000,
    newTimeValue: decodeTimeReal(b, 159) / 1000,
    nextCalibrationDate: decodeTimeReal(b, 163) / 1000,
  };
}

/** App. 1 §2.179 VuCardRecord (gen2, as the seed L606-620 words it; 45 bytes): Annex IC 132. */
export interface VuCard {
  cardNumberAndGenerationInformation: FullCardNumberAndGeneration;
  /** From the card's EF_ICC. */
  cardExtendedSerialNumber: ExtendedSerialNumber;
  /** App. 1 §2.36 CardStructureVersion, 2 bytes as hex (from EF_Application_Identification of DF Tachograph_G2). */
  cardStructureVersion: string;
  /** App. 1 §2.26 CardNumber, 16 characters (from EF_Identification of DF Tachograph_G2). */
  cardNumber: string;
}
export const VU_CARD_RECORD_SIZE = 45;

export function encodeVuCardRecord(c: VuCard): Uint8Array {
  const version = fromHex(c.cardStructureVersion);
  if (version.length !== 2) throw new RangeError(`CardStructureVersion '${c.cardStructureVersion}' is not 2 bytes`);
  return concatBytes(encodeFullCardNumberAndGeneration(c.cardNumberAndGenerationInformation), encodeExtendedSerialNumber(c.cardExtendedSerialNumber), version, encodeIa5(c.cardNumber, 16));
}

export function decodeVuCardRecord(bytes: Uint8Array, offset = 0): VuCard {
  const b = sized(bytes, offset, VU_CARD_RECORD_SIZE, 'VuCardRecord');
  const card = decodeFullCardNumberAndGeneration(b, 0);
  if (!card) throw new RangeError('VuCardRecord without a card number');
  return { cardNumberAndGenerationInformation: card, cardExtendedSerialNumber: decodeExtendedSerialNumber(b.subarray(19, 27)), cardStructureVersion: toHex(b.subarray(27, 29)), cardNumber: String.fromCharCode(...b.subarray(29, 45)) };
}

/** App. 1 §2.207 VuITSConsentRecord (20 bytes): a driver or workshop card and its holder's consent. */
export interface VuItsConsent {
  cardNumberAndGen: FullCardNumberAndGeneration;
  consent: boolean;
}
export const VU_ITS_CONSENT_RECORD_SIZE = 20;

export function encodeVuItsConsentRecord(c: VuItsConsent): Uint8Array {
  // BOOLEAN as one octet, TRUE '01'H (a choice: App. 1 §5 names the aligned PER variant, which gives no octet)
  return concatBytes(encodeFullCardNumberAndGeneration(c.cardNumberAndGen), Uint8Array.of(c.consent ? 1 : 0));
}

export function decodeVuItsConsentRecord(bytes: Uint8Array, offset = 0): VuItsConsent {
  const b = sized(bytes, offset, VU_ITS_CONSENT_RECORD_SIZE, 'VuITSConsentRecord');
  const card = decodeFullCardNumberAndGeneration(b, 0);
  if (!card) throw new RangeError('VuITSConsentRecord without a card number');
  return { cardNumberAndGen: card, consent: b[19] !== 0 };
}

