import { FID, type CardDf } from '../../../protocols/card-files/index.ts';
import { FID_DIR } from './card-image.ts';

/**
 * App. 2 file access rules (TCS_142 MF, TCS_148/156/164/172 DF Tachograph, TCS_152/160/168/176 DF
 * Tachograph_G2) as the security conditions their tables name:
 *   ALW always; NEV never;
 *   SC1 ALW OR SM-MAC-G2; SC2 ALW OR SM-MAC-G1 OR SM-MAC-G2; SC3 SM-MAC-G1 OR SM-MAC-G2;
 *   SM-MAC-G1 the command under gen1 secure messaging (App. 11 part A §5, a gen1 card: gen1-authentication.ts);
 *   SM-MAC-G2 the command under gen2 secure messaging (App. 11 part B, CSM_188-191).
 */
export type AccessCondition = 'ALW' | 'NEV' | 'SC1' | 'SC2' | 'SC3' | 'SM-MAC-G2';

/** How a command reached the card: in plain, or protected under a gen2 or a gen1 session. */
export type Channel = 'plain' | 'sm-g2' | 'sm-g1';

export function accessAllowed(condition: AccessCondition, channel: Channel): boolean {
  switch (condition) {
    case 'ALW':
      return true;
    case 'NEV':
      return false;
    case 'SC1':
      return channel === 'plain' || channel === 'sm-g2';
    case 'SC2':
      return true;
    case 'SC3':
      return channel !== 'plain';
    case 'SM-MAC-G2':
      return channel === 'sm-g2';
  }
}

export interface EfAccess {
  read: AccessCondition;
  update: AccessCondition;
}

/** What the VU writes while a card is used (TCS_148, TCS_152, TCS_156, TCS_160, TCS_164, TCS_172): updated under SM only. */
const WRITTEN_BY_VU: ReadonlySet<number> = new Set([
  FID.EVENTS_DATA,
  FID.FAULTS_DATA,
  FID.DRIVER_ACTIVITY_DATA,
  FID.VEHICLES_USED,
  FID.PLACES,
  FID.CURRENT_USAGE,
  FID.CONTROL_ACTIVITY_DATA,
  FID.SPECIFIC_CONDITIONS,
  FID.VEHICLE_UNITS_USED,
  FID.GNSS_PLACES,
  FID.CALIBRATION,
  FID.CONTROLLER_ACTIVITY_DATA,
  FID.COMPANY_ACTIVITY_DATA,
  FID.PLACES_AUTHENTICATION,
  FID.GNSS_PLACES_AUTHENTICATION,
  FID.BORDER_CROSSINGS,
  FID.LOAD_UNLOAD_OPERATIONS,
  FID.LOAD_TYPE_ENTRIES,
  FID.CALIBRATION_ADD_DATA,
  FID.VU_CONFIGURATION,
]);

/**
 * The read and update conditions of EF `fid` in `df`. EF Card_Download (a driver card's '050E', a workshop
 * card's '0509') is SC1 for update in both applications (TCS_148, TCS_152): a VU writes it in plain after a
 * card download (DDP_051).
 */
export function efAccess(df: CardDf, fid: number): EfAccess {
  // TCS_142: EF ICC, IC, DIR, ATR/INFO, Extended_Length: read ALW, update NEV
  if (df === 'mf') return { read: 'ALW', update: 'NEV' };
  const cardDownload = fid === FID.CARD_DOWNLOAD || fid === FID.WORKSHOP_CARD_DOWNLOAD;
  if (df === 'tachograph') {
    // TCS_148: read SC2; update SC1 (Card_Download), SC3 (what the VU records), NEV (the rest)
    return { read: 'SC2', update: cardDownload ? 'SC1' : WRITTEN_BY_VU.has(fid) ? 'SC3' : 'NEV' };
  }
  // TCS_152: read SC1; update SC1 (Card_Download), SM-MAC-G2 (what the VU records), NEV (the rest)
  return { read: 'SC1', update: cardDownload ? 'SC1' : WRITTEN_BY_VU.has(fid) ? 'SM-MAC-G2' : 'NEV' };
}

/** TCS_142: selecting DF Tachograph or DF Tachograph_G2 is SC1. */
export const SELECT_DF: AccessCondition = 'SC1';

/** App. 2 TCS_152: the short EF identifiers of DF Tachograph_G2 of a driver card (TCS_142: EF DIR is 30 in the MF). */
export const SFID: Readonly<Record<CardDf, Readonly<Record<number, number>>>> = {
  mf: { 30: FID_DIR },
  tachograph: {},
  'tachograph-g2': {
    1: FID.APPLICATION_IDENTIFICATION,
    2: FID.CARD_CERTIFICATE,
    3: FID.CARD_SIGN_CERTIFICATE,
    4: FID.CA_CERTIFICATE,
    5: FID.LINK_CERTIFICATE,
    6: FID.IDENTIFICATION,
    7: FID.CARD_DOWNLOAD,
    10: FID.DRIVING_LICENCE_INFO,
    12: FID.EVENTS_DATA,
    13: FID.FAULTS_DATA,
    14: FID.DRIVER_ACTIVITY_DATA,
    15: FID.VEHICLES_USED,
    16: FID.PLACES,
    17: FID.CURRENT_USAGE,
    18: FID.CONTROL_ACTIVITY_DATA,
    19: FID.SPECIFIC_CONDITIONS,
    20: FID.VEHICLE_UNITS_USED,
    21: FID.GNSS_PLACES,
  },
};
