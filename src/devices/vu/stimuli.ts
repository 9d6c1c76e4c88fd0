import { z } from 'zod';
import type { StimulusSpec } from '../../harness/devices/device-kind.ts';
import { cardSchema } from '../cards/card-schema.ts';
import type { VirtualCard } from '../cards/card.ts';
import type { VuOptions } from './vu-options.ts';
import { calibrationChangeSchema, type CalibrationChange } from './calibration/calibration.ts';
import { placeEntryOf, placeEntrySchema, type PlaceEntryArgs } from './places/index.ts';
import { VU_DETECTIONS } from './security/security-breach.ts';
import { nationByAlpha } from '../cards/nations.ts';
import { OPERATION_NAMES, type OperationName } from './v2-records/v2-records.ts';
import { SPECIFIC_CONDITION_LABEL, SPECIFIC_CONDITION_NAMES, SPECIFIC_CONDITION_TYPE, type SpecificConditionName } from './specific-conditions/index.ts';
import { DAMAGEABLE_PARTS } from './vu-data-memory.ts';

/** The VU's stimuli: what a scenario can do to it (insert a card, cut its supply, skew its clock, calibrate). */
const slot = z.enum(['driver', 'co-driver']);
/** Issue 15: the PIN a workshop card's holder keys in when the VU asks at insertion (App. 1 WorkshopCardPIN: 4 to 8 digits here). */
const pin = z.string().regex(/^\d{4,8}$/, { error: 'a workshop card PIN is 4 to 8 digits' }).optional();

/**
 * Load/unload operations and border crossings came with version 2 VUs (Regulation (EU) 2021/1228; Annex IC
 * 4.5.3.2.19-20: "not accessed by version 1 of second generation vehicle units"): a version 1 VU has no menu entry
 * or record for them, so a scenario asking one for them is wrong, not silently ignored.
 */
function versionTwo(device: { name: string; options: unknown }, what: string): void {
  if ((device.options as { gen2Version?: number } | undefined)?.gen2Version !== 2) {
    throw new Error(`${device.name} is a version 1 VU (gen2Version 1): ${what} are functions of version 2 VUs; give it gen2Version: 2`);
  }
}

export const vuStimuli: Record<string, StimulusSpec<any>> = {
  supply: {
    description: 'connect (on: true) or cut (on: false) the VU power supply',
    args: z.strictObject({ on: z.boolean() }),
    toEvent: (a: { on: boolean }) => ({ type: 'vu.supply', on: a.on }),
    instruction: (a: { on: boolean }, device) => (a.on ? `Connect the power supply of ${device.name}` : `Cut the power supply of ${device.name} (disconnect it)`),
  },
  insertCard: {
    description:
      "insert a card in a slot: a card named in the VU's options.cards, or a card described inline; for a workshop card, `pin` is the PIN its holder keys in (default: the card's own pin): a wrong one, or a card that blocked its PIN, leaves it non-valid (0x01)",
    args: z.strictObject({ slot, card: z.union([z.string(), cardSchema]), pin }),
    // the names this VU's options.cards define: an unknown one is refused by `rig validate`, not at run time
    argsFor: (device) => {
      const names = Object.keys((device.options as VuOptions).cards);
      const error = `no card '{card}' in ${device.name}'s options.cards; it has: ${names.join(', ') || 'none'}`;
      const named = names.length
        ? z.enum(names as [string, ...string[]], { error: (issue) => error.replace('{card}', String(issue.input)) })
        : z.string().refine(() => false, { error: (issue) => error.replace('{card}', String(issue.input)) });
      return z.strictObject({ slot, card: z.union([named, cardSchema]), pin });
    },
    toEvent: (a: { slot: 'driver' | 'co-driver'; card: string | VirtualCard; pin?: string }, device) => ({
      type: 'vu.insertCard',
      slot: a.slot,
      card: typeof a.card === 'string' ? namedCard(a.card, device.options as VuOptions, device.name) : a.card,
      ...(a.pin === undefined ? {} : { pin: a.pin }),
    }),
    instruction: (a: { slot: 'driver' | 'co-driver'; card: string | VirtualCard; pin?: string }, device) => {
      const card = typeof a.card === 'string' ? `card ${a.card} (${cardInWords(namedCard(a.card, device.options as VuOptions, device.name))})` : `a ${cardInWords(a.card)}`;
      return `Insert ${card} into the ${a.slot} slot of ${device.name}${a.pin === undefined ? '' : `, keying in the PIN ${a.pin} when it asks`}`;
    },
  },
  withdrawCard: {
    description: 'withdraw the card in a slot',
    args: z.strictObject({ slot }),
    toEvent: (a: { slot: string }) => ({ type: 'vu.withdrawCard', slot: a.slot }),
    instruction: (a: { slot: string }, device) => `Withdraw the card from the ${a.slot} slot of ${device.name}`,
  },
  // Issue 15: a card taken out while the VU has no supply (0x06 at its next insertion)
  pullCard: {
    description:
      "while the VU's supply is cut, take the card out of a slot (the slot's lock released without power, Annex IC 19, 20): the VU can neither store the session on the card nor reset its session data; it finds the slot empty at power-up and closes the insertion then. The card keeps its session open: the VU it is next inserted into records 0x06 last card session not correctly closed (Annex IC 77). Refused while the VU is powered",
    args: z.strictObject({ slot }),
    toEvent: (a: { slot: string }) => ({ type: 'vu.pullCard', slot: a.slot }),
    instruction: (a: { slot: string }, device) => `With the supply of ${device.name} cut, pull the card out of its ${a.slot} slot (release the slot's lock by hand)`,
  },
  selectActivity: {
    description: 'the card holder selects an activity for a slot (DRIVING is automatic and cannot be selected)',
    args: z.strictObject({ slot, activity: z.enum(['break-rest', 'availability', 'work']) }),
    toEvent: (a: { slot: string; activity: string }) => ({ type: 'vu.selectActivity', slot: a.slot, activity: a.activity }),
    instruction: (a: { slot: string; activity: string }, device) => `On ${device.name}, select the activity ${a.activity} for the ${a.slot} slot`,
  },
  enterPlace: {
    description:
      "the card holder in a slot enters the place where a daily work period begins or ends (Annex IC 56-60): country as App. 1 NationAlpha ('B', 'D', 'NL'), region (RegionAlpha) for 'E' only; recorded with the time of entry, the odometer and the latest GNSS position, or refused (placeRefused) without a valid driver or workshop card",
    args: placeEntrySchema,
    toEvent: (a: PlaceEntryArgs) => ({ type: 'vu.enterPlace', slot: a.slot, entry: placeEntryOf(a) }),
  },
  // Annex IC 62 (specific-conditions/): the driver's menu entries of specific conditions
  specificCondition: {
    description:
      "the driver enters a specific condition through the VU's menu (Annex IC 62): out-of-scope-begin, out-of-scope-end, ferry-train-begin, ferry-train-end (App. 1 §2.154 SpecificConditionType 1..4); recorded with the time of entry (Annex IC 130), or refused (specificConditionRefused): a ferry/train begin while out of scope, a begin of a condition already open, an end of one not open. The VU itself closes out of scope at a driver card's insertion or withdrawal, and a crossing when out of scope opens, when the driver card leaves the driver slot, or at the first DRIVING minute",
    args: z.strictObject({
      condition: z.enum(SPECIFIC_CONDITION_NAMES, {
        error: (issue) => `no specific condition '${String(issue.input)}' (App. 1 §2.154): one of ${SPECIFIC_CONDITION_NAMES.map((n) => `${n} (${SPECIFIC_CONDITION_LABEL[SPECIFIC_CONDITION_TYPE[n]]})`).join(', ')}`,
      }),
    }),
    toEvent: (a: { condition: SpecificConditionName }) => ({ type: 'vu.specificCondition', condition: a.condition }),
    instruction: (a: { condition: SpecificConditionName }, device) => `On ${device.name}, enter the specific condition '${SPECIFIC_CONDITION_LABEL[SPECIFIC_CONDITION_TYPE[a.condition]]}' in the driver's menu`,
  },
  // Gen2 v2 (v2-records/): load/unload operations and border crossings, written on version 2 cards by a version 2 VU
  loadUnload: {
    description:
      "the driver enters a load, unload or simultaneous load/unload operation (Annex IC 62a, 62b): a version 2 VU's function (gen2Version 2; a version 1 VU has none, so the stimulus is an error there): kept with the cards in the slots, the latest valid position and the odometer (a loadUnload record, through TREP 32) and written on a version 2 card in a slot (EF Load_Unload_Operations)",
    args: z.strictObject({ operation: z.enum(OPERATION_NAMES, { error: (issue) => `no load/unload operation '${String(issue.input)}' (App. 1 2.114a OperationType): one of ${OPERATION_NAMES.join(', ')}` }) }),
    toEvent: (a: { operation: OperationName }, device) => ({ type: 'vu.loadUnload', operation: (versionTwo(device, 'load/unload operations (Annex IC 62a)'), a.operation) }),
    instruction: (a: { operation: OperationName }, device) => `On ${device.name}, enter the ${a.operation} operation in the driver's menu and confirm it`,
  },
  borderCrossing: {
    description:
      "the vehicle crosses into another country (Annex IC 3.27, 133a), given as App. 1 NationAlpha ('D', 'NL'): the rig has no map, so the scenario tells the VU what its position-to-country lookup would; the country before the first crossing is the vehicle's registering nation, the same country again is no crossing. A version 2 VU's function (gen2Version 2; an error on a version 1 VU). Kept as a borderCrossing record (through TREP 32) and written on a version 2 card in a slot (EF Border_Crossings)",
    args: z.strictObject({ country: z.string() }).superRefine((a, ctx) => {
      const nation = nationByAlpha(a.country);
      if (!nation || nation.numeric === 0) ctx.addIssue({ code: 'custom', path: ['country'], message: `'${a.country}' is not an App. 1 NationAlpha (e.g. B, D, F, NL, E)` });
    }),
    toEvent: (a: { country: string }, device) => ({ type: 'vu.borderCrossing', country: (versionTwo(device, 'border crossings (Annex IC 133a)'), nationByAlpha(a.country)!.numeric) }),
    emulatedOnly: "its position-to-country lookup (the rig's world has no map)",
  },
  coupleGnss: {
    description: 'in calibration mode (a workshop card inserted), couple the external GNSS facility on the gnss port (CSM_202)',
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.coupleGnss' }),
  },
  gnssReceiverFault: {
    description: "the GNSS receiver inside the VU (gnss.receiver internal) fails (on: true) or works again: the VU's self-test finds it at its next read, 0x36 (Annex IC 88, 89)",
    args: z.strictObject({ on: z.boolean() }),
    toEvent: (a: { on: boolean }) => ({ type: 'vu.gnssReceiverFault', on: a.on }),
    emulatedOnly: "its GNSS receiver's hardware failing",
  },
  skewClock: {
    description: "move the VU's internal clock by this many seconds (positive: ahead)",
    args: z.strictObject({ seconds: z.number() }),
    toEvent: (a: { seconds: number }) => ({ type: 'vu.skewClock', seconds: a.seconds }),
    emulatedOnly: "its internal clock: a real VU's time is set by GNSS or a workshop, and a time conflict is provoked from the GNSS side",
  },
  pairSensor: {
    description: 'the workshop pairs the motion sensor (CSM_217): in calibration mode, with the KM-WC of the workshop card inserted',
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.pairSensor' }),
  },
  calibrate: {
    description:
      'the workshop calibrates (Annex IC 119): in calibration mode, sets any of w, k, l, tyreSize, vin, registrationNation, registrationNumber, authorisedSpeedKmh, odometerKm, seals; kept as a VuCalibrationRecord',
    args: calibrationChangeSchema,
    toEvent: (a: CalibrationChange) => ({ type: 'vu.calibrate', change: a }),
  },
  // --- Issue 15: a card's memory fails (cards/card-holder-updates.ts, Annex IC 149) ---
  cardWriteFailure: {
    description:
      "the memory of the card in a slot starts (on: true) or stops (false) failing: every UPDATE BINARY answered '6581' (memory failure); the VU's next write to it, tried three more times, declares the card faulty and non-valid (Annex IC 149: fault 0x40). Kept by the card (in its memoryFile too) until switched again; an empty slot is an error",
    args: z.strictObject({ slot, on: z.boolean() }),
    toEvent: (a: { slot: 'driver' | 'co-driver'; on: boolean }) => ({ type: 'vu.cardWriteFailure', slot: a.slot, on: a.on }),
    emulatedOnly: "the emulated card's memory failing (a bench inserts a card that fails instead)",
  },
  // --- Company locks and the download interface (issue 11: cards/company-lock-menu.ts, download/session.ts) ---
  companyLock: {
    description:
      "the company card holder locks in or out through the VU's menu (Annex IC 63-68): in company mode only (Annex IC 12), for the company card the mode uses; a lock-in locks another company's lock out, a lock-out is refused unless the lock in is this company's; kept as a companyLock record (TREP 21)",
    args: z.strictObject({ action: z.enum(['in', 'out']) }),
    toEvent: (a: { action: 'in' | 'out' }) => ({ type: 'vu.companyLock', action: a.action }),
  },
  downloadInterfaceFault: {
    description:
      "the VU's download interface breaks down (faulty: true) or is repaired (false): the downloading self-test at the start of the next download session (Annex IC 89) finds it, records 0x34 downloading fault (not in calibration mode, Annex IC 88) and refuses the upload (NRC 50); the first session after the repair ends the fault",
    args: z.strictObject({ faulty: z.boolean() }),
    toEvent: (a: { faulty: boolean }) => ({ type: 'vu.downloadInterfaceFault', faulty: a.faulty }),
    emulatedOnly: "its download interface's hardware failing",
  },
  // --- Downloads in the generation 1 format (issue 14: download/gen1-format.ts) ---
  gen1Download: {
    description:
      "the control officer selects (on: true) or leaves (false) through the VU's menu the download in the generation 1 format (MIG_015): TRTP 01..05 are then answered, signed with the VU's gen1 key (App. 11 Part A), while a valid first generation control card is inserted (or the rig itself reads); otherwise, and without the selection, they are refused with FA (DDP_018). Applies from the next download session; not kept over a restart of the rig",
    args: z.strictObject({ on: z.boolean() }),
    toEvent: (a: { on: boolean }) => ({ type: 'vu.selectGen1Download', on: a.on }),
    instruction: (a: { on: boolean }, device) => (a.on ? `On ${device.name}, select download in the generation 1 format in the control menu` : `On ${device.name}, leave download in the generation 1 format in the control menu`),
  },
  setDrift: {
    description: "make the VU's internal clock run fast (positive ppm) or slow from now on",
    args: z.strictObject({ ppm: z.number().min(-1000).max(1000) }),
    toEvent: (a: { ppm: number }) => ({ type: 'vu.setDrift', ppm: a.ppm }),
    emulatedOnly: "its internal clock's rate",
  },
  // --- The VU's own hardware: its stored memory, its self-test, its tamper detections (issue 11) ---
  damageDataMemory: {
    description:
      "while the supply is cut, flip one bit in one part of the VU's stored data memory (its file, or the copy it wrote as the supply went): at power-up the part fails its MAC check, is reset, and 0x15 is recorded (not in calibration mode); the other parts are kept",
    args: z.strictObject({ part: z.enum(DAMAGEABLE_PARTS) }),
    toEvent: (a: { part: string }) => ({ type: 'vu.damageDataMemory', part: a.part }),
    emulatedOnly: 'a bit of its stored data memory',
  },
  dataMemoryFault: {
    description:
      "the VU's data memory stops (on: true) or starts again (on: false) answering writes: the VU's next save (every persistEveryMinutes, at supply loss, card withdrawal) fails its access self-test and begins a 0x31 VU internal fault (not in calibration mode); the first save that succeeds again ends it",
    args: z.strictObject({ on: z.boolean() }),
    toEvent: (a: { on: boolean }) => ({ type: 'vu.dataMemoryFault', on: a.on }),
    emulatedOnly: "its data memory's hardware failing",
  },
  openCase: {
    description: "the VU's case is opened: 0x17 unauthorised case opening, unless in calibration mode; detected with or without supply",
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.securityDetection', code: VU_DETECTIONS.caseOpening }),
    instruction: (_a: unknown, device) => `Open the case of ${device.name} (or trip its case-opening contact)`,
  },
  sabotageHardware: {
    description: "the VU's tamper sensors trip (shield, mesh, probing): 0x18 hardware sabotage, unless in calibration mode; detected with or without supply",
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.securityDetection', code: VU_DETECTIONS.hardwareSabotage }),
    emulatedOnly: 'its tamper sensors (shield, mesh, probing)',
  },
  internalTransferError: {
    description: "a transfer between the VU's own parts fails its integrity check: 0x16 internal data transfer error, unless in calibration mode; none while unpowered (nothing is transferred)",
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.securityDetection', code: VU_DETECTIONS.internalDataTransfer }),
    emulatedOnly: 'a transfer between its own parts',
  },
};

/** "driver card B000000012345601, PEETERS Anna": what a person looks for on the card in hand. */
function cardInWords(card: VirtualCard): string {
  const who = card.type === 'company' ? card.companyName : `${card.holder.surname} ${card.holder.firstNames}`;
  return `${card.type} card ${card.cardNumber}, ${who}`;
}

function namedCard(name: string, options: VuOptions, device: string): VirtualCard {
  const card = options.cards[name];
  if (!card) {
    const known = Object.keys(options.cards);
    throw new Error(`device '${device}' has no card named '${name}' in its options.cards (it has: ${known.join(', ') || 'none'})`);
  }
  return card;
}
