import type { StimulusSpec } from '../../harness/devices/device-kind.ts';
import type { PathIssue } from '../../harness/rig/yaml-errors.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { worldStimuli } from '../../harness/world/index.ts';
import type { Expectation, Scenario } from './schema.ts';

/**
 * Checks a scenario against a rig before anything runs: every device, port, link, stimulus and record
 * source it names must exist there, and stimulus arguments must fit the stimulus. Returns path issues,
 * which the caller locates in the scenario's file.
 */
export function checkScenarioAgainstRig(scenario: Scenario, plan: RigPlan): PathIssue[] {
  const issues: PathIssue[] = [];
  const devices = new Map(plan.devices.map((d) => [d.name, d]));
  const known = () => [...devices.keys()].join(', ') || 'none';
  const device = (name: string, path: PathIssue['path']) => {
    const d = devices.get(name);
    if (!d) issues.push({ path, message: `unknown device '${name}': rig ${plan.name} has ${known()}` });
    return d;
  };

  const checkArgs = (spec: StimulusSpec<unknown>, args: unknown, path: PathIssue['path']) => {
    const parsed = spec.args.safeParse(args ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ path: [...path, ...(issue.path as (string | number)[])], message: issue.message });
    }
  };

  scenario.requires.emulated.forEach((name, i) => device(name, ['requires', 'emulated', i]));
  scenario.requires.mayBeExternal.forEach((name, i) => device(name, ['requires', 'mayBeExternal', i]));

  const checkExpectations = (list: readonly Expectation[], base: PathIssue['path']) =>
    list.forEach((e, i) => {
      const key = 'records' in e ? 'records' : 'absent';
      const name = 'records' in e ? e.records.device : e.absent.device;
      const d = device(name, [...base, i, key, 'device']);
      if (d && !d.kind.records) issues.push({ path: [...base, i, key, 'device'], message: `device '${name}' (${d.kind.kind}) has no record source to check` });
    });

  scenario.steps.forEach((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    switch (step.do) {
      case 'stimulus': {
        const d = device(step.device, at('device'));
        if (!d) return;
        if (!scenario.requires.emulated.includes(step.device)) {
          issues.push({ path: at('device'), message: `a stimulus acts on '${step.device}': list it under requires.emulated` });
        }
        const spec = d.kind.stimuli[step.name];
        if (!spec) {
          issues.push({ path: at('name'), message: `device '${step.device}' (${d.kind.kind}) has no stimulus '${step.name}'; it has: ${Object.keys(d.kind.stimuli).join(', ') || 'none'}` });
          return;
        }
        checkArgs(spec, step.args, at('args'));
        return;
      }
      case 'link': {
        if (step.link !== undefined) {
          // The rig's path to its MQTT broker is the link 'broker' (disconnect/reconnect: a broker outage).
          if (step.link === 'broker' && plan.broker && !plan.links.some((l) => l.id === step.link)) {
            if (step.action !== 'disconnect' && step.action !== 'reconnect') {
              issues.push({ path: at('action'), message: `the broker link takes disconnect and reconnect only, not '${step.action}'` });
            }
            return;
          }
          if (!plan.links.some((l) => l.id === step.link)) {
            issues.push({ path: at('link'), message: `unknown link '${step.link}': rig ${plan.name} has ${plan.links.map((l) => l.id).join(', ') || 'none'}` });
          }
          return;
        }
        const [deviceName, portName] = step.port!.split('.') as [string, string];
        const d = device(deviceName, at('port'));
        if (!d) return;
        if (!d.kind.ports[portName]) {
          issues.push({ path: at('port'), message: `device '${deviceName}' (${d.kind.kind}) has no port '${portName}'; it has: ${Object.keys(d.kind.ports).join(', ') || 'none'}` });
        } else if (!plan.links.some((l) => l.ends.includes(step.port!))) {
          issues.push({ path: at('port'), message: `port ${step.port} is on no link in rig ${plan.name}` });
        }
        return;
      }
      case 'world': {
        const spec = worldStimuli[step.name];
        if (!spec) {
          issues.push({ path: at('name'), message: `no world stimulus '${step.name}'; there are: ${Object.keys(worldStimuli).join(', ')}` });
          return;
        }
        checkArgs(spec, step.args, at('args'));
        return;
      }
      case 'check':
        checkExpectations(step.expect, at('expect'));
        return;
      default:
        return;
    }
  });
  checkExpectations(scenario.expect, ['expect']);
  return issues;
}
