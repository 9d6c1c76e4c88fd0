import { describe, expect, it } from 'vitest';
import { registryFor } from '../activation-bench.ts';
import { nkmTachographOptions } from '../options.ts';
import { PROCESSING_ERROR } from '../texts.ts';
import { processingError, RUSSIAN_PLATE, type Registry } from './registry-rules.ts';

/** Each registry condition of 6.11–6.21 gives its exact text; a clean registry gives none (the positive control). */
const START = Date.parse('2026-03-02T08:00:00Z');
const o = nkmTachographOptions.parse({});
const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
const CARD = 'RUS0000007770001';
const input = { cardNumber: CARD, nkmFactoryNo: o.nkm.factoryNo, tachographNo2: o.tachograph.number2, vehicle: VEHICLE };
const fresh = () => registryFor(o, VEHICLE, { cardNumber: CARD, expiry: '2030-12-31' });
const withEdit = (edit: (r: Registry) => void) => {
  const r = fresh();
  edit(r);
  return processingError(r, input, START);
};
const nkm = (r: Registry): Registry['nkm'][string] => r.nkm[o.nkm.factoryNo]!;
const tacho = (r: Registry): Registry['tachographs'][string] => r.tachographs[o.tachograph.number2]!;
const vehicle = (r: Registry): Registry['vehicles'][string] => r.vehicles[VEHICLE.vin]!;

describe('registry conditions → processing errors (6.11–6.21)', () => {
  it('a clean registry: no error', () => {
    expect(processingError(fresh(), input, START)).toBeNull();
  });
  const cases: [string, (r: Registry) => unknown, string, string?][] = [
    ['6.12 card not listed', (r: Registry) => delete r.cards[CARD], PROCESSING_ERROR.cardNotListedOrBlocked],
    ['6.12 card blocked', (r: Registry) => (r.cards[CARD]!.blocked = true), PROCESSING_ERROR.cardNotListedOrBlocked],
    ['6.12 card expired', (r: Registry) => (r.cards[CARD]!.expiry = '2026-03-01'), PROCESSING_ERROR.cardNotListedOrBlocked],
    ['6.20 НКМ-1', (r: Registry) => (nkm(r).model = 'НКМ-1'), PROCESSING_ERROR.activationImpossible],
    ['6.20 НКМ-2', (r: Registry) => (nkm(r).model = 'НКМ-2'), PROCESSING_ERROR.activationImpossible],
    ['5.6 a revoked block', (r: Registry) => (nkm(r).status = 'revoked'), PROCESSING_ERROR.activationImpossible],
    ['6.13 tachograph not listed', (r: Registry) => delete r.tachographs[o.tachograph.number2], PROCESSING_ERROR.tachographNotListed],
    ['6.18 tachograph blocked', (r: Registry) => (tacho(r).blocked = true), PROCESSING_ERROR.tachographRecordBlocked],
    ['6.14 tachograph still linked to its previous block', (r: Registry) => (tacho(r).linkedNkm = '20E3S00000000001'), PROCESSING_ERROR.skziHasNoLink],
    ['6.16 block linked to another tachograph', (r: Registry) => (nkm(r).linkedTachograph = 'SM1420000999'), PROCESSING_ERROR.tachographHasNoLink],
    ['6.17 both', (r: Registry) => ((tacho(r).linkedNkm = null), (nkm(r).linkedTachograph = 'SM1420000999')), PROCESSING_ERROR.tachographLinkedToOtherSkzi],
    ['6.21 Latin plate', () => undefined, PROCESSING_ERROR.plateMissingOrIncorrect, 'A123BC77'],
    ['6.21 no plate', () => undefined, PROCESSING_ERROR.plateMissingOrIncorrect, ''],
    ['6.21 registered abroad', (r: Registry) => (vehicle(r).country = 'BY'), PROCESSING_ERROR.plateMissingOrIncorrect],
    ['6.19 vehicle not listed', (r: Registry) => delete r.vehicles[VEHICLE.vin], PROCESSING_ERROR.vehicleNotListed],
    ['6.15 vehicle record blocked', (r: Registry) => (vehicle(r).blocked = true), PROCESSING_ERROR.vehicleRecordBlocked],
    ['6.11 vehicle linked to another tachograph', (r: Registry) => (vehicle(r).linkedTachograph = 'SM1420000999'), PROCESSING_ERROR.vehicleLinkedToOtherTachograph],
  ];
  it.each(cases)('%s', (_name, edit, error, vrn) => {
    const r = fresh();
    edit(r);
    expect(processingError(r, { ...input, vehicle: { ...VEHICLE, vrn: vrn ?? VEHICLE.vrn } }, START)).toBe(error);
  });
  it('the card is valid through its expiry day', () => {
    expect(withEdit((r) => (r.cards[CARD]!.expiry = '2026-03-02'))).toBeNull();
  });
  it('a Cyrillic plate passes, its Latin look-alike does not (6.21)', () => {
    expect(RUSSIAN_PLATE.test('А123ВС777')).toBe(true);
    expect(RUSSIAN_PLATE.test('A123BC777')).toBe(false);
  });
});
