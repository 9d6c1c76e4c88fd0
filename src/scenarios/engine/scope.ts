import { BROKER_LINK_ID } from '../../harness/broker/index.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { scopePlan } from '../../harness/rig/scope.ts';
import type { Expectation, Scenario } from './schema.ts';

/** Devices and links a scenario names: in its requirements, stimuli, link steps and expectations. */
export function scenarioReferences(scenario: Scenario): { devices: Set<string>; links: Set<string> } {
  const devices = new Set<string>([...scenario.requires.emulated, ...scenario.requires.mayBeExternal]);
  const links = new Set<string>();
  const expectation = (e: Expectation) => devices.add('records' in e ? e.records.device : e.absent.device);
  for (const step of scenario.steps) {
    if (step.do === 'stimulus') devices.add(step.device);
    if (step.do === 'link') {
      if (step.link !== undefined) links.add(step.link);
      if (step.port !== undefined) devices.add(step.port.slice(0, step.port.indexOf('.')));
    }
    if (step.do === 'check') step.expect.forEach(expectation);
  }
  scenario.expect.forEach(expectation);
  return { devices, links };
}

/**
 * The part of the rig a scenario runs on (see `scopePlan`): what it names and what that is wired to. The
 * broker stays only when a device that talks MQTT remains or a step acts on the broker itself.
 */
export function scenarioPlan(scenario: Scenario, plan: RigPlan): RigPlan {
  const { devices, links } = scenarioReferences(scenario);
  const scoped = scopePlan(plan, devices, links);
  const needsBroker = links.has(BROKER_LINK_ID) || scoped.devices.some((d) => d.kind.usesNetwork);
  return needsBroker ? scoped : { ...scoped, broker: undefined };
}
