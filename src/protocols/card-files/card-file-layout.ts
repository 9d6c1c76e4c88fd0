import type { CardType } from '../app1/card-type.ts';
import { FID } from './card-file-ids.ts';

/**
 * What a card download carries for each DF, by card type and generation (App. 7 DDP_035 over the App. 2 file
 * structures): a verifier that only checked the signatures it found passed a file with EFs deleted, or with an
 * EF re-tagged as a signature. DDP_035 transfers, in each DF, the certificates unsigned, then "the rest of the
 * EF files with application data except EF Card_Download", each signed, and names a minimum ("at least"
 * Application_Identification and Identification; for a driver card also Events_Data ... Specific_Conditions,
 * and in DF Tachograph_G2 VehicleUnits_Used and GNSS_Places). Choice (README, card downloads): the rig asks
 * for the whole transfer, every application EF App. 2 gives the card type, as the procedure reads them all;
 * a file without Current_Usage or Driving_Licence_Info is refused, naming the EF.
 */
export interface CardDfLayout {
  /** The App. 2 requirement whose table this is. */
  requirement: string;
  /** Unsigned, first, in every session (DDP_035); the rest of `certificates` may be absent. */
  certificates: readonly number[];
  mandatoryCertificates: readonly number[];
  /** Every EF a download carries signed. */
  signed: readonly number[];
  /** EFs that may also come, signed: version 2 of a gen2 card (cardStructureVersion {01 01}), CardMA_Certificate. */
  optional: readonly number[];
  /** EFs of the card a download leaves out (DDP_035: Card_Download; a workshop card's Sensor_Installation_Data). */
  notDownloaded: readonly number[];
}

const G1_CERTIFICATES = [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE];
const G2_CERTIFICATES = [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];
const G2_MANDATORY_CERTIFICATES = [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE];

/** What a driver's or workshop's card records while used (TCS_148, TCS_156). */
const USE_RECORDS = [FID.EVENTS_DATA, FID.FAULTS_DATA, FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.PLACES, FID.CURRENT_USAGE, FID.CONTROL_ACTIVITY_DATA, FID.SPECIFIC_CONDITIONS];
/** Gen2 adds (TCS_152, TCS_160). */
const G2_USE_RECORDS = [FID.VEHICLE_UNITS_USED, FID.GNSS_PLACES];
/** Version 2 of a gen2 driver or workshop card adds (TCS_152, TCS_160 notes). */
const V2_RECORDS = [FID.APPLICATION_IDENTIFICATION_V2, FID.PLACES_AUTHENTICATION, FID.GNSS_PLACES_AUTHENTICATION, FID.BORDER_CROSSINGS, FID.LOAD_UNLOAD_OPERATIONS, FID.LOAD_TYPE_ENTRIES, FID.VU_CONFIGURATION];

const SIGNED: Record<CardType, { g1: readonly number[]; g2: readonly number[]; v2: readonly number[]; requirement: [string, string] }> = {
  driver: {
    g1: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.DRIVING_LICENCE_INFO, ...USE_RECORDS],
    g2: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.DRIVING_LICENCE_INFO, ...USE_RECORDS, ...G2_USE_RECORDS],
    v2: V2_RECORDS,
    requirement: ['TCS_148', 'TCS_152'],
  },
  workshop: {
    g1: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.CALIBRATION, ...USE_RECORDS],
    g2: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.CALIBRATION, ...USE_RECORDS, ...G2_USE_RECORDS],
    v2: [...V2_RECORDS, FID.CALIBRATION_ADD_DATA],
    requirement: ['TCS_156', 'TCS_160'],
  },
  control: {
    g1: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.CONTROLLER_ACTIVITY_DATA],
    g2: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.CONTROLLER_ACTIVITY_DATA],
    v2: [FID.APPLICATION_IDENTIFICATION_V2, FID.VU_CONFIGURATION],
    requirement: ['TCS_164', 'TCS_168'],
  },
  company: {
    g1: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.COMPANY_ACTIVITY_DATA],
    g2: [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION, FID.COMPANY_ACTIVITY_DATA],
    v2: [FID.APPLICATION_IDENTIFICATION_V2, FID.VU_CONFIGURATION],
    requirement: ['TCS_172', 'TCS_176'],
  },
};

/** App. 1 CardStructureVersion of version 2 of a gen2 card (App. 2 notes to TCS_152, TCS_160, TCS_168, TCS_176). */
export const GEN2_VERSION_2 = '0101';

export function cardDfLayout(type: CardType, df: 'tachograph' | 'tachograph-g2', cardStructureVersion: string): CardDfLayout {
  const t = SIGNED[type];
  const cardDownload = type === 'workshop' ? FID.WORKSHOP_CARD_DOWNLOAD : FID.CARD_DOWNLOAD;
  const notDownloaded = type === 'workshop' ? [cardDownload, FID.SENSOR_INSTALLATION_DATA] : [cardDownload];
  if (df === 'tachograph') return { requirement: t.requirement[0], certificates: G1_CERTIFICATES, mandatoryCertificates: G1_CERTIFICATES, signed: t.g1, optional: [], notDownloaded };
  if (type === 'control' || type === 'company') {
    // TCS_168, TCS_176: no Card_Sign key (CSM_83); CardMA_Certificate is the one the DF's signatures check against (README)
    const certificates = [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];
    return { requirement: t.requirement[1], certificates, mandatoryCertificates: [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE], signed: t.g2, optional: cardStructureVersion === GEN2_VERSION_2 ? t.v2 : [], notDownloaded };
  }
  return {
    requirement: t.requirement[1],
    certificates: G2_CERTIFICATES,
    mandatoryCertificates: G2_MANDATORY_CERTIFICATES,
    signed: t.g2,
    // CardMA_Certificate (C100 in DF Tachograph_G2) is not named by DDP_035/037: the rig leaves it out, a file may sign it
    optional: [FID.CARD_CERTIFICATE, ...(cardStructureVersion === GEN2_VERSION_2 ? t.v2 : [])],
    notDownloaded,
  };
}
