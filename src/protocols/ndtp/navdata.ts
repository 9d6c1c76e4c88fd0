import { NdtpError } from './ndtp-error.ts';
import type { NdtpProfile } from './profiles.ts';

/**
 * The <data> of NPH_SND_REALTIME and NPH_SND_HISTORY (NPH_SRV_NAVDATA, seed 001 section 6): a sequence of
 * cells, each <Type> u8, <Number> u8, <Data>. The length of <Data> follows from <Type> alone (cells carry no
 * length), "cells follow strictly by increasing <Type>; several cells may share a Type, but then with
 * different <Number>" (the sensor's number), and sensor data takes the time of the navigation cell (it
 * carries none of its own).
 */
export const CellType = { nav: 0, sensors: 2, productLevel: 13 } as const;

/** Type 13's <Number> is the tank compartment: 1..6 (seed 001: "Type=13, N=1..6"). */
export const MAX_COMPARTMENTS = 6;
export const LEVEL_CELL_LENGTH = 13;

/**
 * Type 0, main navigation data (seed table lost; fields from the seed packets, names as the public Granit
 * layout, digest §1.2.6). Coordinates are absolute values in 1e-7 degree with the hemisphere in the flags.
 */
export interface NavCell {
  /** Unix seconds, UTC (ex: 0x4F4E1B93 = 2012-02-29T12:35:31Z). */
  time: number;
  /** |longitude| × 1e7 (ex: 496715249 = 49.6715249°). */
  lonE7: number;
  /** |latitude| × 1e7 (ex: 585969583 = 58.5969583°). */
  latE7: number;
  /** flags bit 7: the coordinates come from a valid fix. */
  valid: boolean;
  /** flags bit 6: east (else west). */
  east: boolean;
  /** flags bit 5: north (else south). */
  north: boolean;
  /** flags bit 2: the SOS button. */
  sos: boolean;
  /** flags bits 0,1,3,4: kept as received (their meaning is not known). */
  otherFlags: number;
  /** Supply voltage, u8 (units not given: the rig reads it as 20 mV steps). */
  batVoltage: number;
  /** Mean speed since the last cell, km/h. */
  speedAvg: number;
  /** 26-byte layout only: the highest speed since the last cell, km/h. */
  speedMax?: number;
  /** 26-byte layout only: course over ground, degrees 0..359. */
  course?: number;
  /** 26-byte layout only: distance since the last cell, m. */
  track?: number;
  /** Metres. */
  altitude: number;
  /** Satellites used in the fix. */
  nsat: number;
  pdop: number;
}

/** Type 2, the terminal's own sensors (digest §1.2.7). */
export interface SensorCell {
  /** an_in0..3: 16-bit values; a 12-bit converter's value × 4 (step 4, see README "NDTP"). */
  analog: [number, number, number, number];
  digitalIn: number;
  digitalOut: number;
  /** di0..3 pulse counters. */
  counters: [number, number, number, number];
  /** Odometer (ex: 51247), km in this rig. */
  odometer: number;
  /** GSM signal quality 0..31 (99: unknown). */
  csq: number;
  gprsState: number;
  /** 26-byte layout only. */
  accelEnergy?: number;
  extVolt?: number;
}

/**
 * Type 13, the product level in one tank compartment: three float32 LE and a u8. The seed gives no field
 * names; the rig reads them as fill level (fraction of the compartment, 0..1; ex 0.93518), product
 * temperature (°C; ex 20.0), alcohol strength (% by volume; ex 88.88) and a status byte (1 = the sensor
 * answers, 0 = it does not). See README "NDTP".
 */
export interface LevelCell {
  compartment: number;
  level: number;
  temperatureC: number;
  strength: number;
  status: number;
}

export interface NavRecord {
  nav: NavCell;
  /** <Number> of the Type 0 cell. */
  navNumber: number;
  sensors?: SensorCell;
  sensorsNumber?: number;
  levels: LevelCell[];
}

class Reader {
  private view: DataView;
  at = 0;
  constructor(private bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.length - this.at;
  }
  u8(): number {
    return this.view.getUint8(this.at++);
  }
  u16(): number {
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  f32(): number {
    const v = this.view.getFloat32(this.at, true);
    this.at += 4;
    return v;
  }
}

class Writer {
  private bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function cellLength(type: number, p: NdtpProfile): number | undefined {
  if (type === CellType.nav) return p.navCellLength;
  if (type === CellType.sensors) return p.sensorCellLength;
  if (type === CellType.productLevel) return LEVEL_CELL_LENGTH;
  return undefined;
}

const FLAG_VALID = 0x80;
const FLAG_EAST = 0x40;
const FLAG_NORTH = 0x20;
const FLAG_SOS = 0x04;
const OTHER_FLAGS = 0x1b;

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) throw new NdtpError('range', `${name} ${value} outside ${min}..${max}`);
}

function encodeNav(c: NavCell, p: NdtpProfile): Uint8Array {
  const flags = (c.valid ? FLAG_VALID : 0) | (c.east ? FLAG_EAST : 0) | (c.north ? FLAG_NORTH : 0) | (c.sos ? FLAG_SOS : 0) | (c.otherFlags & OTHER_FLAGS);
  const w = new Writer().u32(c.time).u32(c.lonE7).u32(c.latE7).u8(flags).u8(c.batVoltage).u16(c.speedAvg);
  if (p.navCellLength === 26) w.u16(c.speedMax ?? c.speedAvg).u16(c.course ?? 0).u16(c.track ?? 0);
  return w.u16(c.altitude).u8(c.nsat).u8(c.pdop).done();
}

function decodeNav(r: Reader, p: NdtpProfile): NavCell {
  const time = r.u32();
  const lonE7 = r.u32();
  const latE7 = r.u32();
  const flags = r.u8();
  const batVoltage = r.u8();
  const speedAvg = r.u16();
  const long = p.navCellLength === 26 ? { speedMax: r.u16(), course: r.u16(), track: r.u16() } : {};
  const cell: NavCell = {
    time,
    lonE7,
    latE7,
    valid: (flags & FLAG_VALID) !== 0,
    east: (flags & FLAG_EAST) !== 0,
    north: (flags & FLAG_NORTH) !== 0,
    sos: (flags & FLAG_SOS) !== 0,
    otherFlags: flags & OTHER_FLAGS,
    batVoltage,
    speedAvg,
    ...long,
    altitude: r.u16(),
    nsat: r.u8(),
    pdop: r.u8(),
  };
  checkRange('longitude ×1e7', lonE7, 0, 1_800_000_000);
  checkRange('latitude ×1e7', latE7, 0, 900_000_000);
  if (cell.course !== undefined) checkRange('course', cell.course, 0, 359);
  return cell;
}

function encodeSensors(s: SensorCell, p: NdtpProfile): Uint8Array {
  const w = new Writer();
  for (const a of s.analog) w.u16(a);
  w.u8(s.digitalIn).u8(s.digitalOut);
  for (const c of s.counters) w.u16(c);
  w.u32(s.odometer).u8(s.csq).u8(s.gprsState);
  if (p.sensorCellLength === 26) w.u8(s.accelEnergy ?? 0).u8(s.extVolt ?? 0);
  return w.done();
}

function decodeSensors(r: Reader, p: NdtpProfile): SensorCell {
  const analog = [r.u16(), r.u16(), r.u16(), r.u16()] as SensorCell['analog'];
  const digitalIn = r.u8();
  const digitalOut = r.u8();
  const counters = [r.u16(), r.u16(), r.u16(), r.u16()] as SensorCell['counters'];
  const odometer = r.u32();
  const csq = r.u8();
  const gprsState = r.u8();
  const long = p.sensorCellLength === 26 ? { accelEnergy: r.u8(), extVolt: r.u8() } : {};
  if (csq > 31 && csq !== 99) throw new NdtpError('range', `csq ${csq} outside 0..31 (or 99, unknown)`);
  return { analog, digitalIn, digitalOut, counters, odometer, csq, gprsState, ...long };
}

/** Bounds the rig holds a level cell to (project choice; the seed gives none). */
export const LEVEL_RANGES = { level: [0, 1], temperatureC: [-60, 100], strength: [0, 100] } as const;

function decodeLevel(r: Reader, compartment: number): LevelCell {
  const level = r.f32();
  const temperatureC = r.f32();
  const strength = r.f32();
  const status = r.u8();
  checkRange('compartment', compartment, 1, MAX_COMPARTMENTS);
  checkRange(`compartment ${compartment} level`, level, ...LEVEL_RANGES.level);
  checkRange(`compartment ${compartment} temperature`, temperatureC, ...LEVEL_RANGES.temperatureC);
  checkRange(`compartment ${compartment} strength`, strength, ...LEVEL_RANGES.strength);
  checkRange(`compartment ${compartment} status`, status, 0, 1);
  return { compartment, level, temperatureC, strength, status };
}

function encodeLevel(l: LevelCell): Uint8Array {
  return new Writer().f32(l.level).f32(l.temperatureC).f32(l.strength).u8(l.status).done();
}

export function encodeNavData(rec: NavRecord, p: NdtpProfile): Uint8Array {
  const parts: number[] = [];
  const cell = (type: number, number: number, data: Uint8Array) => parts.push(type, number, ...data);
  cell(CellType.nav, rec.navNumber, encodeNav(rec.nav, p));
  if (rec.sensors) cell(CellType.sensors, rec.sensorsNumber ?? p.singleCellNumber, encodeSensors(rec.sensors, p));
  for (const l of [...rec.levels].sort((a, b) => a.compartment - b.compartment)) cell(CellType.productLevel, l.compartment, encodeLevel(l));
  return Uint8Array.from(parts);
}

/**
 * Decodes and validates the cells: strictly ascending Type, distinct Numbers within a Type, a known length
 * for every Type, one navigation cell first (sensor values take its time: without it they have none), at
 * most one sensor cell, fields within range.
 */
export function decodeNavData(data: Uint8Array, p: NdtpProfile): NavRecord {
  const r = new Reader(data);
  let lastType = -1;
  const numbers = new Set<number>();
  let record: NavRecord | undefined;
  while (r.left > 0) {
    if (r.left < 2) throw new NdtpError('format', `${r.left} byte after the last cell`);
    const type = r.u8();
    const number = r.u8();
    if (type < lastType) throw new NdtpError('cell-order', `cell Type ${type} after Type ${lastType}`);
    if (type === lastType && numbers.has(number)) throw new NdtpError('cell-order', `a second Type ${type} cell with Number ${number}`);
    if (type !== lastType) numbers.clear();
    numbers.add(number);
    lastType = type;
    const length = cellLength(type, p);
    if (length === undefined) throw new NdtpError('cell-unknown', `cell Type ${type} (its length is unknown, nothing after it can be read)`);
    if (r.left < length) throw new NdtpError('format', `Type ${type} cell needs ${length} bytes, ${r.left} left`);
    if (type === CellType.nav) {
      if (record) throw new NdtpError('cell-order', 'a second navigation cell');
      record = { nav: decodeNav(r, p), navNumber: number, levels: [] };
      continue;
    }
    if (!record) throw new NdtpError('cell-order', `Type ${type} cell before any navigation cell: its values would have no time`);
    if (type === CellType.sensors) {
      if (record.sensors) throw new NdtpError('cell-order', 'a second internal-sensor cell');
      record.sensors = decodeSensors(r, p);
      record.sensorsNumber = number;
    } else record.levels.push(decodeLevel(r, number));
  }
  if (!record) throw new NdtpError('format', 'no navigation cell');
  return record;
}

/** Signed degrees of a navigation cell (west and south negative). */
export function navDegrees(c: NavCell): { lat: number; lon: number } {
  return { lat: ((c.north ? 1 : -1) * c.latE7) / 1e7, lon: ((c.east ? 1 : -1) * c.lonE7) / 1e7 };
}
