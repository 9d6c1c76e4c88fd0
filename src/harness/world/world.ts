import { z } from 'zod';
import type { RigClock } from '../clock/index.ts';
import type { StimulusSpec } from '../devices/device-kind.ts';
import { VehicleTrack, type VehicleTrackOptions } from './vehicle-track.ts';

/**
 * The physical world the devices sense: for now the vehicle's motion. It belongs to the rig, not to any
 * device, so a motion sensor and a GNSS receiver see the same vehicle unless a scenario makes them differ
 * (by acting on a device, not on the world).
 */
export interface World {
  vehicle: VehicleTrack;
}

export function createWorld(clock: RigClock, options: { vehicle?: VehicleTrackOptions } = {}): World {
  return { vehicle: new VehicleTrack(clock, options.vehicle) };
}

const latLon = { lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) };

/** Scenario stimuli on the world (`do: world`), validated like device stimuli. */
export const worldStimuli: Record<string, StimulusSpec<any> & { apply(world: World, args: any): void }> = {
  speed: {
    description: 'the vehicle drives at this speed from now on (0 stops it)',
    args: z.strictObject({ kmh: z.number().min(0).max(300) }),
    toEvent: (a) => ({ type: 'world.speed', ...a }),
    apply: (world, a: { kmh: number }) => world.vehicle.setSpeed(a.kmh),
  },
  stop: {
    description: 'the vehicle stops',
    args: z.strictObject({}),
    toEvent: () => ({ type: 'world.stop' }),
    apply: (world) => world.vehicle.setSpeed(0),
  },
  heading: {
    description: 'the vehicle turns to this heading (degrees clockwise from north)',
    args: z.strictObject({ degrees: z.number() }),
    toEvent: (a) => ({ type: 'world.heading', ...a }),
    apply: (world, a: { degrees: number }) => world.vehicle.setHeading(a.degrees),
  },
  position: {
    description: 'the vehicle is now at this place (a ferry, a new start)',
    args: z.strictObject(latLon),
    toEvent: (a) => ({ type: 'world.position', ...a }),
    apply: (world, a: { lat: number; lon: number }) => world.vehicle.moveTo(a),
  },
};
