import { z } from 'zod';
import type { RigClock } from '../clock/index.ts';
import type { StimulusSpec } from '../devices/device-kind.ts';
import { CONSTELLATIONS, GnssSky, type GnssSkyOptions } from './gnss-sky.ts';
import { VehicleTrack, type VehicleTrackOptions } from './vehicle-track.ts';
import { MAX_TANK_COMPARTMENTS, Tank } from './tank.ts';

/**
 * The physical world the devices sense: the vehicle's motion and the GNSS sky above it. It belongs to the rig, not to any
 * device, so a motion sensor and a GNSS receiver see the same vehicle unless a scenario makes them differ
 * (by acting on a device, not on the world).
 */
export interface World {
  vehicle: VehicleTrack;
  gnss: GnssSky;
  /** The tanker's compartments (issue 19: an NDTP terminal's level sensors read them). */
  tank: Tank;
}

export function createWorld(clock: RigClock, options: { vehicle?: VehicleTrackOptions; gnss?: GnssSkyOptions } = {}): World {
  return { vehicle: new VehicleTrack(clock, options.vehicle), gnss: new GnssSky(clock, options.gnss), tank: new Tank() };
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
  gnss: {
    description: 'GNSS signals are available (true) or not (false: an outage, no receiver has a fix)',
    args: z.strictObject({ available: z.boolean() }),
    toEvent: (a) => ({ type: 'world.gnss', ...a }),
    apply: (world, a: { available: boolean }) => world.gnss.setAvailable(a.available),
  },
  gnssTime: {
    description:
      'from now on every GNSS receiver reports a time this many seconds ahead of true UTC (negative: behind; 0: right again), position and fix unchanged: a GNSS simulator set to another time, or spoofing. It is how a time conflict (Annex IC 86, App. 12 §6) is provoked from outside a VU, whose clock nothing outside can skew',
    args: z.strictObject({ offsetSeconds: z.number().min(-86_400).max(86_400) }),
    toEvent: (a) => ({ type: 'world.gnssTime', ...a }),
    apply: (world, a: { offsetSeconds: number }) => world.gnss.setTimeOffset(a.offsetSeconds * 1000),
  },
  sky: {
    description: 'one constellation now offers these satellites (NMEA ids) and dilutions of precision',
    args: z.strictObject({
      constellation: z.enum(CONSTELLATIONS as [string, ...string[]]),
      satellites: z.array(z.number().int().min(1).max(99)).max(12).optional(),
      pdop: z.number().min(0).max(99.9).optional(),
      hdop: z.number().min(0).max(99.9).optional(),
      vdop: z.number().min(0).max(99.9).optional(),
    }),
    toEvent: (a) => ({ type: 'world.sky', ...a }),
    apply: (world, { constellation, ...patch }: { constellation: (typeof CONSTELLATIONS)[number] } & Record<string, unknown>) =>
      world.gnss.setConstellation(constellation, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))),
  },
  // issue 19: the tanker's load, read by an NDTP terminal's level sensors
  tank: {
    description: "what one of the tanker's compartments (1..6) holds from now on: fill level (fraction 0..1), product temperature, alcohol strength; unnamed values stay",
    args: z.strictObject({
      compartment: z.int().min(1).max(MAX_TANK_COMPARTMENTS),
      level: z.number().min(0).max(1).optional(),
      temperatureC: z.number().min(-60).max(100).optional(),
      strength: z.number().min(0).max(100).optional(),
    }),
    toEvent: (a) => ({ type: 'world.tank', ...a }),
    apply: (world, { compartment, ...patch }: { compartment: number; level?: number; temperatureC?: number; strength?: number }) =>
      world.tank.set(compartment, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))),
  },
};
