import { afterEach, describe, expect, it } from 'vitest';
import { wendy } from '../cards/test-cards.ts';
import { ActivationBench, registryFor, type BenchEntry } from './activation-bench.ts';
import { nkmTachographOptions } from './options.ts';
import { DISPLAY, MENU, PROMPT, TACHO_ERROR } from './texts.ts';
import { menuItems } from './nkm-machine.ts';
import { encodeServiceFrame, encodeWriteVehicle } from '../../protocols/skzi-service-link/service-link.ts';

/** The НКМ block's rules one at a time, each with its positive control in the same test. */
const START = Date.parse('2026-03-02T08:00:00Z');
const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
let bench: ActivationBench | undefined;
afterEach(() => bench?.close());

function setUp(options: Parameters<ActivationBench['addTachograph']>[1] = {}) {
  const o = nkmTachographOptions.parse(options);
  bench = new ActivationBench({ start: START, registry: registryFor(o, VEHICLE, { cardNumber: wendy.cardNumber, expiry: '2030-12-31' }) });
  bench.addTachograph('t', options);
  bench.addCard('w', wendy);
  return { b: bench, o };
}
const texts = (e: BenchEntry[]) => e.filter((x) => x.type === 'display').map((x) => (x as { text: string }).text);

describe('НКМ block', () => {
  it('6.8: a memory number that differs from the case label refuses STEP 1 with «Ошибка номера тахографа»', async () => {
    for (const label of ['0042000123', '0042000124']) {
      const { b, o } = setUp({ tachograph: { labelNumber1: label } });
      const created = await b.arm.createRequest({ cardNumber: wendy.cardNumber, nkmFactoryNo: o.nkm.factoryNo, tachographNo2: o.tachograph.number2, vehicle: VEHICLE, owner: { name: 'ООО', inn: '7701234567' } });
      if (!created.ok) throw new Error(created.error);
      await b.atWorkstation('w', (c) => ({ carrier: b.arm.writeRequestToCard(c, created.value), value: undefined }));
      b.insert('t', 'w');
      b.send('t', { type: 'pin.enter', pin: '1234' });
      b.send('t', { type: 'prompt.answer', yes: true });
      expect(texts(b.entries('t')).at(-1)).toBe(label === '0042000123' ? DISPLAY.preparing : TACHO_ERROR.tachographNumber);
      b.close();
    }
  });

  it('a wrong PIN asks again and counts down on the card; the right one goes on to «Использовать СКЗИ»', () => {
    const { b } = setUp();
    b.insert('t', 'w');
    b.send('t', { type: 'pin.enter', pin: '4321' });
    expect(b.entries('t').filter((e) => e.type === 'refused')).toMatchObject([{ event: 'pin.enter', reason: 'wrong PIN, 2 tries left' }]);
    expect(texts(b.entries('t'))).toEqual([DISPLAY.step1]);
    b.send('t', { type: 'pin.enter', pin: '1234' });
    expect(texts(b.entries('t'))).toEqual([DISPLAY.step1, PROMPT.useSkzi]);
    b.send('t', { type: 'card.withdraw' });
    expect(b.card('w').memory.pinTriesLeft).toBe(3);
  });

  it('the service link: VIN and plate are written only with no card inserted (5.5); the numbers are read; bad data refused', () => {
    const { b } = setUp();
    const status = (s: number) => [encodeServiceFrame(0x90, Uint8Array.of(s))];
    b.insert('t', 'w');
    expect(b.serviceLink('t', encodeWriteVehicle(VEHICLE.vin, VEHICLE.vrn))).toEqual(status(0x01));
    expect(b.snapshot('t').context.serviceVehicle).toBeNull();
    b.send('t', { type: 'card.withdraw' });
    expect(b.serviceLink('t', encodeServiceFrame(0x10, new TextEncoder().encode('XTA2109')))).toEqual(status(0x02));
    expect(b.serviceLink('t', encodeServiceFrame(0x42))).toEqual([encodeServiceFrame(0xff, Uint8Array.of(0x03))]);
    // a frame in two chunks
    const frame = encodeWriteVehicle(VEHICLE.vin, VEHICLE.vrn);
    expect(b.serviceLink('t', frame.subarray(0, 7))).toEqual([]);
    expect(b.serviceLink('t', frame.subarray(7))).toEqual(status(0x00));
    expect(b.snapshot('t').context.serviceVehicle).toEqual({ vin: VEHICLE.vin, vrn: VEHICLE.vrn });
    expect(b.serviceLink('t', encodeServiceFrame(0x01))).toEqual([encodeServiceFrame(0x81, new TextEncoder().encode('0042000123;SM1420000123;20E3S00012345678;НКМ-2.11'))]);
    // a damaged frame (its checksum flipped) is answered 0xFF 04 and changes nothing
    const damaged = encodeWriteVehicle('XTA210990Y2760000', 'В456КМ99');
    damaged[damaged.length - 1]! ^= 0xff;
    expect(b.serviceLink('t', damaged)).toEqual([encodeServiceFrame(0xff, Uint8Array.of(0x04))]);
    expect(b.snapshot('t').context.serviceVehicle).toEqual({ vin: VEHICLE.vin, vrn: VEHICLE.vrn });
    // every refusal is on the tachograph's log with its reason, in order; the taken frames are not
    expect(b.snapshot('t').context.log.filter((e) => e.kind === 'refused' && e.fields.event === 'port.rx').map((e) => e.fields.reason)).toEqual([
      'service link: a card is inserted (5.5: VIN and plate are written with no card)',
      'service link: malformed data (a VIN of 17 characters, a plate of 1 to 12)',
      'service link: unknown command',
      'service link: bad checksum',
    ]);
  });

  it('a firmware update at ШАГ1 is taken; during the activation (ШАГ2) it ruins the block: «Нарушение целостности»', async () => {
    const { b, o } = setUp();
    b.send('t', { type: 'firmware.update', main: 1400, extra: 320 });
    expect(b.snapshot('t').context).toMatchObject({ firmware: { main: 1400, extra: 320 }, integrityViolated: false });
    const created = await b.arm.createRequest({ cardNumber: wendy.cardNumber, nkmFactoryNo: o.nkm.factoryNo, tachographNo2: o.tachograph.number2, vehicle: VEHICLE, owner: { name: 'ООО', inn: '7701234567' } });
    if (!created.ok) throw new Error(created.error);
    await b.atWorkstation('w', (c) => ({ carrier: b.arm.writeRequestToCard(c, created.value), value: undefined }));
    b.insert('t', 'w');
    b.send('t', { type: 'pin.enter', pin: '1234' });
    b.send('t', { type: 'prompt.answer', yes: true });
    b.advance(o.timing.preparingMs + o.timing.restartMs);
    expect(b.snapshot('t').context.phase).toBe('step2');
    b.send('t', { type: 'firmware.update', main: 1401, extra: 320 });
    expect(texts(b.entries('t')).at(-1)).toBe(TACHO_ERROR.integrity);
    expect(b.snapshot('t').context.integrityViolated).toBe(true);
  });

  it('menus: «Сброс на ШАГ1» before the load while allowed; «Регистрация авто в НКМ» on an activated 2.11 only', () => {
    const o211 = nkmTachographOptions.parse({});
    const o210 = nkmTachographOptions.parse({ nkm: { model: 'НКМ-2.10', factoryNo: '19A3A00012345678', regNo: '19A 799A 012345678' } });
    expect(menuItems({ phase: 'step2', resetToStep1Allowed: true, options: o211 })).toEqual([MENU.resetToStep1, MENU.internalTests]);
    expect(menuItems({ phase: 'step2', resetToStep1Allowed: false, options: o211 })).toEqual([MENU.internalTests]);
    expect(menuItems({ phase: 'vehicle', resetToStep1Allowed: true, options: o211 })).toEqual([MENU.internalTests]);
    expect(menuItems({ phase: 'activated', resetToStep1Allowed: false, options: o211 })).toEqual([MENU.registerVehicle, MENU.internalTests]);
    expect(menuItems({ phase: 'activated', resetToStep1Allowed: false, options: o210 })).toEqual([MENU.internalTests]);
  });
});
