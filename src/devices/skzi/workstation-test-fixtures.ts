import { workshopCardSchema } from '../cards/card-schema.ts';
import { registryFor } from './activation-bench.ts';
import { DataCentre } from './data-centre/data-centre.ts';
import { nkmTachographOptions } from './options.ts';

/** What the АРМА tests share: one tachograph with its block, one vehicle, one workshop card, a registry of them. */
export const START = Date.parse('2026-03-02T08:00:00Z');
export const tacho = nkmTachographOptions.parse({});
export const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
export const OWNER = { name: 'ООО «Перевозчик»', inn: '7701234567' };
export const card = workshopCardSchema.parse({
  type: 'workshop',
  issuingMemberState: 'RUS',
  cardNumber: 'RUS0000007770002',
  workshopName: 'Masterskaya',
  address: 'Moskva',
  holder: { surname: 'PETROV', firstNames: 'Petr' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

/** A data centre whose registry holds the tachograph, its block, the vehicle and the card. */
export const testDataCentre = (now: () => number = () => START) =>
  new DataCentre({ now, registry: registryFor(tacho, VEHICLE, { cardNumber: card.cardNumber, expiry: '2030-12-31' }) });
