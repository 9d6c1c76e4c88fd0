import { describe, expect, it } from 'vitest';
import type { DeviceKind } from '../devices/device-kind.ts';
import type { RigPlan } from './rig-runtime.ts';
import { scopePlan } from './scope.ts';

const kind = (name: string, usesNetwork = false) => ({ kind: name, usesNetwork }) as unknown as DeviceKind;
const link = (a: string, b: string) => ({ id: `${a}-${b}`, ends: [a, b] as [string, string] }) as RigPlan['links'][number];

/** vu ─ sensor, vu ─ ide; egf ─ vu2; seal and operator on MQTT only; a lone beacon. */
const plan: RigPlan = {
  name: 'bench',
  clock: 'virtual',
  seed: 1,
  devices: [
    { name: 'vu', kind: kind('vu'), mode: 'emulated', options: {} },
    { name: 'sensor', kind: kind('motion-sensor'), mode: 'emulated', options: {} },
    { name: 'ide', kind: kind('ide'), mode: 'emulated', options: {} },
    { name: 'vu2', kind: kind('vu'), mode: 'emulated', options: {} },
    { name: 'egf', kind: kind('gnss'), mode: 'external', options: {} },
    { name: 'seal', kind: kind('seal', true), mode: 'emulated', options: {} },
    { name: 'operator', kind: kind('seal-operator', true), mode: 'emulated', options: {} },
    { name: 'reader', kind: kind('seal-reader'), mode: 'emulated', options: {} },
    { name: 'beacon', kind: kind('beacon'), mode: 'emulated', options: {} },
  ],
  links: [link('sensor.vu', 'vu.sensor'), link('ide.vu', 'vu.download'), link('egf.vu', 'vu2.gnss'), link('reader.radio', 'seal.radio')],
};
const names = (p: RigPlan) => p.devices.map((d) => d.name);

describe('scopePlan', () => {
  it('keeps a named device and everything wired to it, to any depth, with the links between them', () => {
    const scoped = scopePlan(plan, ['sensor']);
    expect(names(scoped)).toEqual(['vu', 'sensor', 'ide']);
    expect(scoped.links.map((l) => l.id)).toEqual(['sensor.vu-vu.sensor', 'ide.vu-vu.download']);
  });

  it('keeps every device that talks MQTT together with one that does, and their own wiring', () => {
    expect(names(scopePlan(plan, ['operator']))).toEqual(['seal', 'operator', 'reader']);
  });

  it('takes the devices at both ends of a link named by id', () => {
    expect(names(scopePlan(plan, [], ['egf.vu-vu2.gnss']))).toEqual(['vu2', 'egf']);
  });

  it('keeps a device acting on a kept one without a link (an actuator, bench wiring), and what it is linked to, both ways', () => {
    const aiming = { kind: 'bench-actuator', actsOn: (o: { target: string }) => [o.target] } as unknown as DeviceKind;
    const bench: RigPlan = {
      ...plan,
      devices: [...plan.devices, { name: 'actuator', kind: aiming, mode: 'emulated', options: { target: 'vu2' } }, { name: 'relay', kind: kind('relay-board'), mode: 'external', options: {} }],
      links: [...plan.links, link('actuator.relay', 'relay.host')],
    };
    expect(names(scopePlan(bench, ['vu2']))).toEqual(['vu2', 'egf', 'actuator', 'relay']);
    expect(names(scopePlan(bench, ['relay']))).toEqual(['vu2', 'egf', 'actuator', 'relay']);
    expect(names(scopePlan(bench, ['vu']))).toEqual(['vu', 'sensor', 'ide']);
  });

  it('ignores names the plan does not hold and keeps the rest of the plan as it was', () => {
    const scoped = scopePlan(plan, ['nosuch', 'beacon']);
    expect(names(scoped)).toEqual(['beacon']);
    expect(scoped.links).toEqual([]);
    expect({ ...scoped, devices: plan.devices, links: plan.links }).toEqual(plan);
  });
});
