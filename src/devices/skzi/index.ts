import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { freeCode, noCode, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { SERVICE_BAUD, serviceLinkCodec } from '../../protocols/skzi-service-link/service-link.ts';
import { createNkmMachine, type NkmContext } from './nkm-machine.ts';
import { nkmTachographOptions, type NkmTachographOptions } from './options.ts';
import { MENU, PRINTOUT } from './texts.ts';
import { rigExchange } from './rig-exchange.ts';
import { cardRecordFields } from './card-slot.ts';

/**
 * A ШТРИХ-ТахоRUS with its СКЗИ (НКМ) block for the rig (README "The СКЗИ (НКМ) activation"): the block's
 * activation steps driven by stimuli (a named workshop card in and out, its PIN, the answers, the menu, a
 * printout, a firmware update, a supply cut), ТахоМастер's service link on port `service`, and what a person
 * at it sees as records from its own log (its display, ejections, restarts, printouts, refusals) plus the
 * content of its named cards. Its cards go to the АРМА (workstation-device.ts) and back by hand (giveCard,
 * rig-exchange.ts).
 */
const display = 'the tachograph display: only the emulation logs what it showed';

export const skziRecordKinds: RecordKinds = {
  display: { description: 'a text the tachograph showed (the СКЗИ status window, a prompt, a transient screen, an error)', code: freeCode(z.string(), 'the text, exactly'), time: 'instant', fields: z.strictObject({ text: z.string() }), emulatedOnly: display },
  ejected: { description: 'the tachograph ejected the workshop card at the end of a step', code: noCode, time: 'instant', fields: z.strictObject({ card: z.string() }), emulatedOnly: display },
  withdrawn: { description: 'the workshop card was taken out', code: noCode, time: 'instant', fields: z.strictObject({ card: z.string() }), emulatedOnly: display },
  restarted: { description: 'the tachograph restarted (after a step, or at power-up)', code: noCode, time: 'instant', fields: z.strictObject({}), emulatedOnly: display },
  printout: { description: 'a printout', code: freeCode(z.string(), 'the printout title'), time: 'instant', fields: z.strictObject({ name: z.string(), lines: z.array(z.string()) }), emulatedOnly: display },
  refused: { description: 'an action the tachograph did not take (no such menu item, a wrong PIN, a card while one is in)', code: noCode, time: 'instant', fields: z.strictObject({ event: z.string(), reason: z.string() }), emulatedOnly: display },
  card: {
    description: "a named workshop card's СКЗИ content now (read from the emulation: the card itself, out of the slot)",
    code: freeCode(z.string(), 'the card name (options.cards)'),
    time: 'none',
    fields: z.strictObject({ request: z.string().nullable(), signedRequest: z.string().nullable(), certificate: z.string().nullable(), pinTriesLeft: z.number().int().nullable(), inSlot: z.boolean() }),
    emulatedOnly: 'the rig holds the cards while out of the slot; a real card is read at the АРМА',
  },
};

const cardName = (device: { name: string; options: unknown }) => {
  const names = Object.keys((device.options as NkmTachographOptions).cards);
  return names.length ? z.enum(names as [string, ...string[]]) : z.string().refine(() => false, { error: `${device.name} has no options.cards` });
};

export const skziTachographKind: DeviceKind<NkmTachographOptions> = {
  kind: 'skzi-tachograph',
  description: 'a Russian tachograph (ШТРИХ-ТахоRUS) with its СКЗИ (НКМ) block: the block activation steps, ТахоМастер service link',
  options: nkmTachographOptions as unknown as z.ZodType<NkmTachographOptions>,
  ports: { service: { description: 'ТахоМастер / programmer service link (the rig framing: protocols/skzi-service-link)', baud: SERVICE_BAUD, codec: serviceLinkCodec, exchange: { role: 'answers' } } },
  machine: ({ options, clock }) => ({ machine: createNkmMachine(() => clock.now(), rigExchange(clock)), input: { options } }),
  stimuli: {
    insertCard: {
      description: 'insert a workshop card named in options.cards',
      args: z.strictObject({ card: z.string() }),
      argsFor: (device) => z.strictObject({ card: cardName(device) }),
      toEvent: (a: { card: string }) => ({ type: 'card.insert-named', name: a.card }),
    },
    giveCard: {
      description: 'a person takes a named card (not in the slot) to another device of the rig: the АРМА (skzi-workstation) or another tachograph',
      args: z.strictObject({ card: z.string(), to: z.string() }),
      toEvent: (a: { card: string; to: string }) => ({ type: 'card.give', name: a.card, to: a.to }),
    },
    receiveCard: {
      description: 'the named card handed over by another device (its giveCard applies this one)',
      args: z.strictObject({ card: z.string() }),
      toEvent: (a: { card: string }) => ({ type: 'card.receive', name: a.card }),
    },
    withdrawCard: { description: 'take the card out of the slot', args: z.strictObject({}), toEvent: () => ({ type: 'card.withdraw' }) },
    enterPin: { description: "type the workshop card's PIN", args: z.strictObject({ pin: z.string() }), toEvent: (a: { pin: string }) => ({ type: 'pin.enter', pin: a.pin }) },
    answer: { description: 'answer the question on the display «Да» (yes: true) or «Нет», and OK', args: z.strictObject({ yes: z.boolean() }), toEvent: (a: { yes: boolean }) => ({ type: 'prompt.answer', yes: a.yes }) },
    menu: {
      description: 'choose an item of the menu «Настройки»',
      args: z.strictObject({ item: z.enum([MENU.resetToStep1, MENU.registerVehicle, MENU.internalTests]) }),
      toEvent: (a: { item: string }) => ({ type: 'menu.select', item: a.item }),
    },
    print: { description: 'print «Технические данные» or «Тест НКМ»', args: z.strictObject({ name: z.enum([PRINTOUT.technicalData, PRINTOUT.nkmTest]) }), toEvent: (a: { name: string }) => ({ type: 'print', name: a.name }) },
    updateFirmware: {
      description: 'update the tachograph firmware (main and additional board versions)',
      args: z.strictObject({ main: z.number().int().min(0), extra: z.number().int().min(0) }),
      toEvent: (a: { main: number; extra: number }) => ({ type: 'firmware.update', ...a }),
    },
    writeVehicle: {
      description: 'ТахоМастер writes VIN and plate into the tachograph over the service link, with no card inserted (5.5)',
      args: z.strictObject({ vin: z.string(), vrn: z.string() }),
      toEvent: (a: { vin: string; vrn: string }) => ({ type: 'service.write', vin: a.vin, vrn: a.vrn }),
    },
    supply: { description: 'connect (on: true) or cut (on: false) the supply', args: z.strictObject({ on: z.boolean() }), toEvent: (a: { on: boolean }) => ({ type: a.on ? 'power.restore' : 'power.loss' }) },
    moduleFault: { description: 'the СКЗИ module fails until the supply is cycled (6.7 «Сбой модуля СКЗИ»)', args: z.strictObject({}), toEvent: () => ({ type: 'nkm.module-fault' }), emulatedOnly: 'a failure inside the СКЗИ module' },
  },
  recordKinds: skziRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`skzi-tachograph '${device}' is not emulated: its display log is not reachable`);
      const context = (actor.getSnapshot() as { context: NkmContext }).context;
      const log = context.log.map((e) => ({ kind: e.kind, at: e.at, ...(e.kind === 'display' ? { code: String(e.fields.text) } : e.kind === 'printout' ? { code: String(e.fields.name) } : {}), fields: e.fields }));
      const cards = Object.entries(context.cards).map(([name, held]) => {
        const carrier = context.insertedName === name && context.carrier ? context.carrier : held;
        return { kind: 'card', code: name, fields: cardRecordFields(carrier, context.insertedName === name) };
      });
      return [...log, ...cards];
    },
  }),
};
