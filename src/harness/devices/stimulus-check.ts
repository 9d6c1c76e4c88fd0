import { zodIssuesToPathIssues } from '../rig/yaml-errors.ts';
import type { RigView } from './device-kind.ts';

/**
 * Why a device of the rig would not take this stimulus with these arguments (as a scenario's would be
 * checked: the stimulus as that device takes it, its own names such as its cards included), or undefined when
 * it would. For a kind that names another device's stimuli in its options (bench wiring, an actuator's mapping).
 */
export function stimulusProblem(rig: RigView, device: string, stimulus: string, args: unknown): string | undefined {
  const d = rig.device(device);
  if (!d) return `no device '${device}' in this rig; it has: ${rig.deviceNames.join(', ') || 'none'}`;
  if (!d.kind) return undefined; // an unknown kind is reported where it is declared
  const spec = d.kind.stimuli[stimulus];
  if (!spec) return `device '${device}' (${d.kind.kind}) has no stimulus '${stimulus}'; it has: ${Object.keys(d.kind.stimuli).join(', ') || 'none'}`;
  if (d.options === undefined) return undefined; // its malformed options are reported where they are
  const schema = spec.argsFor?.({ name: device, options: d.options }) ?? spec.args;
  const input = args ?? {};
  const parsed = schema.safeParse(input);
  if (parsed.success) return undefined;
  // read as a scenario's arguments are (a union's branch that fits best, not "Invalid input")
  const why = zodIssuesToPathIssues(parsed.error.issues, { schema, input })
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return `device '${device}' does not take stimulus '${stimulus}' with ${JSON.stringify(args ?? {})}: ${why}`;
}
