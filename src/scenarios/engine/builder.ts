import { formatPath, zodIssuesToPathIssues } from '../../harness/rig/yaml-errors.ts';
import type { FaultSettings } from '../../harness/links/index.ts';
import { scenarioSchema, type ExpectationInput, type Scenario, type ScenarioInput, type StepInput } from './schema.ts';

type Matcher = Extract<ExpectationInput, { records: unknown }>['records'];
type AbsentMatcher = Extract<ExpectationInput, { absent: unknown }>['absent'];
type LinkAction = 'disconnect' | 'reconnect' | 'pause' | 'resume';

/** Collects expectations for a check or for the end of the run. */
export class ExpectationList {
  readonly items: ExpectationInput[] = [];

  /** Records that must be there: `count` exact or {min,max}; at least one by default. */
  records(matcher: Matcher, name?: string): this {
    this.items.push({ name, records: matcher });
    return this;
  }

  /** Nothing else: no record of this device (and kind...) beyond those the `records` expectations claimed. */
  absent(matcher: AbsentMatcher, name?: string): this {
    this.items.push({ name, absent: matcher });
    return this;
  }
}

/**
 * The typed way to write a scenario in TypeScript. It produces the same data a YAML scenario holds and
 * validates it with the same schema, so both forms run and report alike.
 *
 *   export default scenario('card-insertion-while-driving')
 *     .title('Card inserted while driving raises 0x05').covers('Annex IC 3.12.1')
 *     .emulated('vu', 'sensor').start('2026-03-02T08:00:00Z')
 *     .stimulus('sensor', 'setSpeed', { kmh: 50 }).wait('5m')
 *     .expect((e) => e.records({ device: 'vu', kind: 'event', code: 0x05, count: 1 }).absent({ device: 'vu', kind: 'event' }))
 *     .build();
 */
export class ScenarioBuilder {
  private data: ScenarioInput;
  private final = new ExpectationList();

  constructor(id: string) {
    this.data = { id, title: id, start: '1970-01-01T00:00:00Z', steps: [], tags: [], covers: [], requires: { emulated: [], mayBeExternal: [] } };
  }

  title(title: string): this {
    this.data.title = title;
    return this;
  }

  description(text: string): this {
    this.data.description = text;
    return this;
  }

  tags(...tags: string[]): this {
    this.data.tags!.push(...tags);
    return this;
  }

  covers(...requirements: string[]): this {
    this.data.covers!.push(...requirements);
    return this;
  }

  emulated(...devices: string[]): this {
    this.data.requires!.emulated!.push(...devices);
    return this;
  }

  mayBeExternal(...devices: string[]): this {
    this.data.requires!.mayBeExternal!.push(...devices);
    return this;
  }

  start(iso: string): this {
    this.data.start = iso;
    return this;
  }

  seed(seed: number): this {
    this.data.seed = seed;
    return this;
  }

  wait(duration: string | number, note?: string): this {
    return this.step({ do: 'wait', for: duration, note });
  }

  until(at: string | number, note?: string): this {
    return this.step({ do: 'until', at, note });
  }

  stimulus(device: string, name: string, args?: Record<string, unknown>, note?: string): this {
    return this.step({ do: 'stimulus', device, name, args, note });
  }

  /** Acts on the physical world: `world('speed', { kmh: 50 })`, `world('stop')`. */
  world(name: string, args?: Record<string, unknown>, note?: string): this {
    return this.step({ do: 'world', name, args, note });
  }

  /** A line action on the link holding `port` (`device.port`). */
  link(port: string, action: LinkAction, note?: string): this {
    return this.step({ do: 'link', port, action, note });
  }

  faults(port: string, faults: Partial<FaultSettings>, direction?: 'a->b' | 'b->a'): this {
    return this.step({ do: 'link', port, action: 'faults', faults, direction });
  }

  /** Expectations evaluated now, in the middle of the run (e.g. "nothing yet at 2 h 59 min"). */
  check(name: string, build: (e: ExpectationList) => unknown): this {
    const list = new ExpectationList();
    build(list);
    return this.step({ do: 'check', name, expect: list.items });
  }

  /** Expectations evaluated at the end of the run. */
  expect(build: (e: ExpectationList) => unknown): this {
    build(this.final);
    return this;
  }

  /** The scenario, or an error listing every problem as `path: message` (the same messages a YAML file gets). */
  build(): Scenario {
    const result = scenarioSchema.safeParse({ ...this.data, expect: this.final.items });
    if (result.success) return result.data;
    const problems = zodIssuesToPathIssues(result.error.issues, { schema: scenarioSchema });
    throw new Error(`scenario '${this.data.id}': ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`);
  }

  private step(step: StepInput): this {
    this.data.steps!.push(step);
    return this;
  }
}

export function scenario(id: string): ScenarioBuilder {
  return new ScenarioBuilder(id);
}
