import { z } from 'zod';
import type { StimulusSpec } from '../../harness/devices/device-kind.ts';
import { cardSchema } from '../cards/card-schema.ts';
import type { VirtualCard } from '../cards/card.ts';
import type { VuOptions } from './vu-options.ts';
import { calibrationChangeSchema, type CalibrationChange } from './calibration/calibration.ts';
import { placeEntryOf, placeEntrySchema, type PlaceEntryArgs } from './places/index.ts';

/** The VU's stimuli: what a scenario can do to it (insert a card, cut its supply, skew its clock, calibrate). */
const slot = z.enum(['driver', 'co-driver']);

export const vuStimuli: Record<string, StimulusSpec<any>> = {
  supply: {
    description: 'connect (on: true) or cut (on: false) the VU power supply',
    args: z.strictObject({ on: z.boolean() }),
    toEvent: (a: { on: boolean }) => ({ type: 'vu.supply', on: a.on }),
  },
  insertCard: {
    description: "insert a card in a slot: a card named in the VU's options.cards, or a card described inline",
    args: z.strictObject({ slot, card: z.union([z.string(), cardSchema]) }),
    // the names this VU's options.cards define: an unknown one is refused by `rig validate`, not at run time
    argsFor: (device) => {
      const names = Object.keys((device.options as VuOptions).cards);
      const error = `no card '{card}' in ${device.name}'s options.cards; it has: ${names.join(', ') || 'none'}`;
      const named = names.length
        ? z.enum(names as [string, ...string[]], { error: (issue) => error.replace('{card}', String(issue.input)) })
        : z.string().refine(() => false, { error: (issue) => error.replace('{card}', String(issue.input)) });
      return z.strictObject({ slot, card: z.union([named, cardSchema]) });
    },
    toEvent: (a: { slot: 'driver' | 'co-driver'; card: string | VirtualCard }, device) => ({
      type: 'vu.insertCard',
      slot: a.slot,
      card: typeof a.card === 'string' ? namedCard(a.card, device.options as VuOptions, device.name) : a.card,
    }),
  },
  withdrawCard: {
    description: 'withdraw the card in a slot',
    args: z.strictObject({ slot }),
    toEvent: (a: { slot: string }) => ({ type: 'vu.withdrawCard', slot: a.slot }),
  },
  selectActivity: {
    description: 'the card holder selects an activity for a slot (DRIVING is automatic and cannot be selected)',
    args: z.strictObject({ slot, activity: z.enum(['break-rest', 'availability', 'work']) }),
    toEvent: (a: { slot: string; activity: string }) => ({ type: 'vu.selectActivity', slot: a.slot, activity: a.activity }),
  },
  enterPlace: {
    description:
      "the card holder in a slot enters the place where a daily work period begins or ends (Annex IC 56-60): country as App. 1 NationAlpha ('B', 'D', 'NL'), region (RegionAlpha) for 'E' only; recorded with the time of entry, the odometer and the latest GNSS position, or refused (placeRefused) without a valid driver or workshop card",
    args: placeEntrySchema,
    toEvent: (a: PlaceEntryArgs) => ({ type: 'vu.enterPlace', slot: a.slot, entry: placeEntryOf(a) }),
  },
  coupleGnss: {
    description: 'in calibration mode (a workshop card inserted), couple the external GNSS facility on the gnss port (CSM_202)',
    args: z.strictObject({}),
    toEvent: () => ({ type: 'vu.coupleGnss' }),
  },
  skewClock: {
    description: "move the VU's internal clock by this many seconds (positive: ahead)",
    args: z.strictObject({ seconds: z.number() }),
    toEvent: (a: { seconds: number }) => ({ type: 'vu.skewClock', seconds: a.seconds }),
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
  setDrift: {
    description: "make the VU's internal clock run fast (positive ppm) or slow from now on",
    args: z.strictObject({ ppm: z.number().min(-1000).max(1000) }),
    toEvent: (a: { ppm: number }) => ({ type: 'vu.setDrift', ppm: a.ppm }),
  },
};

function namedCard(name: string, options: VuOptions, device: string): VirtualCard {
  const card = options.cards[name];
  if (!card) {
    const known = Object.keys(options.cards);
    throw new Error(`device '${device}' has no card named '${name}' in its options.cards (it has: ${known.join(', ') || 'none'})`);
  }
  return card;
}
