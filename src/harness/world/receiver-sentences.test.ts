import nmea from 'nmea-simple';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { createWorld } from './index.ts';
import { parseRmc } from '../../protocols/nmea/index.ts';
import { sentencesFromWorld } from './receiver-sentences.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0, 250);

describe('a receiver\'s sentences from the world', () => {
  it('generates RMC and GSA from the world, at a fix and in an outage', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock);
    world.vehicle.setSpeed(90);
    world.vehicle.setHeading(90);
    await clock.advance(60_000);
    expect(sentencesFromWorld(world, clock.now())).toEqual({
      at: T0 + 60_000,
      rmc: '$GNRMC,080100.25,A,5051.018,N,00422.384,E,48.6,90.0,020326,,,D,S*31',
      gsa: [
        '$GPGSA,A,3,02,05,07,13,15,20,24,30,,,,,1.6,0.9,1.3,1*22',
        '$GLGSA,A,3,65,66,72,74,81,82,,,,,,,2.1,1.2,1.7,2*30',
        '$GAGSA,A,3,01,03,05,11,13,24,27,,,,,,1.8,1.0,1.5,3*36',
        '$GBGSA,A,1,,,,,,,,,,,,,,,,4*14',
        '$GPGSA,A,3,33,36,,,,,,,,,,,1.6,0.9,1.3,1*26',
      ],
    });
    world.gnss.setAvailable(false);
    const out = sentencesFromWorld(world, clock.now());
    expect(out.rmc).toBe('$GNRMC,080100.25,V,,,,,,,020326,,,N,V*12');
    expect(out.gsa[0]).toBe('$GPGSA,A,1,,,,,,,,,,,,,,,,1*03');
  });

  it('reports GNSS time offset from true UTC where a scenario sets one (gnssTime), the fix and position as they were', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock);
    await clock.advance(60_000);
    const before = sentencesFromWorld(world, clock.now());
    world.gnss.setTimeOffset(90_000);
    const ahead = sentencesFromWorld(world, clock.now());
    expect(ahead.rmc).toBe(before.rmc.replace('080100.25', '080230.25').replace(/\*[0-9A-F]{2}$/, ahead.rmc.slice(-3)));
    expect(ahead.rmc).toMatch(/^\$GNRMC,080230\.25,A,5051\.018,N,00421\.102,E,/);
    expect(ahead.gsa).toEqual(before.gsa);
    expect(world.gnss.timeAt(clock.now())).toBe(clock.now() + 90_000);
    // the day rolls over with it, and an earlier instant keeps the offset it had then
    world.gnss.setTimeOffset(-9 * 3_600_000);
    expect(sentencesFromWorld(world, clock.now()).rmc).toMatch(/^\$GNRMC,230100\.25,A,.*,010326,/);
    expect(world.gnss.timeAt(T0)).toBe(T0);
    world.gnss.setTimeOffset(0);
    expect(sentencesFromWorld(world, clock.now())).toEqual(before);
  });

  it('round-trips through nmea-simple, a widely used parser from npm', async () => {
    const clock = new VirtualClock({ start: T0 });
    const world = createWorld(clock, { vehicle: { start: { lat: -33.8688, lon: 151.2093 }, heading: 225 } });
    world.vehicle.setSpeed(72);
    await clock.advance(3_600_000);
    const t = clock.now();
    const p = world.vehicle.positionAt(t);
    const out = sentencesFromWorld(world, t);
    const rmc = nmea.parseNmeaSentence(out.rmc);
    expect(rmc).toMatchObject({ sentenceId: 'RMC', talkerId: 'GN', chxOk: true, status: 'valid', speedKnots: 38.9, trackTrue: 225, faaMode: 'D' });
    if (rmc.sentenceId !== 'RMC') throw new Error('not RMC');
    expect(rmc.datetime.getTime()).toBe(t - (t % 10));
    // Both parsers read what was written: 1/1000 minute is 1/60000 degree.
    expect(Math.abs(rmc.latitude - p.lat)).toBeLessThanOrEqual(0.5 / 60_000);
    expect(Math.abs(rmc.longitude - p.lon)).toBeLessThanOrEqual(0.5 / 60_000);
    expect(rmc.latitude).toBeCloseTo(parseRmc(out.rmc).lat!, 12);
    expect(rmc.longitude).toBeCloseTo(parseRmc(out.rmc).lon!, 12);
    const gsas = out.gsa.map((s) => nmea.parseNmeaSentence(s));
    expect(gsas.map((g) => g.sentenceId === 'GSA' && [g.talkerId, g.chxOk, g.fixMode, g.satellites.length, g.HDOP])).toEqual([
      ['GP', true, '3D', 8, 0.9],
      ['GL', true, '3D', 6, 1.2],
      ['GA', true, '3D', 7, 1.0],
      ['GB', true, 'none', 0, 0],
      ['GP', true, '3D', 2, 0.9],
    ]);
  });
});
