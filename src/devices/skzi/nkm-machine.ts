import { and, assign, enqueueActions, setup } from 'xstate';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import type { EcKeyPair } from '../../crypto/pki/ec-keys.ts';
import { CMD, decodeWriteVehicle, encodeServiceFrame, STATUS, STATUS_TEXT, takeServiceFrames } from '../../protocols/skzi-service-link/service-link.ts';
import { createRng } from '../../crypto/random.ts';
import { newCarrier, verifyCarrierPin, type WorkshopCarrier } from './card-slot.ts';
import { firmwareMeetsGate, type FirmwareVersions } from './firmware.ts';
import { NKM_MODEL_TABLE } from './models.ts';
import { dataCentreKeyOf, type NkmTachographOptions } from './options.ts';
import { certificateSignatureValid, nkmTestKey, signRequest } from './signing.ts';
import type { SkziCertificate } from './schemas.ts';
import { DISPLAY, MENU, PRINTOUT, PROMPT, TACHO_ERROR, type MenuItem, type PrintoutName, type TachoError } from './texts.ts';
import { handOver, takeOver, type RigExchange } from './rig-exchange.ts';

/**
 * The НКМ block of a ШТРИХ-ТахоRUS through its three activation steps (seed 5.3–5.5), as an XState v5 machine.
 *
 * `phase` is the block's non-volatile state, the status window's text: step1 («…Выполните ШАГ1»), step2
 * («…Выполните ШАГ2»), vehicle («…Активируйте машину в блоке СКЗИ»), activated. The machine's states are the
 * tachograph's screens around it: idle (the status window), the workshop card's PIN, the prompts «Использовать
 * СКЗИ» and «Загрузить сертификат», the transient «Подготовка...» / «Загрузка...», an error screen, the
 * workshop menu, the restart after every step (each step ends with the card ejected, 5.3, 5.4, 5.5).
 *
 * It emits what a person sees: `nkm.display` (the status or screen text), `nkm.card-ejected` (with the card's
 * content as it leaves), `nkm.restarted`, `nkm.printout`, and `nkm.refused` for what the device does not take
 * (a menu item it does not offer, a card while one is inserted).
 */
export type NkmPhase = 'step1' | 'step2' | 'vehicle' | 'activated';

export interface NkmContext {
  options: NkmTachographOptions;
  key: EcKeyPair;
  dataCentreKey: string;
  phase: NkmPhase;
  /** 5.4 / 6.36: latches false once «Загрузить сертификат» is answered «Да»; nothing brings it back. */
  resetToStep1Allowed: boolean;
  signedRequestId: string | null;
  certificate: SkziCertificate | null;
  /** The vehicle bound in the block at STEP 3 (or re-registered, 5.7). */
  vehicle: { vin: string; vrn: string } | null;
  /** VIN and plate written into the tachograph over the service link (5.5 item 1). */
  serviceVehicle: { vin: string; vrn: string } | null;
  firmware: FirmwareVersions;
  /** 6.26 note «Нарушение целостности»: the rig's choice for a firmware update during activation (chapter 4). */
  integrityViolated: boolean;
  /** 6.7 «Сбой модуля СКЗИ»: until the supply is cycled. */
  moduleFault: boolean;
  carrier: WorkshopCarrier | null;
  /** The name (options.cards) of the card in the slot, when it was inserted by name. */
  insertedName: string | null;
  /** The named cards while out of the slot, as the last step left them. */
  cards: Record<string, WorkshopCarrier>;
  /** Bytes of an incomplete service-link frame (hex), until the rest arrives. */
  serviceRx: string;
  /** The inserted card's PIN was verified since it went in (or since the power came back). */
  pinOk: boolean;
  error: TachoError | null;
  powered: boolean;
  /** What the tachograph showed, printed, ejected, refused (NkmLogEntry), in order. */
  log: NkmLogEntry[];
}

export type NkmEvent =
  | { type: 'card.insert'; carrier: WorkshopCarrier }
  | { type: 'card.insert-named'; name: string }
  | { type: 'card.withdraw' }
  /** A person takes a named card (out of the slot) to another device of the rig (rig-exchange.ts). */
  | { type: 'card.give'; name: string; to: string }
  /** A named card handed over by another device of the rig arrives here. */
  | { type: 'card.receive'; name: string }
  | { type: 'pin.enter'; pin: string }
  | { type: 'prompt.answer'; yes: boolean }
  | { type: 'menu.select'; item: MenuItem }
  | { type: 'service.write'; vin: string; vrn: string }
  | { type: 'firmware.update'; main: number; extra: number }
  | { type: 'print'; name: PrintoutName }
  | { type: 'nkm.module-fault' }
  | { type: 'power.loss' }
  | { type: 'power.restore' }
  | { type: 'power.cycle' }
  /** Bytes on the service link (ТахоМастер or a programmer, protocols/skzi-service-link). */
  | { type: 'port.rx'; port: string; bytes: Uint8Array };

export type NkmEmitted =
  | { type: 'nkm.display'; text: string }
  | { type: 'nkm.card-ejected'; carrier: WorkshopCarrier }
  | { type: 'nkm.card-withdrawn'; carrier: WorkshopCarrier }
  | { type: 'nkm.restarted' }
  | { type: 'nkm.printout'; name: PrintoutName; lines: string[] }
  | { type: 'nkm.refused'; event: string; reason: string }
  | { type: 'port.tx'; port: string; bytes: Uint8Array }
  | { type: 'port.refused'; port: string; code: string; detail: string }
  /** The card handed over: the receiving device takes it (the rig applies it as that device's stimulus). */
  | { type: 'device.stimulus'; device: string; name: 'receiveCard'; args: { card: string } };

/** The status window's message for a phase; an activated block shows no warning, only its header line «НКМ <number>» (5.3). */
export function statusText(context: Pick<NkmContext, 'phase' | 'integrityViolated' | 'options'>): string {
  if (context.integrityViolated) return TACHO_ERROR.integrity;
  switch (context.phase) {
    case 'step1':
      return DISPLAY.step1;
    case 'step2':
      return DISPLAY.step2;
    case 'vehicle':
      return DISPLAY.activateVehicle;
    case 'activated':
      return DISPLAY.header(context.options.nkm.factoryNo);
  }
}

/**
 * The items of «Настройки» the block offers now. «Сброс на ШАГ1» only before the certificate is loaded and only
 * while no «Да» to «Загрузить сертификат» was given (6.35, 6.36); «Регистрация авто в НКМ» only on an activated
 * НКМ-2.11 or newer (5.7); «Внутренние тесты» always (6.13).
 */
export function menuItems(context: Pick<NkmContext, 'phase' | 'resetToStep1Allowed' | 'options'>): MenuItem[] {
  const items: MenuItem[] = [];
  if (context.resetToStep1Allowed && (context.phase === 'step1' || context.phase === 'step2')) items.push(MENU.resetToStep1);
  if (context.phase === 'activated' && NKM_MODEL_TABLE[context.options.nkm.model].reRegistration) items.push(MENU.registerVehicle);
  items.push(MENU.internalTests);
  return items;
}

/** The printouts' lines; every printout ends with the block's number (6.41, 6.47). */
export function printoutLines(context: NkmContext, name: PrintoutName): string[] {
  const { nkm, tachograph } = context.options;
  const body =
    name === PRINTOUT.technicalData
      ? [PRINTOUT.technicalData, tachograph.model, PRINTOUT.fullTachographNumber, `${PRINTOUT.number1}: ${tachograph.number1}`, `${PRINTOUT.number2}: ${tachograph.number2}`, `ПО: v.${context.firmware.main} / v.${context.firmware.extra}`]
      : [PRINTOUT.nkmTest, nkm.model, `Версия ПО: ${NKM_MODEL_TABLE[nkm.model].swVersion}`, `Рег. номер: ${nkm.regNo}`];
  return [...body, DISPLAY.header(nkm.factoryNo)];
}

const rngForPin = createRng(0, 'nkm-pin');

/** One line of the device's own log (what a person at the tachograph saw), read by the rig as records (index.ts). */
export interface NkmLogEntry {
  kind: 'display' | 'ejected' | 'withdrawn' | 'restarted' | 'printout' | 'refused';
  at: number;
  fields: Record<string, unknown>;
}

function logEntryOf(e: NkmEmitted, at: number): NkmLogEntry | undefined {
  switch (e.type) {
    case 'nkm.display':
      return { kind: 'display', at, fields: { text: e.text } };
    case 'nkm.card-ejected':
      return { kind: 'ejected', at, fields: { card: e.carrier.card.cardNumber } };
    case 'nkm.card-withdrawn':
      return { kind: 'withdrawn', at, fields: { card: e.carrier.card.cardNumber } };
    case 'nkm.restarted':
      return { kind: 'restarted', at, fields: {} };
    case 'nkm.printout':
      return { kind: 'printout', at, fields: { name: e.name, lines: e.lines } };
    case 'nkm.refused':
      return { kind: 'refused', at, fields: { event: e.event, reason: e.reason } };
    default:
      return undefined;
  }
}

/** The named cards with the one leaving the slot as it leaves. */
function keepCard(context: NkmContext): Record<string, WorkshopCarrier> {
  return context.insertedName && context.carrier ? { ...context.cards, [context.insertedName]: context.carrier } : context.cards;
}

type Enqueue = { emit: (e: NkmEmitted) => void; assign: (a: { log: (a: { context: NkmContext }) => NkmLogEntry[] }) => void };

/** Why STEP 1 cannot start now, as the tachograph says it (6.6, 6.7, 6.8, 6.9, 6.26), or null. */
function step1Refusal(c: NkmContext, now: number): TachoError | null {
  void now;
  if (c.integrityViolated) return TACHO_ERROR.integrity;
  // 6.8: starting activation with a serial-number fault is forbidden
  if ((c.options.tachograph.labelNumber1 ?? c.options.tachograph.number1) !== c.options.tachograph.number1) return TACHO_ERROR.tachographNumber;
  // chapter 4 item 3; 6.6 / 6.9
  if (!firmwareMeetsGate(c.options.tachograph.model, c.firmware)) return c.options.outdatedFirmwareError === 'badInput' ? TACHO_ERROR.badInput : TACHO_ERROR.invalidState;
  // 6.6 «На карте не записан запрос»; a request for another block is none for this one (rig's choice)
  const request = c.carrier?.skzi.request;
  if (!request || request.nkmFactoryNo !== c.options.nkm.factoryNo) return TACHO_ERROR.invalidState;
  if (c.moduleFault) return TACHO_ERROR.desync; // 6.7 «Сбой модуля СКЗИ»
  return null;
}

/** Why the certificate on the card cannot be loaded (6.6, 6.7), or null. Checked at the end of «Загрузка...». */
function certificateRefusal(c: NkmContext): TachoError | null {
  if (c.moduleFault) return TACHO_ERROR.desync;
  const cert = c.carrier?.skzi.certificate;
  if (!cert) return TACHO_ERROR.invalidState; // 6.6: no certificate
  if (cert.nkmFactoryNo !== c.options.nkm.factoryNo) return c.options.otherBlockCertificateError === 'desync' ? TACHO_ERROR.desync : TACHO_ERROR.invalidState; // 6.7 / 6.6
  // the certificate must be the ЦОД's, for this block's key, for the request it signed at STEP 1
  if (!certificateSignatureValid(cert, c.dataCentreKey) || cert.nkmPublicKey !== c.key.publicPoint || cert.requestId !== c.signedRequestId) return TACHO_ERROR.invalidState;
  if (c.phase !== 'step2') return TACHO_ERROR.invalidState;
  return null;
}

/** STEP 3 (5.5): VIN and plate written over the service link, and they must be the certificate's (rig's choice). */
function vehicleRefusal(c: NkmContext): TachoError | null {
  if (c.integrityViolated) return TACHO_ERROR.integrity;
  if (c.moduleFault) return TACHO_ERROR.desync;
  const v = c.serviceVehicle;
  if (!v || !c.certificate || v.vin !== c.certificate.vehicle.vin || v.vrn !== c.certificate.vehicle.vrn) return TACHO_ERROR.badInput;
  return null;
}

/**
 * `now`: the rig clock's time, stamped on the log's entries. `exchange`: the rig's hand that carries named cards
 * to and from other devices (the АРМА); without it the cards stay with this tachograph.
 */
export function createNkmMachine(now: () => number = () => 0, exchange?: RigExchange) {
  /** Emits what the tachograph shows and keeps it in its log, stamped with the rig time. */
  const out = (enqueue: unknown, e: NkmEmitted): void => {
    const q = enqueue as Enqueue;
    q.emit(e);
    const entry = logEntryOf(e, now());
    if (entry) q.assign({ log: ({ context }) => [...context.log, entry] });
  };
  return setup({
    types: {
      context: {} as NkmContext,
      events: {} as NkmEvent,
      emitted: {} as NkmEmitted,
      input: {} as { options: NkmTachographOptions },
    },
    delays: {
      preparing: ({ context }) => context.options.timing.preparingMs,
      loading: ({ context }) => context.options.timing.loadingMs,
      activating: ({ context }) => context.options.timing.activatingMs,
      registering: ({ context }) => context.options.timing.registeringMs,
      restart: ({ context }) => context.options.timing.restartMs,
    },
    guards: {
      noCard: ({ context }) => context.carrier === null,
      phaseIs: ({ context }, phase: NkmPhase) => context.phase === phase,
      cardHoldsCertificate: ({ context }) => context.carrier?.skzi.certificate !== undefined,
      step1Refused: ({ context }) => step1Refusal(context, 0) !== null,
      certificateRefused: ({ context }) => certificateRefusal(context) !== null,
      vehicleRefused: ({ context }) => vehicleRefusal(context) !== null,
      registrationRefused: ({ context }) => context.serviceVehicle === null || context.moduleFault,
      menuOffers: ({ context, event }) => event.type === 'menu.select' && menuItems(context).includes(event.item),
      itemIs: ({ event }, item: MenuItem) => event.type === 'menu.select' && event.item === item,
      /** Chapter 4: a firmware update while the activation is under way (after STEP 1, before STEP 3). */
      activationUnderWay: ({ context }) => context.phase === 'step2' || context.phase === 'vehicle',
    },
    actions: {
      showStatus: enqueueActions(({ context, enqueue }) => out(enqueue, { type: 'nkm.display', text: statusText(context) })),
      show: enqueueActions(({ enqueue }, text: string) => out(enqueue, { type: 'nkm.display', text })),
      showError: enqueueActions(({ context, enqueue }) => out(enqueue, { type: 'nkm.display', text: context.error ?? '' })),
      insertCard: assign({ carrier: ({ event }) => (event.type === 'card.insert' ? event.carrier : null), insertedName: null }),
      insertNamedCard: assign(({ context, event }) => (event.type === 'card.insert-named' ? { carrier: context.cards[event.name] ?? null, insertedName: event.name } : {})),
      withdrawCard: enqueueActions(({ context, enqueue }) => {
        if (context.carrier) out(enqueue, { type: 'nkm.card-withdrawn', carrier: context.carrier });
        enqueue.assign({ carrier: null, insertedName: null, pinOk: false, error: null, cards: keepCard(context) });
      }),
      refuse: enqueueActions(({ event, enqueue }, reason: string) => out(enqueue, { type: 'nkm.refused', event: event.type, reason })),
      /** The named card leaves this tachograph's keeping for another device (never from the slot). */
      giveCard: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'card.give') return;
        if (!exchange) throw new Error('this tachograph is not in a rig that carries cards between devices');
        const carrier = context.cards[event.name];
        if (!carrier || context.insertedName === event.name) throw new Error(`card ${event.name} is ${carrier ? 'in the slot' : 'not here'}`);
        handOver(exchange, event.name, carrier);
        const { [event.name]: _given, ...rest } = context.cards;
        enqueue.assign({ cards: rest });
        enqueue.emit({ type: 'device.stimulus', device: event.to, name: 'receiveCard', args: { card: event.name } });
      }),
      receiveCard: assign({
        cards: ({ context, event }) => {
          if (event.type !== 'card.receive') return context.cards;
          if (!exchange) throw new Error('this tachograph is not in a rig that carries cards between devices');
          if (context.cards[event.name]) throw new Error(`a card ${event.name} is here already`);
          return { ...context.cards, [event.name]: takeOver(exchange, event.name) };
        },
      }),
      refuseMenu: enqueueActions(({ context, event, enqueue }) =>
        out(enqueue, {
          type: 'nkm.refused',
          event: event.type,
          reason: `«${event.type === 'menu.select' ? event.item : ''}» is not in the menu (${menuItems(context).join(', ')})`,
        }),
      ),
      writeService: assign({ serviceVehicle: ({ event, context }) => (event.type === 'service.write' ? { vin: event.vin, vrn: event.vrn } : context.serviceVehicle) }),
      updateFirmware: assign({ firmware: ({ event, context }) => (event.type === 'firmware.update' ? { main: event.main, extra: event.extra } : context.firmware) }),
      ruinIntegrity: assign({ integrityViolated: true }),
      print: enqueueActions(({ context, event, enqueue }) => {
        const name = event.type === 'print' ? event.name : PRINTOUT.nkmTest;
        out(enqueue, { type: 'nkm.printout', name, lines: printoutLines(context, name) });
      }),
      verifyPin: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'pin.enter' || !context.carrier) return;
        const outcome = verifyCarrierPin(context.carrier, event.pin, rngForPin);
        enqueue.assign({ carrier: outcome.carrier, pinOk: outcome.ok });
        if (!outcome.ok) out(enqueue, { type: 'nkm.refused', event: event.type, reason: outcome.blocked ? 'the card is blocked' : `wrong PIN, ${outcome.triesLeft} tries left` });
      }),
      setStep1Error: assign({ error: ({ context }) => step1Refusal(context, 0) }),
      setCertificateError: assign({ error: ({ context }) => certificateRefusal(context) }),
      setVehicleError: assign({ error: ({ context }) => vehicleRefusal(context) }),
      setRegistrationError: assign({ error: ({ context }) => (context.moduleFault ? TACHO_ERROR.desync : TACHO_ERROR.badInput) }),
      /** 5.4 / 6.36: the «Да» that ends the reset for good. */
      latchReset: assign({ resetToStep1Allowed: false }),
      /** 5.3: the block signs the request on the card; the unsigned request is replaced by the signed one. */
      signRequest: assign(({ context }) => {
        const carrier = context.carrier!;
        const request = carrier.skzi.request!;
        const { nkm, tachograph } = context.options;
        const signed = signRequest(context.key, {
          request,
          nkm: { model: nkm.model, swVersion: NKM_MODEL_TABLE[nkm.model].swVersion, factoryNo: nkm.factoryNo, regNo: nkm.regNo, publicKey: context.key.publicPoint },
          tachographNo2: tachograph.number2,
          signedAt: request.createdAt,
        });
        const { request: _consumed, ...rest } = carrier.skzi;
        return { phase: 'step2' as const, signedRequestId: request.requestId, carrier: { ...carrier, skzi: { ...rest, signedRequest: signed } } };
      }),
      /** 5.4: the certificate goes into the block and is consumed from the card. */
      loadCertificate: assign(({ context }) => {
        const carrier = context.carrier!;
        const { certificate, ...rest } = carrier.skzi;
        return { phase: 'vehicle' as const, certificate: certificate!, carrier: { ...carrier, skzi: rest } };
      }),
      bindVehicle: assign(({ context }) => ({ phase: 'activated' as const, vehicle: context.serviceVehicle })),
      reRegisterVehicle: assign(({ context }) => ({ vehicle: context.serviceVehicle })),
      /** 6.25, 6.35: back to ШАГ1; the block forgets the request it signed. */
      resetToStep1: assign({ phase: 'step1' as const, signedRequestId: null }),
      ejectCard: enqueueActions(({ context, enqueue }) => {
        if (!context.carrier) return;
        out(enqueue, { type: 'nkm.card-ejected', carrier: context.carrier });
        enqueue.assign({ carrier: null, insertedName: null, pinOk: false, error: null, cards: keepCard(context) });
      }),
      announceRestart: enqueueActions(({ enqueue }) => out(enqueue, { type: 'nkm.restarted' })),
      /**
       * The service link (5.5 item 1): READ_IDENTITY answers the numbers; WRITE_VEHICLE writes VIN and plate into
       * the tachograph, refused while a card is inserted (5.5: «Не устанавливая карту мастерской»).
       */
      serviceLink: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || event.port !== 'service') return;
        const { frames, rest, dropped } = takeServiceFrames(concatBytes(fromHex(context.serviceRx), event.bytes));
        let serviceVehicle = context.serviceVehicle;
        const { nkm, tachograph } = context.options;
        // what the tachograph did not take, with the reason: a record, a trace entry, and the status answered
        const refuse = (status: number, code: string) => {
          const reason = `service link: ${STATUS_TEXT[status]}`;
          out(enqueue, { type: 'nkm.refused', event: 'port.rx', reason });
          enqueue.emit({ type: 'port.refused', port: 'service', code, detail: reason });
        };
        for (const frame of frames) {
          let answer: Uint8Array;
          if (frame.cmd === CMD.readIdentity) {
            answer = encodeServiceFrame(CMD.readIdentity | 0x80, new TextEncoder().encode(`${tachograph.number1};${tachograph.number2};${nkm.factoryNo};${nkm.model}`));
          } else if (frame.cmd === CMD.writeVehicle) {
            const vehicle = decodeWriteVehicle(frame.data);
            const status = !vehicle ? STATUS.malformed : context.carrier ? STATUS.cardInserted : STATUS.ok;
            if (vehicle && status === STATUS.ok) serviceVehicle = vehicle;
            else refuse(status, status === STATUS.malformed ? 'malformed' : 'card-inserted');
            answer = encodeServiceFrame(CMD.writeVehicle | 0x80, Uint8Array.of(status));
          } else {
            refuse(STATUS.unknownCommand, 'unknown-command');
            answer = encodeServiceFrame(CMD.unknown, Uint8Array.of(STATUS.unknownCommand));
          }
          enqueue.emit({ type: 'port.tx', port: 'service', bytes: answer });
        }
        // a frame whose checksum fails: refused with its reason and answered 0xFF 04 (the rig's framing)
        for (let i = 0; i < dropped; i++) {
          refuse(STATUS.badChecksum, 'bad-checksum');
          enqueue.emit({ type: 'port.tx', port: 'service', bytes: encodeServiceFrame(CMD.unknown, Uint8Array.of(STATUS.badChecksum)) });
        }
        enqueue.assign({ serviceRx: toHex(rest), serviceVehicle });
      }),
      powerOff: assign({ powered: false, moduleFault: false, pinOk: false, error: null }),
      powerOn: assign({ powered: true }),
      armModuleFault: assign({ moduleFault: true }),
    },
  }).createMachine({
    id: 'nkm-tachograph',
    context: ({ input }) => ({
      options: input.options,
      key: nkmTestKey(input.options.nkm.factoryNo),
      dataCentreKey: dataCentreKeyOf(input.options),
      phase: 'step1',
      resetToStep1Allowed: true,
      signedRequestId: null,
      certificate: null,
      vehicle: null,
      serviceVehicle: null,
      firmware: input.options.tachograph.firmware,
      integrityViolated: false,
      moduleFault: false,
      carrier: null,
      insertedName: null,
      cards: Object.fromEntries(Object.entries(input.options.cards).map(([name, { skzi, ...card }]) => [name, { ...newCarrier(card), skzi }])),
      serviceRx: '',
      pinOk: false,
      error: null,
      powered: true,
      log: [],
    }),
    initial: 'on',
    // a card out of the slot moves between devices whatever the tachograph is doing, powered or not
    on: {
      'card.give': { actions: 'giveCard' },
      'card.receive': { actions: 'receiveCard' },
    },
    states: {
      off: {
        on: {
          'power.restore': { target: 'on.booting', actions: 'powerOn' },
          'power.cycle': { target: 'on.booting', actions: 'powerOn' },
        },
      },
      on: {
        initial: 'idle',
        on: {
          'power.loss': { target: '#nkm-tachograph.off', actions: 'powerOff' },
          // a cycle: off, and at once on again (6.7: «Переподключить питание тахографа»)
          'power.cycle': { target: '.booting', actions: ['powerOff', 'powerOn'] },
          'nkm.module-fault': { actions: 'armModuleFault' },
          'port.rx': { actions: 'serviceLink' },
          'card.insert': { actions: { type: 'refuse', params: 'a card is already in the slot, or the tachograph is busy' } },
          'card.insert-named': { actions: { type: 'refuse', params: 'a card is already in the slot, or the tachograph is busy' } },
          'card.withdraw': { target: '.idle', actions: 'withdrawCard' },
          'pin.enter': { actions: { type: 'refuse', params: 'no PIN is asked for' } },
          'prompt.answer': { actions: { type: 'refuse', params: 'no question is asked' } },
          'menu.select': { actions: { type: 'refuse', params: 'the menu needs the workshop card and its PIN' } },
          'service.write': { actions: { type: 'refuse', params: 'VIN and plate are written with no card inserted (5.5)' } },
          'firmware.update': { actions: { type: 'refuse', params: 'firmware is updated with no card inserted' } },
          print: { actions: { type: 'refuse', params: 'the tachograph is busy' } },
        },
        states: {
          /** Power on after a cut or a cycle: the card still in the slot is read again (its PIN asked again). */
          booting: {
            always: [{ guard: 'noCard', target: 'idle' }, { target: 'pin' }],
            exit: 'announceRestart',
          },
          idle: {
            entry: 'showStatus',
            on: {
              'card.insert': { guard: 'noCard', target: 'pin', actions: 'insertCard' },
              'card.insert-named': [
                { guard: ({ context, event }) => context.carrier === null && context.cards[event.name] !== undefined, target: 'pin', actions: 'insertNamedCard' },
                { actions: { type: 'refuse', params: 'no such card' } },
              ],
              'card.withdraw': { actions: { type: 'refuse', params: 'no card in the slot' } },
              'service.write': { guard: 'noCard', actions: 'writeService' },
              'firmware.update': [
                { guard: 'activationUnderWay', actions: ['updateFirmware', 'ruinIntegrity', 'showStatus'] },
                { actions: 'updateFirmware' },
              ],
              print: { actions: 'print' },
            },
          },
          pin: {
            on: { 'pin.enter': { target: 'pinChecked', actions: 'verifyPin' } },
          },
          pinChecked: {
            always: [
              { guard: ({ context }) => !context.pinOk, target: 'pin' },
              // STEP 3 (5.5): card and PIN bind the vehicle, no question asked
              { guard: and([{ type: 'phaseIs', params: 'vehicle' as const }, 'vehicleRefused']), target: 'error', actions: 'setVehicleError' },
              { guard: { type: 'phaseIs', params: 'vehicle' }, target: 'activating' },
              { target: 'afterPin' },
            ],
          },
          afterPin: {
            always: [{ guard: { type: 'phaseIs', params: 'activated' }, target: 'workshop' }, { target: 'askUse' }],
          },
          askUse: {
            entry: { type: 'show', params: PROMPT.useSkzi },
            on: {
              'prompt.answer': [
                { guard: ({ event }) => !event.yes, target: 'workshop' },
                // 6.36: a card holding a certificate gets «Загрузить сертификат», even at STEP 1
                { guard: 'cardHoldsCertificate', target: 'askLoad' },
                { guard: { type: 'phaseIs', params: 'step2' }, target: 'askLoad' },
                { guard: 'step1Refused', target: 'error', actions: 'setStep1Error' },
                { target: 'preparing' },
              ],
            },
          },
          askLoad: {
            entry: { type: 'show', params: PROMPT.loadCertificate },
            on: {
              'prompt.answer': [{ guard: ({ event }) => !event.yes, target: 'workshop' }, { target: 'loading', actions: 'latchReset' }],
            },
          },
          preparing: {
            entry: { type: 'show', params: DISPLAY.preparing },
            after: { preparing: { target: 'restarting', actions: ['signRequest', 'ejectCard'] } },
          },
          loading: {
            entry: { type: 'show', params: DISPLAY.loading },
            after: {
              loading: [
                { guard: 'certificateRefused', target: 'error', actions: 'setCertificateError' },
                { target: 'restarting', actions: ['loadCertificate', 'ejectCard'] },
              ],
            },
          },
          activating: {
            after: { activating: { target: 'restarting', actions: ['bindVehicle', 'ejectCard'] } },
          },
          registering: {
            after: {
              registering: [
                { guard: 'registrationRefused', target: 'error', actions: 'setRegistrationError' },
                { target: 'workshop', actions: 'reRegisterVehicle' },
              ],
            },
          },
          /** An error screen (6.6–6.9, 6.26): it stays until the card is taken out. */
          error: {
            entry: 'showError',
          },
          /** The workshop card in, its PIN right, no step running: the menu «Настройки». */
          workshop: {
            entry: 'showStatus',
            on: {
              'menu.select': [
                { guard: and(['menuOffers', { type: 'itemIs', params: MENU.resetToStep1 }]), target: 'workshop', reenter: true, actions: 'resetToStep1' },
                { guard: and(['menuOffers', { type: 'itemIs', params: MENU.registerVehicle }]), target: 'registering' },
                { guard: and(['menuOffers', { type: 'itemIs', params: MENU.internalTests }]), actions: 'print' },
                { actions: 'refuseMenu' },
              ],
              print: { actions: 'print' },
            },
          },
          restarting: {
            after: { restart: { target: 'idle', actions: 'announceRestart' } },
          },
        },
      },
    },
  });
}
