import { existsSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import type { HardwareAdapter, HardwareMap } from './hardware-map.ts';

/**
 * `rig bench discover`: the USB-serial adapters plugged in, and a hardware map of them with generated names
 * for people to edit. A map written before keeps its names: an adapter is the same one again by its USB
 * serial number (or, for a chip without one, by the path it was found at).
 */

/** What `SerialPort.list()` says of a port (its PortInfo), the fields used here. */
export interface ListedPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export type PortLister = () => Promise<ListedPort[]>;

export interface DiscoveredAdapter {
  /** The tty node, e.g. /dev/ttyUSB0: it changes with plug order. */
  tty: string;
  /** Its /dev/serial/by-id link, where udev made one (named after vendor, model and serial number). */
  byId?: string;
  /** Its /dev/serial/by-path link: the USB socket it is plugged into. */
  byPath?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  /** The chip, from the USB ids, where known. */
  chip?: string;
}

export interface DiscoverOptions {
  /** Default: `SerialPort.list()`, else (no udevadm, e.g. in a container) the kernel's sysfs. */
  listPorts?: PortLister;
  /** Default /dev/serial: its by-id and by-path links are resolved to the tty they point at. */
  serialLinksDir?: string;
}

/**
 * The chips a bench uses, by USB vendor:product id. FTDI's are the reference bench's (hardware/adapters.md):
 * their latency timer can be set to 1 ms, App. 7's 20 ms between bytes needs less than the default 16.
 */
const CHIPS: Record<string, string> = {
  '0403:6001': 'FTDI FT232R',
  '0403:6010': 'FTDI FT2232',
  '0403:6011': 'FTDI FT4232',
  '0403:6014': 'FTDI FT232H',
  '0403:6015': 'FTDI FT-X',
  '10c4:ea60': 'Silicon Labs CP210x',
  '10c4:ea70': 'Silicon Labs CP2105',
  '1a86:7523': 'WCH CH340',
  '1a86:55d4': 'WCH CH9102',
  '067b:2303': 'Prolific PL2303',
};

export function chipOf(vendorId: string | undefined, productId: string | undefined): string | undefined {
  if (!vendorId || !productId) return undefined;
  return CHIPS[`${vendorId.toLowerCase()}:${productId.toLowerCase()}`];
}

/** The USB-serial adapters present, by tty path. A port without a USB vendor id (a UART on the board) is left out. */
export async function discoverAdapters(options: DiscoverOptions = {}): Promise<DiscoveredAdapter[]> {
  const listed = await (options.listPorts ?? defaultPortLister)();
  const linksDir = options.serialLinksDir ?? '/dev/serial';
  const byId = await linksByTarget(join(linksDir, 'by-id'));
  const byPath = await linksByTarget(join(linksDir, 'by-path'));
  const out: DiscoveredAdapter[] = [];
  for (const port of listed) {
    if (!port.vendorId) continue;
    const tty = await realpath(port.path).catch(() => port.path);
    const adapter: DiscoveredAdapter = { tty };
    const id = byId.get(tty);
    if (id) adapter.byId = id;
    const where = byPath.get(tty);
    if (where) adapter.byPath = where;
    if (port.serialNumber) adapter.serialNumber = port.serialNumber;
    adapter.vendorId = port.vendorId.toLowerCase();
    if (port.productId) adapter.productId = port.productId.toLowerCase();
    if (port.manufacturer) adapter.manufacturer = port.manufacturer;
    const chip = chipOf(port.vendorId, port.productId);
    if (chip) adapter.chip = chip;
    out.push(adapter);
  }
  return out.sort((a, b) => a.tty.localeCompare(b.tty, 'en', { numeric: true }));
}

/** The links in a directory (udev's /dev/serial/by-id), by the real path each points at. */
async function linksByTarget(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out; // no such directory: udev made no links (no adapter, or no udev)
  }
  for (const name of names.sort()) {
    const link = join(dir, name);
    const target = await realpath(link).catch(() => undefined);
    // two links to one tty (an old name and a new one): the first in name order, the same every time
    if (target && !out.has(target)) out.set(target, link);
  }
  return out;
}

/**
 * `SerialPort.list()`, which on Linux reads `udevadm info -e`; where there is no udevadm (a container, a
 * minimal image) the kernel's own view in sysfs gives the same fields.
 */
export const defaultPortLister: PortLister = async () => {
  try {
    return await SerialPort.list();
  } catch (error) {
    // a Linux host has sysfs whether or not it has udev; elsewhere SerialPort.list()'s failure stands
    if (existsSync('/sys/class/tty')) return sysfsPortLister()();
    throw new Error(`cannot list serial ports: ${(error as Error).message}`, { cause: error });
  }
};

/**
 * Serial ports from sysfs (`/sys/class/tty/ttyUSB*`, `ttyACM*`): each tty's device directory, walked up to
 * the USB device that holds `idVendor`, `idProduct`, `serial` and `manufacturer`.
 */
export function sysfsPortLister(sysRoot = '/sys', devRoot = '/dev'): PortLister {
  return async () => {
    const classDir = join(sysRoot, 'class', 'tty');
    let names: string[];
    try {
      names = await readdir(classDir);
    } catch {
      return [];
    }
    const out: ListedPort[] = [];
    for (const name of names.filter((n) => /^tty(USB|ACM)\d+$/.test(n)).sort()) {
      const device = await realpath(join(classDir, name, 'device')).catch(() => undefined);
      const usb = device ? await usbDeviceAbove(device, sysRoot) : undefined;
      const port: ListedPort = { path: join(devRoot, name) };
      if (usb) {
        const read = (attr: string) => readFile(join(usb, attr), 'utf8').then((s) => s.trim(), () => undefined);
        const [vendorId, productId, serialNumber, manufacturer] = await Promise.all([read('idVendor'), read('idProduct'), read('serial'), read('manufacturer')]);
        if (vendorId) port.vendorId = vendorId;
        if (productId) port.productId = productId;
        if (serialNumber) port.serialNumber = serialNumber;
        if (manufacturer) port.manufacturer = manufacturer;
      }
      out.push(port);
    }
    return out;
  };
}

/** The nearest directory at or above `dir` (inside sysfs) with an `idVendor` file: the USB device. */
async function usbDeviceAbove(dir: string, sysRoot: string): Promise<string | undefined> {
  for (let d = dir; d.startsWith(sysRoot) && d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'idVendor'))) return d;
  }
  return undefined;
}

/**
 * The path a map should hold for an adapter: its by-id link where the chip has a serial number (the same
 * name in whatever socket), else its by-path link (the socket: two serial-less CH340s have the same by-id
 * name, and udev gives it to whichever came last), else the tty.
 */
export function stablePathOf(adapter: DiscoveredAdapter): string {
  if (adapter.serialNumber && adapter.byId) return adapter.byId;
  return adapter.byPath ?? adapter.byId ?? adapter.tty;
}

export type DiscoveryStatus = 'new' | 'kept' | 'absent';

export interface DiscoveryRow {
  status: DiscoveryStatus;
  entry: HardwareAdapter;
  /** The adapter as found now; none for one of the old map that is not plugged in. */
  found?: DiscoveredAdapter;
}

export interface Discovery {
  map: HardwareMap;
  rows: DiscoveryRow[];
}

/**
 * The map of the adapters found, merged into an existing one: an adapter already there (same serial number,
 * or for one without a serial number the same path) keeps its name, its loopback flag and, if it still leads
 * to the adapter, its path (a udev alias a person chose stays); its USB fields are brought up to date. A new
 * one gets a name from its chip and serial number. Adapters of the old map not plugged in stay as they were.
 */
export async function mergeDiscovery(found: readonly DiscoveredAdapter[], existing?: HardwareMap): Promise<Discovery> {
  const old = existing?.adapters ?? [];
  const taken = new Set(old.map((a) => a.name));
  const matched = new Set<HardwareAdapter>();
  const rows: DiscoveryRow[] = [];
  for (const adapter of found) {
    const previous = await matchOf(adapter, old, matched);
    if (previous) {
      matched.add(previous);
      const path = (await leadsTo(previous.path, adapter.tty)) ? previous.path : stablePathOf(adapter);
      rows.push({ status: 'kept', entry: entryOf(adapter, previous.name, path, previous.loopback), found: adapter });
      continue;
    }
    const name = freshName(adapter, taken);
    taken.add(name);
    rows.push({ status: 'new', entry: entryOf(adapter, name, stablePathOf(adapter), false), found: adapter });
  }
  const adapters: HardwareAdapter[] = [];
  // the old map's order first, so a re-discovery does not reshuffle a file people edit
  for (const a of old) {
    const row = rows.find((r) => r.status === 'kept' && r.entry.name === a.name);
    adapters.push(row ? row.entry : a);
    if (!row) rows.push({ status: 'absent', entry: a });
  }
  for (const row of rows) if (row.status === 'new') adapters.push(row.entry);
  return { map: { version: 1, adapters }, rows };
}

async function matchOf(adapter: DiscoveredAdapter, old: readonly HardwareAdapter[], matched: Set<HardwareAdapter>): Promise<HardwareAdapter | undefined> {
  const free = old.filter((a) => !matched.has(a));
  if (adapter.serialNumber) {
    const bySerial = free.find((a) => a.serialNumber === adapter.serialNumber && (!a.vendorId || a.vendorId === adapter.vendorId));
    if (bySerial) return bySerial;
  }
  // no serial number to go by (a CH340), or an entry written without one: the same path
  for (const a of free) {
    if (a.serialNumber && adapter.serialNumber && a.serialNumber !== adapter.serialNumber) continue;
    if ([adapter.tty, adapter.byId, adapter.byPath].includes(a.path) || (await leadsTo(a.path, adapter.tty))) return a;
  }
  return undefined;
}

async function leadsTo(path: string, tty: string): Promise<boolean> {
  return (await realpath(path).catch(() => undefined)) === tty;
}

function entryOf(adapter: DiscoveredAdapter, name: string, path: string, loopback: boolean): HardwareAdapter {
  const entry: HardwareAdapter = { name, path, loopback };
  if (adapter.serialNumber) entry.serialNumber = adapter.serialNumber;
  if (adapter.vendorId) entry.vendorId = adapter.vendorId;
  if (adapter.productId) entry.productId = adapter.productId;
  if (adapter.manufacturer) entry.manufacturer = adapter.manufacturer;
  return entry;
}

/** `ft232r-A10KXYZ`, `cp210x-0001`, `ch340-1` (no serial number: numbered), unique among `taken`. */
function freshName(adapter: DiscoveredAdapter, taken: ReadonlySet<string>): string {
  const chip = (adapter.chip?.split(' ').at(-1) ?? `usb-${adapter.vendorId ?? 'serial'}`).toLowerCase().replace(/[^a-z0-9-]/g, '');
  const stem = /^[a-z]/.test(chip) ? chip : `usb-${chip}`;
  const serial = adapter.serialNumber?.replace(/[^\w-]/g, '_');
  if (serial && !taken.has(`${stem}-${serial}`)) return `${stem}-${serial}`;
  const base = serial ? `${stem}-${serial}` : stem;
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The adapters as a table: name, path the map holds, tty, serial number, ids, manufacturer, chip, status. */
export function renderDiscovery(rows: readonly DiscoveryRow[]): string {
  const header = ['name', 'path', 'tty', 'serial', 'vid:pid', 'manufacturer', 'chip', ''];
  const table = rows.map((r) => [
    r.entry.name,
    r.entry.path,
    r.found ? basename(r.found.tty) : '-',
    r.entry.serialNumber ?? '-',
    r.entry.vendorId ? `${r.entry.vendorId}:${r.entry.productId ?? '????'}` : '-',
    r.entry.manufacturer ?? '-',
    (r.found?.chip ?? chipOf(r.entry.vendorId, r.entry.productId)) ?? '-',
    r.status === 'new' ? 'new' : r.status === 'kept' ? 'kept its name' : 'not plugged in',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  return [header, ...table].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
