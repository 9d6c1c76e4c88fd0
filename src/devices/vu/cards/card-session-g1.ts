import { readBinary, selectByFid, updateBinary } from '../../../protocols/apdu/index.ts';
import { CARD_CURRENT_USE_BYTES, decodeCardCurrentUse, encodeCardCurrentUse, FID, NO_SESSION } from '../../../protocols/card-files/index.ts';
import { ok, writeWithRetries, type OpenSession, type SecuredSend } from './card-session.ts';

/**
 * The card session data of a first generation card (card-session.ts for both applications of a gen2 card): EF
 * Current_Usage of DF Tachograph, the only application it has (Annex IC 145, 150), read and written under gen1
 * secure messaging (TCS_148: SC3). The caller has DF Tachograph selected. A session found open was opened by a
 * VU that did not close it (Annex IC 77); on a gen1 card its generation is not known: reported as 1 (a choice,
 * as card-session.ts does for DF Tachograph alone). Writes are tried again as Annex IC 149 says (writeWithRetries).
 */
export function openCardSessionG1(send: SecuredSend, session: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string }): OpenSession | null {
  ok(send, selectByFid(FID.CURRENT_USAGE), 'secured SELECT of EF Current_Usage');
  const use = decodeCardCurrentUse(ok(send, readBinary(0, CARD_CURRENT_USE_BYTES), 'secured read of CardCurrentUse').data);
  writeWithRetries(send, updateBinary(0, encodeCardCurrentUse({ sessionOpenTime: session.at, vehicleRegistrationNation: session.vehicleRegistrationNation, vehicleRegistrationNumber: session.vehicleRegistrationNumber })), 'secured UPDATE of CardCurrentUse');
  if (use.sessionOpenTime === 0) return null;
  return { insertion: use.sessionOpenTime, vehicleRegistrationNation: use.vehicleRegistrationNation, vehicleRegistrationNumber: use.vehicleRegistrationNumber, vuGeneration: 1 };
}

export function closeCardSessionG1(send: SecuredSend): void {
  ok(send, selectByFid(FID.CURRENT_USAGE), 'secured SELECT of EF Current_Usage');
  writeWithRetries(send, updateBinary(0, encodeCardCurrentUse(NO_SESSION)), 'secured UPDATE of CardCurrentUse');
}
