import { NKM_MODEL_TABLE } from '../models.ts';
import type { Vehicle } from '../schemas.ts';
import { PROCESSING_ERROR, type ProcessingError } from '../texts.ts';
import type { CardRecord, NkmRecord, TachographRecord, VehicleRecord } from './api.ts';

export interface Registry {
  tachographs: Record<string, TachographRecord>;
  nkm: Record<string, NkmRecord>;
  vehicles: Record<string, VehicleRecord>;
  cards: Record<string, CardRecord>;
}

/**
 * 6.21: a Russian plate is Cyrillic: a letter, three digits, two letters, the 2- or 3-digit region, from the
 * twelve letters plates use (А В Е К М Н О Р С Т У Х). Latin look-alikes (A, B, E, ...) are the seed's
 * typical mistake and fail here.
 */
export const RUSSIAN_PLATE = /^[АВЕКМНОРСТУХ]\d{3}[АВЕКМНОРСТУХ]{2}\d{2,3}$/;

export interface ProcessingInput {
  cardNumber: string;
  nkmFactoryNo: string;
  tachographNo2: string;
  vehicle: Vehicle;
}

/**
 * What the data centre finds wrong with a request against the registry (6.11–6.21), in the order it checks,
 * or null. The order is the rig's (the seed lists the errors, not their precedence): the card, the block, the
 * tachograph and its links, the plate, the vehicle.
 */
export function processingError(registry: Registry, input: ProcessingInput, now: number): ProcessingError | null {
  const card = registry.cards[input.cardNumber];
  // 6.12: not listed, blocked, or expired (valid through its expiry day)
  if (!card || card.blocked || now >= Date.parse(`${card.expiry}T00:00:00Z`) + 86_400_000) return PROCESSING_ERROR.cardNotListedOrBlocked;
  const nkm = registry.nkm[input.nkmFactoryNo];
  // 6.20: a banned model; 5.6: a revoked block is taken out of service (the rig gives it the same answer)
  if (!nkm || NKM_MODEL_TABLE[nkm.model].banned || nkm.status === 'revoked') return PROCESSING_ERROR.activationImpossible;
  const tachograph = registry.tachographs[input.tachographNo2];
  if (!tachograph) return PROCESSING_ERROR.tachographNotListed; // 6.13
  if (tachograph.blocked) return PROCESSING_ERROR.tachographRecordBlocked; // 6.18
  const tachographLinkedElsewhere = tachograph.linkedNkm !== input.nkmFactoryNo; // 6.14: the tachograph's link is not to this block
  const nkmLinkedElsewhere = nkm.linkedTachograph !== input.tachographNo2; // 6.16: this block is linked to another tachograph
  if (tachographLinkedElsewhere && nkmLinkedElsewhere) return PROCESSING_ERROR.tachographLinkedToOtherSkzi; // 6.17: both
  if (nkmLinkedElsewhere) return PROCESSING_ERROR.tachographHasNoLink;
  if (tachographLinkedElsewhere) return PROCESSING_ERROR.skziHasNoLink;
  const vehicle = registry.vehicles[input.vehicle.vin];
  // 6.21: a plate that is not a Cyrillic Russian one, or a vehicle registered outside Russia
  if (!RUSSIAN_PLATE.test(input.vehicle.vrn) || (vehicle && vehicle.country !== 'RUS')) return PROCESSING_ERROR.plateMissingOrIncorrect;
  if (!vehicle) return PROCESSING_ERROR.vehicleNotListed; // 6.19
  if (vehicle.blocked) return PROCESSING_ERROR.vehicleRecordBlocked; // 6.15
  if (vehicle.linkedTachograph !== null && vehicle.linkedTachograph !== input.tachographNo2) return PROCESSING_ERROR.vehicleLinkedToOtherTachograph; // 6.11
  return null;
}
