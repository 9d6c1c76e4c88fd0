import { z } from 'zod';
import { LCUS_MAX_CHANNELS } from '../../protocols/bench/index.ts';

/**
 * What a bench actuator does to its target, and how: the rig file's mapping from the target's stimuli to the
 * bench hardware on the actuator's ports (`relay`: an LCUS USB relay board; `psu`: a lab supply under SCPI).
 */
const channel = z.number().int().min(1).max(LCUS_MAX_CHANNELS).describe('a relay of the board, 1..8');

export const viaPsu = z
  .strictObject({
    via: z.literal('psu'),
    volts: z.number().min(0).optional().describe('set this voltage (VOLT) before switching the output on; left out: the supply keeps its setting'),
  })
  .describe("the supply's output: OUTP ON for { on: true }, OUTP OFF for { on: false }, confirmed by SYST:ERR? answering 0,\"No error\"");

export const viaRelay = z
  .strictObject({
    via: z.literal('relay'),
    channel,
    pulseMs: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe('for a stimulus without arguments (openCase): how long the relay stays closed before it opens again (a momentary contact)'),
  })
  .describe('a relay: closed for { on: true } and open for { on: false } (a contact in series); for a stimulus without arguments, closed for pulseMs then open');

export const viaKeypad = z
  .strictObject({ via: z.literal('keypad') })
  .describe(
    "the keypad robot: a menu action of the target (pairSensor, coupleGnss, selectActivity, enterPlace, companyLock, calibrate) run as the robot's macro for it, `RUN <stimulus> name=value ...`, done when the robot answers OK (protocols/bench/keypad.ts)",
  );

export const benchActuatorOptions = z.strictObject({
  target: z
    .string()
    .optional()
    .describe("the device it acts on: external in this rig (the device under test); required where the actuator is emulated, left out where it is external (a stand-in's view of the rig's actuator)"),
  stimuli: z
    .record(z.string(), z.discriminatedUnion('via', [viaPsu, viaRelay, viaKeypad]))
    .default({})
    .describe("the target's stimuli it performs, by name (supply, openCase, pairSensor, ...), and how; insertCard and withdrawCard go under cards"),
  cards: z
    .record(z.string(), z.record(z.string(), channel))
    .default({})
    .describe(
      "a card switch, by slot then card: relay N joins that card's smart-card extender to that slot. insertCard closes the card's relay; withdrawCard opens whichever relay of the slot is closed",
    ),
  psuAnswerWindowMs: z.number().int().positive().default(1000).describe("how long to wait for the supply's answer to SYST:ERR? before the actuation fails"),
  keypadAnswerWindowMs: z
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe("how long to wait for the keypad robot's OK or ERR after RUN before the actuation fails: a macro walks the VU's menu key by key, and the VU takes its time between screens"),
  relaySettleMs: z
    .number()
    .int()
    .min(0)
    .default(20)
    .describe('time given to a relay contact to move and settle after its command (typ. 10 ms for these boards), before the actuation counts as done'),
});
export type BenchActuatorOptions = z.output<typeof benchActuatorOptions>;

/** The target's stimuli the card switch performs. */
export const INSERT_CARD = 'insertCard';
export const WITHDRAW_CARD = 'withdrawCard';
/** Issue 15: a card taken out while the VU has no supply: on a card switch, the same relay opened as for a withdrawal. */
export const PULL_CARD = 'pullCard';
