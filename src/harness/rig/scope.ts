import type { RigPlan } from './rig-runtime.ts';

/**
 * The part of a rig a run needs: the named devices, every device joined to one of them by a link (to any
 * depth: a VU brings its sensor, its download equipment, and whatever those are wired to) or acting on one
 * (`DeviceKind.actsOn`: a bench actuator aimed at the VU, a relay board wired to it), and, when any of them
 * talks MQTT, every device that does (they reach each other through the broker, not through links).
 *
 * Why: a rig file describes a whole bench, and a scenario exercises one corner of it. Building only that
 * corner makes a run on the default rig several times cheaper without changing what the corner does:
 * devices draw their randomness from streams forked by name, so the devices that remain behave the same.
 * Names the plan does not hold are ignored here (validation reports them).
 */
export function scopePlan(plan: RigPlan, devices: Iterable<string>, links: Iterable<string> = []): RigPlan {
  const wanted = new Set<string>();
  const queue: string[] = [];
  const want = (name: string) => {
    if (wanted.has(name) || !plan.devices.some((d) => d.name === name)) return;
    wanted.add(name);
    queue.push(name);
  };
  for (const name of devices) want(name);
  for (const id of links) for (const end of plan.links.find((l) => l.id === id)?.ends ?? []) want(deviceOf(end));

  const networked = plan.devices.filter((d) => d.kind.usesNetwork).map((d) => d.name);
  // Bench wiring and actuators act on a device without a link (a relay board on a VU): kept together both ways.
  const acts = plan.devices.flatMap((d) => (d.kind.actsOn?.(d.options) ?? []).map((other) => [d.name, other] as const));
  while (queue.length) {
    const name = queue.shift()!;
    for (const link of plan.links) {
      const [a, b] = link.ends.map(deviceOf) as [string, string];
      if (a === name) want(b);
      if (b === name) want(a);
    }
    for (const [a, b] of acts) {
      if (a === name) want(b);
      if (b === name) want(a);
    }
    if (networked.includes(name)) networked.forEach(want);
  }
  return {
    ...plan,
    devices: plan.devices.filter((d) => wanted.has(d.name)),
    links: plan.links.filter((l) => l.ends.every((end) => wanted.has(deviceOf(end)))),
  };
}

const deviceOf = (end: string) => end.slice(0, end.indexOf('.'));
