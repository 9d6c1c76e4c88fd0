import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { workshopCardSchema } from '../cards/card-schema.ts';
import { ActivationBench, registryFor, type BenchEntry } from './activation-bench.ts';
import { nkmTachographOptions, type NkmTachographOptions } from './options.ts';
import { DISPLAY, MENU, PROCESSING_ERROR, PROMPT, TACHO_ERROR, ARM_MESSAGE, ARM_SECTION, PRINTOUT } from './texts.ts';
import type { RequestView } from './data-centre/api.ts';
import { encodeServiceFrame, encodeWriteVehicle } from '../../protocols/skzi-service-link/service-link.ts';

/**
 * The activation scenarios of the digest's §4.4 on the activation bench (tachograph with its НКМ block, the
 * workshop card moving between it and the АРМА, the data centre and registry served by msw). Each checks what
 * the tachograph displayed, what the card holds and what the registry shows, and that nothing else happened
 * (no refusal, no other screen, no other ejection).
 */
const START = Date.parse('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;
const VEHICLE = { vin: 'XTA210990Y2765432', vrn: 'А123ВС77', pts: '77УХ123456' };
const OWNER = { name: 'ООО «Перевозчик»', inn: '7701234567' };
const ivan = workshopCardSchema.parse({
  type: 'workshop',
  issuingMemberState: 'RUS',
  cardNumber: 'RUS0000007770001',
  workshopName: 'Masterskaya',
  address: 'Moskva',
  holder: { surname: 'IVANOV', firstNames: 'Ivan' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
  pin: '1234',
});

let bench: ActivationBench | undefined;
afterEach(() => bench?.close());

function setUp(options: z.input<typeof nkmTachographOptions> = {}, registryEdit?: (r: ReturnType<typeof registryFor>) => void) {
  const parsed = nkmTachographOptions.parse(options);
  const registry = registryFor(parsed, VEHICLE, { cardNumber: ivan.cardNumber, expiry: ivan.validity.expiry });
  registryEdit?.(registry);
  const b = new ActivationBench({ start: START, registry });
  b.addTachograph('tacho', options);
  b.addCard('ivan', ivan);
  bench = b;
  return { b, o: parsed };
}

const displays = (entries: BenchEntry[]) => entries.filter((e) => e.type === 'display').map((e) => (e as { text: string }).text);
const count = (entries: BenchEntry[], type: BenchEntry['type']) => entries.filter((e) => e.type === type).length;
const refusals = (entries: BenchEntry[]) => entries.filter((e) => e.type === 'refused');

async function createAndWriteRequest(b: ActivationBench, o: NkmTachographOptions, vehicle = VEHICLE): Promise<RequestView> {
  const created = await b.arm.createRequest({ cardNumber: ivan.cardNumber, nkmFactoryNo: o.nkm.factoryNo, tachographNo2: o.tachograph.number2, vehicle, owner: OWNER });
  if (!created.ok) throw new Error(created.error);
  await b.atWorkstation('ivan', (c) => ({ carrier: b.arm.writeRequestToCard(c, created.value), value: undefined }));
  return created.value;
}

/** STEP 1 or 2 at the tachograph: card, PIN, «Да» to each question asked. */
function cardPinYes(b: ActivationBench, answers: number) {
  b.insert('tacho', 'ivan');
  b.send('tacho', { type: 'pin.enter', pin: '1234' });
  for (let i = 0; i < answers; i++) b.send('tacho', { type: 'prompt.answer', yes: true });
}

function step1(b: ActivationBench, o: NkmTachographOptions) {
  cardPinYes(b, 1);
  b.advance(o.timing.preparingMs + o.timing.restartMs);
}

async function sendAndIssue(b: ActivationBench): Promise<RequestView> {
  const sent = await b.atWorkstation('ivan', async (c) => {
    const r = await b.arm.sendSigned(c);
    return { carrier: r.carrier, value: r.result };
  });
  if (!sent.ok) throw new Error(sent.error);
  b.advance(HOUR);
  const view = await b.arm.request(sent.value.request.requestId);
  if (!view.ok) throw new Error(view.error);
  return view.value;
}

async function step2(b: ActivationBench, o: NkmTachographOptions, requestId: string) {
  await b.atWorkstation('ivan', async (c) => {
    const r = await b.arm.writeCertificateToCard(c, requestId);
    if (!r.result.ok) throw new Error(r.result.error);
    return { carrier: r.carrier, value: undefined };
  });
  cardPinYes(b, 2);
  b.advance(o.timing.loadingMs + o.timing.restartMs);
}

function step3(b: ActivationBench, o: NkmTachographOptions, vehicle = VEHICLE) {
  // 5.5 item 1: ТахоМастер writes VIN and plate over the service link, no card inserted
  expect(b.serviceLink('tacho', encodeWriteVehicle(vehicle.vin, vehicle.vrn))).toEqual([encodeServiceFrame(0x90, Uint8Array.of(0x00))]);
  b.insert('tacho', 'ivan');
  b.send('tacho', { type: 'pin.enter', pin: '1234' });
  b.advance(o.timing.activatingMs + o.timing.restartMs);
}

describe('СКЗИ activation scenarios (digest §4.4)', () => {
  it('1. happy path: the exact screens, three ejections and restarts, the card emptied, the registry linked', async () => {
    const { b, o } = setUp();
    const request = await createAndWriteRequest(b, o);
    step1(b, o);
    // the block signed the request on the card (5.3): the unsigned request is replaced
    expect(b.card('ivan').skzi.request).toBeUndefined();
    expect(b.card('ivan').skzi.signedRequest?.nkm.factoryNo).toBe('20E3S00012345678');
    const issued = await sendAndIssue(b);
    expect(issued).toMatchObject({ status: 'awaiting-receipt', section: ARM_SECTION.awaitingReceipt, certificateSerial: 'C-000001' });
    // the default rig's cards are this flow's: ivan's request is the one created here, issued's certificate the one issued
    const rigCards = (parse(readFileSync('rigs/loopback.yaml', 'utf8')) as { devices: { skzi: { options: { cards: Record<string, { skzi: unknown }> } } } }).devices.skzi.options.cards;
    expect(rigCards.ivan!.skzi).toEqual({ request: request.request });
    const certificate = await b.arm.writeCertificateToCard(b.card('ivan'), request.request.requestId);
    expect(rigCards.issued!.skzi).toEqual({ certificate: certificate.result.ok && certificate.result.value });
    await step2(b, o, request.request.requestId);
    step3(b, o);

    const log = b.entries('tacho');
    expect(displays(log)).toEqual([
      DISPLAY.step1,
      PROMPT.useSkzi,
      DISPLAY.preparing,
      DISPLAY.step2,
      PROMPT.useSkzi,
      PROMPT.loadCertificate,
      DISPLAY.loading,
      DISPLAY.activateVehicle,
      'НКМ 20E3S00012345678',
    ]);
    expect(count(log, 'ejected')).toBe(3);
    expect(count(log, 'restarted')).toBe(3);
    expect(count(log, 'withdrawn')).toBe(0);
    expect(refusals(log)).toEqual([]);
    // each ejection is followed by its restart, restartMs later
    const ejections = log.filter((e) => e.type === 'ejected').map((e) => e.at);
    const restarts = log.filter((e) => e.type === 'restarted').map((e) => e.at);
    expect(restarts.map((t, i) => t - ejections[i]!)).toEqual([o.timing.restartMs, o.timing.restartMs, o.timing.restartMs]);
    // the card carried everything and holds nothing of the activation now; its PIN counter is full
    expect(b.card('ivan').skzi).toEqual({});
    expect(b.card('ivan').memory.pinTriesLeft).toBe(3);
    const snap = b.snapshot('tacho');
    expect(snap.context.phase).toBe('activated');
    expect(snap.context.vehicle).toEqual({ vin: VEHICLE.vin, vrn: VEHICLE.vrn });
    expect(snap.context.resetToStep1Allowed).toBe(false);
    // the registry shows vehicle ↔ tachograph ↔ block
    expect(b.dataCentre.registry.vehicles[VEHICLE.vin]?.linkedTachograph).toBe(o.tachograph.number2);
    expect(b.dataCentre.registry.tachographs[o.tachograph.number2]?.linkedNkm).toBe(o.nkm.factoryNo);
    expect(b.dataCentre.registry.nkm[o.nkm.factoryNo]).toMatchObject({ status: 'active', linkedTachograph: o.tachograph.number2 });
    const closed = await b.arm.uploadReceipt(request.request.requestId);
    expect(closed.ok && closed.value.status).toBe('closed');
  });

  it('2. outdated firmware: STEP 1 refused with the 6.6 text, the block stays at ШАГ1; after the update it succeeds', async () => {
    const { b, o } = setUp({ tachograph: { model: 'SM10042.00.00-13', firmware: { main: 1175, extra: 314 } } });
    await createAndWriteRequest(b, o);
    cardPinYes(b, 1);
    b.advance(o.timing.preparingMs + o.timing.restartMs);
    expect(displays(b.entries('tacho'))).toEqual([DISPLAY.step1, PROMPT.useSkzi, TACHO_ERROR.invalidState]);
    expect(b.snapshot('tacho').context.phase).toBe('step1');
    b.send('tacho', { type: 'card.withdraw' });
    // the request is still on the card, unsigned
    expect(b.card('ivan').skzi.request).toBeDefined();
    expect(b.card('ivan').skzi.signedRequest).toBeUndefined();
    const mark = b.log.length;
    b.send('tacho', { type: 'firmware.update', main: 1176, extra: 314 });
    step1(b, o);
    expect(displays(b.entries('tacho', mark))).toEqual([PROMPT.useSkzi, DISPLAY.preparing, DISPLAY.step2]);
    expect(count(b.entries('tacho'), 'ejected')).toBe(1);
    expect(refusals(b.entries('tacho'))).toEqual([]);
  });

  it('2b. outdated firmware with the 6.9 choice shows «Неверные вх.данные НКМ!»', async () => {
    const { b, o } = setUp({ outdatedFirmwareError: 'badInput', tachograph: { model: 'SM100.42.00.00.15', firmware: { main: 1373, extra: 0 } } });
    await createAndWriteRequest(b, o);
    cardPinYes(b, 1);
    expect(displays(b.entries('tacho')).at(-1)).toBe(TACHO_ERROR.badInput);
    expect(b.snapshot('tacho').context.phase).toBe('step1');
  });

  it('3. a card without a request at STEP 1: «Неверное состояние НКМ», no state change, no ejection', () => {
    const { b, o } = setUp();
    cardPinYes(b, 1);
    b.advance(o.timing.preparingMs + o.timing.restartMs);
    expect(displays(b.entries('tacho'))).toEqual([DISPLAY.step1, PROMPT.useSkzi, TACHO_ERROR.invalidState]);
    expect(b.snapshot('tacho').context.phase).toBe('step1');
    expect(count(b.entries('tacho'), 'ejected')).toBe(0);
    expect(b.card('ivan').skzi).toEqual({});
  });

  it('4. another block\'s certificate at STEP 2: «Рассинхронизация элементов НКМ», stays ШАГ2, certificate kept on the card', async () => {
    // a second tachograph with its own block, activated up to STEP 2 with the same card: its certificate is the "other" one
    const other = nkmTachographOptions.parse({ nkm: { factoryNo: '20E3S00012340000', regNo: '20E 799B 012340000' }, tachograph: { number1: '0042000999', number2: 'SM1420000999' } });
    const { b, o } = setUp({}, (r) => {
      const more = registryFor(other, { vin: 'XTA210990Y2760000', vrn: 'В456КМ99', pts: '99УХ000001' }, { cardNumber: ivan.cardNumber, expiry: ivan.validity.expiry });
      Object.assign(r.tachographs, more.tachographs);
      Object.assign(r.nkm, more.nkm);
      Object.assign(r.vehicles, more.vehicles);
    });
    await createAndWriteRequest(b, o);
    step1(b, o);
    await sendAndIssue(b);
    // the АРМА writes a certificate, but the other block's: issue one for `other` by the same flow on the data centre
    b.addTachograph('other', { nkm: other.nkm, tachograph: other.tachograph });
    const created = await b.arm.createRequest({ cardNumber: ivan.cardNumber, nkmFactoryNo: other.nkm.factoryNo, tachographNo2: other.tachograph.number2, vehicle: { vin: 'XTA210990Y2760000', vrn: 'В456КМ99', pts: '99УХ000001' }, owner: OWNER });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    await b.atWorkstation('ivan', (c) => ({ carrier: b.arm.writeRequestToCard(c, created.value), value: undefined }));
    b.insert('other', 'ivan');
    b.send('other', { type: 'pin.enter', pin: '1234' });
    b.send('other', { type: 'prompt.answer', yes: true });
    b.advance(o.timing.preparingMs + o.timing.restartMs);
    await sendAndIssue(b);
    await b.atWorkstation('ivan', async (c) => {
      const r = await b.arm.writeCertificateToCard(c, created.value.request.requestId);
      return { carrier: r.carrier, value: undefined };
    });
    const mark = b.log.length;
    cardPinYes(b, 2);
    b.advance(o.timing.loadingMs + o.timing.restartMs);
    expect(displays(b.entries('tacho', mark))).toEqual([PROMPT.useSkzi, PROMPT.loadCertificate, DISPLAY.loading, TACHO_ERROR.desync]);
    expect(b.snapshot('tacho').context.phase).toBe('step2');
    b.send('tacho', { type: 'card.withdraw' });
    expect(b.card('ivan').skzi.certificate?.nkmFactoryNo).toBe(other.nkm.factoryNo);
    expect(count(b.entries('tacho', mark), 'ejected')).toBe(0);
    expect(refusals(b.entries('tacho'))).toEqual([]);
  });

  it('5. a transient СКЗИ failure: «Рассинхронизация элементов НКМ», then after a power cycle STEP 1 succeeds', async () => {
    const { b, o } = setUp();
    await createAndWriteRequest(b, o);
    b.send('tacho', { type: 'nkm.module-fault' });
    cardPinYes(b, 1);
    expect(displays(b.entries('tacho')).at(-1)).toBe(TACHO_ERROR.desync);
    b.send('tacho', { type: 'card.withdraw' });
    b.send('tacho', { type: 'power.cycle' });
    const mark = b.log.length;
    step1(b, o);
    expect(displays(b.entries('tacho', mark))).toEqual([PROMPT.useSkzi, DISPLAY.preparing, DISPLAY.step2]);
    expect(b.snapshot('tacho').context.phase).toBe('step2');
  });

  it('6. reset rule: «Сброс на ШАГ1» works in ШАГ2 before a load; after a «Да» to «Загрузить сертификат» it is gone, also after a firmware update', async () => {
    const { b, o } = setUp();
    await createAndWriteRequest(b, o);
    step1(b, o);
    // 6.25: the АРМ cannot read a signed request (here: none on the card) → reset to ШАГ1
    const unreadable = await b.atWorkstation('ivan', async (c) => {
      const { signedRequest: _lost, ...rest } = c.skzi;
      const r = await b.arm.sendSigned({ ...c, skzi: rest });
      return { carrier: c, value: r.result };
    });
    expect(unreadable).toEqual({ ok: false, status: 0, error: ARM_MESSAGE.notSigned });
    b.insert('tacho', 'ivan');
    b.send('tacho', { type: 'pin.enter', pin: '1234' });
    b.send('tacho', { type: 'prompt.answer', yes: false });
    b.send('tacho', { type: 'menu.select', item: MENU.resetToStep1 });
    expect(b.snapshot('tacho').context.phase).toBe('step1');
    expect(displays(b.entries('tacho')).at(-1)).toBe(DISPLAY.step1);
    b.send('tacho', { type: 'card.withdraw' });
    // positive control done; now the latch: at ШАГ1 a card holding a certificate (6.36's example) gets «Загрузить сертификат»
    const sent = await sendAndIssue(b); // the signed request still on the card goes to the ЦОД and is issued
    await b.atWorkstation('ivan', async (c) => {
      const r = await b.arm.writeCertificateToCard(c, sent.request.requestId);
      return { carrier: r.carrier, value: undefined };
    });
    const mark = b.log.length;
    cardPinYes(b, 2);
    b.advance(o.timing.loadingMs);
    // the block was reset: the certificate answers a request it no longer knows
    expect(displays(b.entries('tacho', mark))).toEqual([PROMPT.useSkzi, PROMPT.loadCertificate, DISPLAY.loading, TACHO_ERROR.invalidState]);
    expect(b.snapshot('tacho').context.resetToStep1Allowed).toBe(false);
    b.send('tacho', { type: 'card.withdraw' });
    b.send('tacho', { type: 'firmware.update', main: 1400, extra: 320 });
    b.insert('tacho', 'ivan');
    b.send('tacho', { type: 'pin.enter', pin: '1234' });
    b.send('tacho', { type: 'prompt.answer', yes: false });
    const before = b.log.length;
    b.send('tacho', { type: 'menu.select', item: MENU.resetToStep1 });
    const refused = refusals(b.entries('tacho', before));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ event: 'menu.select', reason: `«${MENU.resetToStep1}» is not in the menu (${MENU.internalTests})` });
  });

  it('8. re-registration: НКМ-2.11 offers «Регистрация авто в НКМ» and rebinds the vehicle; НКМ-2.10 does not offer it', async () => {
    for (const model of ['НКМ-2.11', 'НКМ-2.10'] as const) {
      const nkm = model === 'НКМ-2.11' ? { model, factoryNo: '20E3S00012345678', regNo: '20E 799B 012345678' } : { model, factoryNo: '19A3A00012345678', regNo: '19A 799A 012345678' };
      const { b, o } = setUp({ nkm });
      const request = await createAndWriteRequest(b, o);
      step1(b, o);
      await sendAndIssue(b);
      await step2(b, o, request.request.requestId);
      step3(b, o);
      expect(b.snapshot('tacho').context.phase).toBe('activated');
      const newVehicle = { vin: VEHICLE.vin, vrn: 'Е777ОР77' };
      b.send('tacho', { type: 'service.write', ...newVehicle });
      b.insert('tacho', 'ivan');
      b.send('tacho', { type: 'pin.enter', pin: '1234' });
      const mark = b.log.length;
      b.send('tacho', { type: 'menu.select', item: MENU.registerVehicle });
      b.advance(o.timing.registeringMs);
      if (model === 'НКМ-2.11') {
        expect(refusals(b.entries('tacho', mark))).toEqual([]);
        expect(b.snapshot('tacho').context.vehicle).toEqual(newVehicle);
      } else {
        expect(refusals(b.entries('tacho', mark))).toMatchObject([{ event: 'menu.select', reason: `«${MENU.registerVehicle}» is not in the menu (${MENU.internalTests})` }]);
        expect(b.snapshot('tacho').context.vehicle).toEqual({ vin: VEHICLE.vin, vrn: VEHICLE.vrn });
      }
      b.close();
    }
  });

  it('9. server-side errors: a Latin plate and a tachograph missing from the registry get their exact texts; fixed and resent, a certificate', async () => {
    const latin = { ...VEHICLE, vrn: 'A123BC77' }; // Latin look-alikes
    const { b, o } = setUp({}, (r) => {
      delete r.tachographs['SM1420000123'];
    });
    const request = await createAndWriteRequest(b, o, latin);
    step1(b, o);
    const first = await sendAndIssue(b);
    expect(first).toMatchObject({ status: 'error', section: ARM_SECTION.errors, error: PROCESSING_ERROR.tachographNotListed });
    // the manufacturer files the tachograph (6.13); «Обработать ошибку», resend
    const filed = await b.arm.putRegistry('tachographs', o.tachograph.number2, { no2: o.tachograph.number2, linkedNkm: o.nkm.factoryNo, blocked: false });
    expect(filed.ok).toBe(true);
    expect((await b.arm.handleError(request.request.requestId)).ok).toBe(true);
    b.advance(HOUR);
    const second = await b.arm.request(request.request.requestId);
    expect(second.ok && second.value).toMatchObject({ status: 'error', error: PROCESSING_ERROR.plateMissingOrIncorrect });
    // the plate corrected to Cyrillic while handling the error (6.39)
    expect((await b.arm.handleError(request.request.requestId, VEHICLE)).ok).toBe(true);
    b.advance(HOUR);
    const third = await b.arm.request(request.request.requestId);
    expect(third.ok && third.value).toMatchObject({ status: 'awaiting-receipt', vehicle: VEHICLE });
    await step2(b, o, request.request.requestId);
    expect(b.snapshot('tacho').context.certificate?.vehicle).toEqual(VEHICLE);
  });

  it('10. revocation: the links go, a second revocation gets the 6.22 text, the revoked block is not activated again', async () => {
    const { b, o } = setUp();
    const request = await createAndWriteRequest(b, o);
    step1(b, o);
    await sendAndIssue(b);
    // 6.43 while the receipt is awaited
    expect(await b.arm.revoke(o.nkm.factoryNo)).toEqual({ ok: false, status: 409, error: ARM_MESSAGE.revocationAwaitingReceipt });
    await step2(b, o, request.request.requestId);
    step3(b, o);
    await b.arm.uploadReceipt(request.request.requestId);
    const revoked = await b.arm.revoke(o.nkm.factoryNo);
    expect(revoked).toEqual({ ok: true, status: 200, value: { revocationNo: '0000001', nkmFactoryNo: o.nkm.factoryNo } });
    expect(b.dataCentre.registry.vehicles[VEHICLE.vin]?.linkedTachograph).toBeNull();
    expect(b.dataCentre.registry.tachographs[o.tachograph.number2]?.linkedNkm).toBeNull();
    expect(b.dataCentre.registry.nkm[o.nkm.factoryNo]).toMatchObject({ status: 'revoked', linkedTachograph: null });
    expect((await b.arm.request(request.request.requestId)).ok && (await b.arm.request(request.request.requestId))).toMatchObject({ value: { status: 'revoked' } });
    expect(await b.arm.revoke(o.nkm.factoryNo)).toEqual({ ok: false, status: 404, error: ARM_MESSAGE.notInDatabase });
    // the source has no on-device revocation: the block stays activated and never asks «Использовать СКЗИ» again (one-time, 1.4 B)
    const again = await createAndWriteRequest(b, o);
    const mark = b.log.length;
    b.insert('tacho', 'ivan');
    b.send('tacho', { type: 'pin.enter', pin: '1234' });
    b.send('tacho', { type: 'prompt.answer', yes: true });
    expect(displays(b.entries('tacho', mark))).toEqual(['НКМ 20E3S00012345678']);
    expect(refusals(b.entries('tacho', mark))).toMatchObject([{ event: 'prompt.answer', reason: 'no question is asked' }]);
    b.send('tacho', { type: 'card.withdraw' });
    // so the АРМА finds nothing signed on the card (6.25), and the ЦОД would refuse the revoked block anyway (6.20)
    const sent = await b.atWorkstation('ivan', async (c) => {
      const r = await b.arm.sendSigned(c);
      return { carrier: r.carrier, value: r.result };
    });
    expect(sent).toEqual({ ok: false, status: 0, error: ARM_MESSAGE.notSigned });
    expect(b.card('ivan').skzi.request?.requestId).toBe(again.request.requestId);
    expect(b.snapshot('tacho').context.phase).toBe('activated');
  });

  it('a supply cut during «Загрузка...» (the rig\'s choice): the certificate stays on the card, the block at ШАГ2 without its reset; a second load succeeds', async () => {
    const { b, o } = setUp();
    const request = await createAndWriteRequest(b, o);
    step1(b, o);
    await sendAndIssue(b);
    await b.atWorkstation('ivan', async (c) => {
      const r = await b.arm.writeCertificateToCard(c, request.request.requestId);
      return { carrier: r.carrier, value: undefined };
    });
    cardPinYes(b, 2);
    b.advance(o.timing.loadingMs - 1);
    b.send('tacho', { type: 'power.loss' });
    b.advance(60_000);
    expect(b.snapshot('tacho').context).toMatchObject({ phase: 'step2', resetToStep1Allowed: false, certificate: null });
    b.send('tacho', { type: 'power.restore' });
    // the card is still in the slot: its PIN again, then the questions again
    const mark = b.log.length;
    b.send('tacho', { type: 'pin.enter', pin: '1234' });
    b.send('tacho', { type: 'prompt.answer', yes: true });
    b.send('tacho', { type: 'prompt.answer', yes: true });
    b.advance(o.timing.loadingMs + o.timing.restartMs);
    expect(displays(b.entries('tacho', mark))).toEqual([PROMPT.useSkzi, PROMPT.loadCertificate, DISPLAY.loading, DISPLAY.activateVehicle]);
    expect(b.snapshot('tacho').context.phase).toBe('vehicle');
    expect(b.card('ivan').skzi.certificate).toBeUndefined();
  });

  it('printouts end with the block\'s number (6.41, 6.47); «Тест НКМ» shows the software version (6.38)', () => {
    const { b } = setUp();
    b.send('tacho', { type: 'print', name: PRINTOUT.technicalData });
    b.send('tacho', { type: 'print', name: PRINTOUT.nkmTest });
    const printouts = b.entries('tacho').filter((e) => e.type === 'printout');
    expect(printouts.map((p) => (p as { lines: string[] }).lines)).toEqual([
      ['Технические данные', 'SM100.42.00.00.14', 'Полный номер тахографа', 'Номер 1: 0042000123', 'Номер 2: SM1420000123', 'ПО: v.1374 / v.314', 'НКМ 20E3S00012345678'],
      ['Тест НКМ', 'НКМ-2.11', 'Версия ПО: 2.11', 'Рег. номер: 20E 799B 012345678', 'НКМ 20E3S00012345678'],
    ]);
  });
});
