import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { spanIssues } from './span.ts';

/**
 * One schema for scenarios, whether written in YAML or built in TypeScript with the typed builder. The
 * shape follows LAVA's interactive steps and OpenHTF's records: timed steps, then expectations over the
 * records the equipment exposes.
 */
const duration = z
  .union([z.number(), z.string()], { error: (issue) => `expected a duration: ms as a number, or e.g. "500ms", "10s", "1h30m", "31d"; got ${shown(issue.input)}` })
  .describe('ms as a number, or e.g. "500ms", "10s", "1h30m", "31d"')
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const ISO_INSTANT_HELP = 'an ISO 8601 instant with a zone, e.g. 2026-03-01T08:00:00Z';
const isoInstant = z.iso.datetime({ offset: true, error: `expected ${ISO_INSTANT_HELP}` }).describe(ISO_INSTANT_HELP);

const INSTANT_HELP = 'an offset from the start (ms, or e.g. "10s", "1h30m") or an ISO instant with a zone (2026-03-01T08:00:00Z)';

/**
 * A point in the run: an offset from the scenario start, or an absolute instant. One string schema rather
 * than a union of the two, so `at: yesterday` is told both forms rather than one of them.
 */
const instant = z
  .union([z.number(), z.string()], { error: (issue) => `expected ${INSTANT_HELP}; got ${shown(issue.input)}` })
  .describe(INSTANT_HELP)
  .transform((value, ctx): number | string => {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
      if (isoInstant.safeParse(value).success) return value;
      ctx.addIssue({ code: 'custom', message: `'${value}' is not ${ISO_INSTANT_HELP}` });
      return z.NEVER;
    }
    try {
      return parseDuration(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${INSTANT_HELP}; got ${shown(value)}` });
      return z.NEVER;
    }
  });

/** A value as the author wrote it, for messages: strings quoted, the rest as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

const identifier = z.string().regex(/^[A-Za-z][\w-]*$/, 'letters, digits, - and _ only, starting with a letter');
const portName = z.string().regex(/^[A-Za-z][\w-]*\.[A-Za-z][\w-]*$/, 'a port is written device.port');

const faultSettings = z.strictObject({
  dropRate: z.number().min(0).max(1).optional(),
  bitFlipRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().min(0).optional(),
});

const waitStep = z.strictObject({
  do: z.literal('wait'),
  for: duration.describe('how long to let rig time run'),
  note: z.string().optional(),
});

const untilStep = z.strictObject({
  do: z.literal('until'),
  at: instant.describe('run until this offset from the start (or this instant)'),
  note: z.string().optional(),
});

const stimulusStep = z.strictObject({
  do: z.literal('stimulus'),
  device: identifier,
  name: z.string().min(1).describe("one of the device kind's stimuli"),
  args: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
});

const worldStep = z.strictObject({
  do: z.literal('world'),
  name: z.string().min(1).describe('a world stimulus: speed, stop, heading, position'),
  args: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
});

const linkStep = z
  .strictObject({
    do: z.literal('link'),
    link: z.string().optional().describe('link id'),
    port: portName.optional().describe('or the port at either end of the link'),
    action: z.enum(['disconnect', 'reconnect', 'pause', 'resume', 'faults']),
    faults: faultSettings.optional(),
    direction: z.enum(['a->b', 'b->a']).optional(),
    note: z.string().optional(),
  })
  .refine((s) => (s.link === undefined) !== (s.port === undefined), { message: 'name the link either by link or by port, not both', path: ['link'] })
  .refine((s) => s.action !== 'faults' || s.faults !== undefined, { message: "action 'faults' needs faults", path: ['faults'] });

const count = z.union(
  [z.number().int().min(0), z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })],
  { error: (issue) => `expected a whole number, or { min, max } (e.g. count: 2, or count: { min: 1 }); got ${shown(issue.input)}` },
);

/** Which records an expectation looks at. */
const recordMatcher = z.strictObject({
  device: identifier,
  kind: z.string().min(1).describe("record family, e.g. 'event', 'fault', 'timeAdjustment'"),
  code: z
    .union([z.number(), z.string()], { error: (issue) => `expected a code: a number (0x0B) or a name; got ${shown(issue.input)}` })
    .optional()
    .describe('event or fault code (quote hex in YAML, or write 0x0B)'),
  window: z
    .strictObject({ from: instant.optional(), to: instant.optional() })
    .optional()
    .describe('record time within [from, to], offsets from the scenario start or instants'),
  ended: z
    .strictObject({ from: instant.optional(), to: instant.optional() })
    .optional()
    .describe('a span that has ended, its end within [from, to] (an on-going span matches none)'),
  fields: z.record(z.string(), z.unknown()).optional().describe('fields the record must have, compared deeply'),
});

const recordsExpectation = z.strictObject({
  name: z.string().optional(),
  records: recordMatcher.extend({ count: count.optional().describe('exact count, or {min,max}; default at least 1') }),
});

const absentExpectation = z.strictObject({
  name: z.string().optional(),
  absent: recordMatcher.partial({ kind: true }).describe(
    'no record of this device (and kind, code, ...) other than those claimed by the records expectations of the same check',
  ),
});

export const expectationSchema = z.union([recordsExpectation, absentExpectation]).meta({ title: 'expectation' });

const checkStep = z.strictObject({
  do: z.literal('check'),
  name: z.string().optional(),
  expect: z.array(expectationSchema).min(1),
});

export const stepSchema = z.discriminatedUnion('do', [waitStep, untilStep, stimulusStep, worldStep, linkStep, checkStep]).meta({ title: 'step' });

export const scenarioSchema = z.strictObject({
  id: identifier.describe('unique id, used in reports and --grep'),
  title: z.string().min(1),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  covers: z.array(z.string()).default([]).describe("requirements this scenario proves, e.g. 'Annex IC 86', 'GNS_28'"),
  requires: z
    .strictObject({
      emulated: z.array(identifier).default([]).describe('devices that must be emulated so the stimuli can act on them'),
      mayBeExternal: z.array(identifier).default([]).describe('devices that may be real devices under test'),
    })
    .default({ emulated: [], mayBeExternal: [] }),
  start: isoInstant.describe('rig time at the start of the run'),
  seed: z.number().int().optional().describe("overrides the rig's seed"),
  steps: z.array(stepSchema).default([]),
  expect: z.array(expectationSchema).default([]).describe('checked at the end of the run'),
})
  // waits a run could never finish (100 years, 1e300 ms, until 9999-12-31), or an until already behind
  .superRefine((s, ctx) => {
    for (const issue of spanIssues(s.start, s.steps)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Step = z.output<typeof stepSchema>;
export type StepInput = z.input<typeof stepSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type ExpectationInput = z.input<typeof expectationSchema>;
export type RecordMatcher = z.output<typeof recordMatcher>;
export type Instant = z.output<typeof instant>;
