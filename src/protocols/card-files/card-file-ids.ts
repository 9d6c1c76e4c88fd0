/**
 * The driver card's file system as App. 2 names it (TCS_142 MF, TCS_148 DF Tachograph, TCS_152 DF
 * Tachograph_G2, gen2 version 1: no Application_Identification_V2 and none of the files it announces), and the
 * tags a card download gives each file (App. 7 DDP_042..046).
 */

/** Where an EF lives: the MF (common card information) or one of the two tachograph applications. */
export type CardDf = 'mf' | 'tachograph' | 'tachograph-g2';

/** App. 2 TCS_142, TCS_148, TCS_152: the file identifiers. */
export const FID = {
  ICC: 0x0002,
  IC: 0x0005,
  APPLICATION_IDENTIFICATION: 0x0501,
  EVENTS_DATA: 0x0502,
  FAULTS_DATA: 0x0503,
  DRIVER_ACTIVITY_DATA: 0x0504,
  VEHICLES_USED: 0x0505,
  PLACES: 0x0506,
  CURRENT_USAGE: 0x0507,
  CONTROL_ACTIVITY_DATA: 0x0508,
  CARD_DOWNLOAD: 0x050e,
  IDENTIFICATION: 0x0520,
  DRIVING_LICENCE_INFO: 0x0521,
  SPECIFIC_CONDITIONS: 0x0522,
  VEHICLE_UNITS_USED: 0x0523,
  GNSS_PLACES: 0x0524,
  // the EFs of other card types (App. 2 TCS_156, TCS_164, TCS_172) and of version 2 of gen2 (TCS_152 notes)
  /** A workshop card's EF Card_Download (a driver card's is '050E'). */
  WORKSHOP_CARD_DOWNLOAD: 0x0509,
  CALIBRATION: 0x050a,
  SENSOR_INSTALLATION_DATA: 0x050b,
  CONTROLLER_ACTIVITY_DATA: 0x050c,
  COMPANY_ACTIVITY_DATA: 0x050d,
  APPLICATION_IDENTIFICATION_V2: 0x0525,
  PLACES_AUTHENTICATION: 0x0526,
  GNSS_PLACES_AUTHENTICATION: 0x0527,
  BORDER_CROSSINGS: 0x0528,
  LOAD_UNLOAD_OPERATIONS: 0x0529,
  LOAD_TYPE_ENTRIES: 0x0530,
  CALIBRATION_ADD_DATA: 0x0531,
  VU_CONFIGURATION: 0x0540,
  /** DF Tachograph: Card_Certificate; DF Tachograph_G2: CardMA_Certificate. */
  CARD_CERTIFICATE: 0xc100,
  /** DF Tachograph_G2 only. */
  CARD_SIGN_CERTIFICATE: 0xc101,
  CA_CERTIFICATE: 0xc108,
  /** DF Tachograph_G2 only. */
  LINK_CERTIFICATE: 0xc109,
} as const;

/** DDP_046: the byte appended to the FID to make a tag. */
export const TAG_APPENDIX = {
  /** The data of an EF in DF Tachograph, or of the common information (EF ICC, EF IC). */
  DATA_G1: 0x00,
  /** The signature of an EF in DF Tachograph. */
  SIGNATURE_G1: 0x01,
  /** The data of an EF in DF Tachograph_G2 (the seed's description says "signature"; its example and the consolidated text say data). */
  DATA_G2: 0x02,
  SIGNATURE_G2: 0x03,
} as const;

const NAMES: Record<number, string> = {
  [FID.ICC]: 'EF ICC',
  [FID.IC]: 'EF IC',
  [FID.APPLICATION_IDENTIFICATION]: 'EF Application_Identification',
  [FID.EVENTS_DATA]: 'EF Events_Data',
  [FID.FAULTS_DATA]: 'EF Faults_Data',
  [FID.DRIVER_ACTIVITY_DATA]: 'EF Driver_Activity_Data',
  [FID.VEHICLES_USED]: 'EF Vehicles_Used',
  [FID.PLACES]: 'EF Places',
  [FID.CURRENT_USAGE]: 'EF Current_Usage',
  [FID.CONTROL_ACTIVITY_DATA]: 'EF Control_Activity_Data',
  [FID.CARD_DOWNLOAD]: 'EF Card_Download',
  [FID.IDENTIFICATION]: 'EF Identification',
  [FID.DRIVING_LICENCE_INFO]: 'EF Driving_Licence_Info',
  [FID.SPECIFIC_CONDITIONS]: 'EF Specific_Conditions',
  [FID.VEHICLE_UNITS_USED]: 'EF VehicleUnits_Used',
  [FID.GNSS_PLACES]: 'EF GNSS_Places',
  [FID.WORKSHOP_CARD_DOWNLOAD]: 'EF Card_Download',
  [FID.CALIBRATION]: 'EF Calibration',
  [FID.SENSOR_INSTALLATION_DATA]: 'EF Sensor_Installation_Data',
  [FID.CONTROLLER_ACTIVITY_DATA]: 'EF Controller_Activity_Data',
  [FID.COMPANY_ACTIVITY_DATA]: 'EF Company_Activity_Data',
  [FID.APPLICATION_IDENTIFICATION_V2]: 'EF Application_Identification_V2',
  [FID.PLACES_AUTHENTICATION]: 'EF Places_Authentication',
  [FID.GNSS_PLACES_AUTHENTICATION]: 'EF GNSS_Places_Authentication',
  [FID.BORDER_CROSSINGS]: 'EF Border_Crossings',
  [FID.LOAD_UNLOAD_OPERATIONS]: 'EF Load_Unload_Operations',
  [FID.LOAD_TYPE_ENTRIES]: 'EF Load_Type_Entries',
  [FID.CALIBRATION_ADD_DATA]: 'EF Calibration_Add_Data',
  [FID.VU_CONFIGURATION]: 'EF VU_Configuration',
  [FID.CARD_SIGN_CERTIFICATE]: 'EF CardSignCertificate',
  [FID.CA_CERTIFICATE]: 'EF CA_Certificate',
  [FID.LINK_CERTIFICATE]: 'EF Link_Certificate',
};

/** The App. 2 name of the EF `fid` in `df` (C100 is Card_Certificate in DF Tachograph, CardMA_Certificate in DF Tachograph_G2). */
export function efName(fid: number, df: CardDf): string {
  if (fid === FID.CARD_CERTIFICATE) return df === 'tachograph-g2' ? 'EF CardMA_Certificate' : 'EF Card_Certificate';
  return NAMES[fid] ?? `EF ${fid.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** The DF a tag's appendix points to: 00/01 DF Tachograph (or the MF for EF ICC and IC), 02/03 DF Tachograph_G2. */
export function dfOfTag(fid: number, appendix: number): CardDf {
  if (appendix === TAG_APPENDIX.DATA_G2 || appendix === TAG_APPENDIX.SIGNATURE_G2) return 'tachograph-g2';
  return fid === FID.ICC || fid === FID.IC ? 'mf' : 'tachograph';
}
