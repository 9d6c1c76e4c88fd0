import type { RigPlan } from '../rig/rig-runtime.ts';

/**
 * Who can perform a stimulus on an external device of a rig: the first emulated device of an actuator kind
 * (`DeviceKind.actuator`: a bench actuator) aimed at that device that performs this stimulus with these
 * (checked) arguments, and how (the port it acts through). Undefined: no actuator can; a person may
 * (the operator prompt), or the step cannot run on this rig.
 */
export function actuatorFor(
  plan: Pick<RigPlan, 'devices'>,
  device: string,
  stimulus: string,
  args: unknown,
): { name: string; via: string; shortestHold?: { ms: number; why: string } } | undefined {
  for (const d of plan.devices) {
    const actuator = d.kind.actuator;
    if (!actuator || d.mode !== 'emulated' || actuator.target(d.options) !== device) continue;
    const via = actuator.performs(d.options, stimulus, args);
    const hold = via ? actuator.shortestHold?.(d.options, via) : undefined;
    if (via) return { name: d.name, via, ...(hold ? { shortestHold: hold } : {}) };
  }
  return undefined;
}
