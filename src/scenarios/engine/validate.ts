import { aliasScenario } from './bench-adapt.ts';
import type { StimulusSpec } from '../../harness/devices/device-kind.ts';
import { formatPath, zodIssuesToPathIssues, type PathIssue } from '../../harness/rig/yaml-errors.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { worldStimuli } from '../../harness/world/index.ts';
import { matcherIssues } from './record-matchers.ts';
import { resolveRequirement } from '../requirements/catalogue.ts';
import type { Expectation, Scenario } from './schema.ts';

/**
 * Checks a scenario against a rig before anything runs: every device, port, link, stimulus and record
 * source it names must exist there; stimulus arguments must fit the stimulus as that device takes them
 * (names the rig defines, such as a VU's cards, included); every record matcher must fit what the
 * device's record source declares (kind, code, fields). Explicit expectation names are unique; every `covers`
 * entry names a requirement of the catalogue (src/scenarios/requirements/). Returns
 * path issues, which the caller locates in the scenario's file.
 */
export function checkScenarioAgainstRig(written: Scenario, plan: RigPlan): PathIssue[] {
  // a bench's devices stand for the names the scenario was written with; renaming keeps every path
  const scenario = aliasScenario(written, plan.aliases ?? {});
  const issues: PathIssue[] = [];
  const devices = new Map(plan.devices.map((d) => [d.name, d]));
  const known = () => [...devices.keys()].join(', ') || 'none';
  const device = (name: string, path: PathIssue['path']) => {
    const d = devices.get(name);
    if (!d) issues.push({ path, message: `unknown device '${name}': rig ${plan.name} has ${known()}` });
    return d;
  };

  const checkArgs = (spec: StimulusSpec<unknown>, args: unknown, path: PathIssue['path'], device?: { name: string; options: unknown }) => {
    const schema = (device && spec.argsFor?.(device)) || spec.args;
    const input = args ?? {};
    const parsed = schema.safeParse(input);
    if (!parsed.success) issues.push(...zodIssuesToPathIssues(parsed.error.issues, { schema, input, prefix: path }));
  };

  // covers names requirements of the catalogue: a misspelt id would count for nothing in the traceability matrix
  scenario.covers.forEach((text, i) => {
    const found = resolveRequirement(text);
    if ('error' in found) issues.push({ path: ['covers', i], message: found.error });
  });
  scenario.requires.emulated.forEach((name, i) => device(name, ['requires', 'emulated', i]));
  scenario.requires.mayBeExternal.forEach((name, i) => device(name, ['requires', 'mayBeExternal', i]));

  const names = new Map<string, string>();
  const checkExpectations = (list: readonly Expectation[], base: PathIssue['path']) =>
    list.forEach((e, i) => {
      const key = 'records' in e ? 'records' : 'absent';
      const matcher = 'records' in e ? e.records : e.absent;
      const d = device(matcher.device, [...base, i, key, 'device']);
      if (d && !d.kind.records) issues.push({ path: [...base, i, key, 'device'], message: `device '${matcher.device}' (${d.kind.kind}) has no record source to check` });
      else if (d?.kind.recordKinds) {
        const who = matcher.device === d.kind.kind ? matcher.device : `${matcher.device} (${d.kind.kind})`;
        for (const issue of matcherIssues(d.kind.recordKinds, matcher, who)) issues.push({ ...issue, path: [...base, i, key, ...issue.path] });
      }
      // an explicit name is how a report refers to an expectation: two alike would be one line twice
      if (e.name !== undefined) {
        const where = formatPath([...base, i, 'name']);
        const first = names.get(e.name);
        if (first) issues.push({ path: [...base, i, 'name'], message: `expectation name '${e.name}' is already used (at ${first}): names are unique in a scenario` });
        else names.set(e.name, where);
      }
    });

  scenario.steps.forEach((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    switch (step.do) {
      case 'stimulus': {
        const d = device(step.device, at('device'));
        if (!d) return;
        // a device that may be external takes its stimuli from the bench (an actuator, or an operator)
        if (!scenario.requires.emulated.includes(step.device) && !scenario.requires.mayBeExternal.includes(step.device)) {
          issues.push({ path: at('device'), message: `a stimulus acts on '${step.device}': list it under requires.emulated (or requires.mayBeExternal, where a bench's actuator or operator does it)` });
        }
        const spec = d.kind.stimuli[step.name];
        if (!spec) {
          issues.push({ path: at('name'), message: `device '${step.device}' (${d.kind.kind}) has no stimulus '${step.name}'; it has: ${Object.keys(d.kind.stimuli).join(', ') || 'none'}` });
          return;
        }
        checkArgs(spec, step.args, at('args'), d);
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
