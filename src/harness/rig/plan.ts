import type { DeviceRegistry } from '../devices/registry.ts';
import type { ResolvedRig } from './rig-schema.ts';
import type { RigPlan } from './rig-runtime.ts';

/** A checked rig file turned into what the runtime builds: kinds looked up, OS paths attached. */
export function planFromRig(rig: ResolvedRig, registry: DeviceRegistry): RigPlan {
  return {
    name: rig.name,
    clock: rig.clock,
    seed: rig.seed,
    broker: rig.broker,
    devices: rig.devices.map((d) => {
      const kind = registry.get(d.kind);
      if (!kind) throw new Error(`rig ${rig.name}: device kind '${d.kind}' is not registered`);
      return { name: d.name, kind, mode: d.mode, options: d.options };
    }),
    links: rig.links.map((l) => ({ ...l })),
    aliases: { ...rig.aliases },
    windowSlackMs: rig.windowSlackMs,
    // a stand-in DUT on a scaled time base: the rig follows it (hardware-map.ts)
    ...(rig.hardwareMap?.timeBase && { timeBase: rig.hardwareMap.timeBase }),
  };
}
