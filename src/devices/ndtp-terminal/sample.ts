import type { World } from '../../harness/world/index.ts';
import { CONSTELLATIONS } from '../../harness/world/index.ts';
import type { LevelCell, NavRecord } from '../../protocols/ndtp/index.ts';

export interface SampleSettings {
  periodMs: number;
  compartments: number;
  altitudeM: number;
  batteryVolts: number;
  /** The <Number> of the nav and sensor cells (the profile's). */
  cellNumber: number;
}

/**
 * One navigation record as the terminal makes it at rig time t from the world it senses: the vehicle's
 * position, speed and heading; the GNSS sky; the tank's compartments through the level sensors; its own
 * odometer (the vehicle's distance). Sensor values carry no time of their own: they take the navigation
 * cell's (seed 001 section 6).
 *
 * Without a fix (README "NDTP"): the valid bit (7) is clear, coordinates, hemisphere bits, speed, course
 * and altitude are 0, nsat is 0: no invented and no stale position; the time is the terminal's own clock.
 * With a fix the time is GNSS time (which a scenario may offset: a time conflict shows as a record time
 * away from the rig's).
 */
export function sampleRecord(world: World, t: number, s: SampleSettings, linkUp: boolean): NavRecord {
  const fix = world.gnss.fixAt(t);
  const time = Math.floor((fix ? world.gnss.timeAt(t) : t) / 1000);
  const view = world.gnss.viewAt(t);
  const nsat = CONSTELLATIONS.reduce((n, id) => n + view.constellations[id].satellites.length, 0);
  const distanceM = world.vehicle.distanceAt(t);
  const sinceLastM = distanceM - world.vehicle.distanceAt(Math.max(0, t - s.periodMs));
  const speedAvg = Math.round((sinceLastM / s.periodMs) * 3600);
  const speedNow = Math.round(world.vehicle.speedAt(t));
  const where = world.vehicle.positionAt(t);
  const nav = fix
    ? {
        time,
        lonE7: Math.round(Math.abs(where.lon) * 1e7),
        latE7: Math.round(Math.abs(where.lat) * 1e7),
        valid: true,
        east: where.lon >= 0,
        north: where.lat >= 0,
        sos: false,
        otherFlags: 0,
        speedAvg,
        speedMax: Math.max(speedAvg, speedNow),
        course: Math.round(((world.vehicle.headingAt(t) % 360) + 360) % 360) % 360,
        track: Math.round(sinceLastM),
        altitude: s.altitudeM,
        nsat: Math.min(255, nsat),
        // PDOP ×10 of GPS, the receiver's primary system, as a u8 (README "NDTP")
        pdop: Math.min(255, Math.round(view.constellations.gps.pdop * 10)),
      }
    : { time, lonE7: 0, latE7: 0, valid: false, east: false, north: false, sos: false, otherFlags: 0, speedAvg: 0, speedMax: 0, course: 0, track: 0, altitude: 0, nsat: 0, pdop: 0 };
  const levels: LevelCell[] = [];
  for (let n = 1; n <= s.compartments; n++) {
    const c = world.tank.compartment(n);
    levels.push({ compartment: n, level: c.level, temperatureC: c.temperatureC, strength: c.strength, status: 1 });
  }
  return {
    nav: { ...nav, batVoltage: Math.min(255, Math.round(s.batteryVolts / 0.02)) },
    navNumber: s.cellNumber,
    sensors: {
      analog: [0, 0, 0, 0],
      digitalIn: 0,
      digitalOut: 0,
      counters: [0, 0, 0, 0],
      odometer: Math.floor(distanceM / 1000),
      // GSM signal quality and GPRS state as the modem reports them: registered and attached while the link is up
      csq: linkUp ? 31 : 99,
      gprsState: linkUp ? 4 : 0,
      accelEnergy: 0,
      extVolt: 0,
    },
    sensorsNumber: s.cellNumber,
    levels,
  };
}
