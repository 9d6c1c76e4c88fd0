import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { MAX_TIME_SCALE, type TimeBase } from '../clock/time-base.ts';
import {
  FileIssuesError,
  closest,
  parseYamlFile,
  toFileIssues,
  zodIssuesToPathIssues,
  type PathIssue,
} from '../rig/yaml-errors.ts';

/**
 * A bench's hardware map: its USB-serial adapters by name, so a rig file says `adapter:vu-download` where it
 * would otherwise write `/dev/serial/by-id/usb-FTDI_...`. The same rig file then runs on every bench; each
 * bench keeps its own map (after Zephyr Twister's `--generate-hardware-map`). `rig bench discover --out M`
 * writes one from the adapters plugged in; people edit the names; `rig serve --write-map M` writes one for
 * the pty pairs of a stand-in DUT.
 *
 * ```yaml
 * # tacho-rig hardware map, version 1
 * version: 1
 * adapters:
 *   - name: vu-download
 *     path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0
 *     serialNumber: A10KXYZ
 *     vendorId: '0403'
 *     productId: '6001'
 *     manufacturer: FTDI
 *     loopback: false
 * ```
 */

export const HARDWARE_MAP_VERSION = 1;
export const HARDWARE_MAP_HEADER = ` tacho-rig hardware map, version ${HARDWARE_MAP_VERSION}`;

/** What a rig file's link `paths` value starts with to name an adapter of the map. */
export const ADAPTER_PREFIX = 'adapter:';

const ADAPTER_NAME = /^[A-Za-z][\w-]*$/;
const ADAPTER_NAME_HELP = 'an adapter name is letters, digits, - and _, starting with a letter';

/**
 * YAML reads an unquoted `6001` as the number 6001 and `0403` as 403: the digits a person wrote are the hex
 * id, so a whole number of up to four digits is read back as them (zero-padded). Anything else stays as it
 * is for the string check to refuse.
 */
function usbIdFromYamlNumber(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 9999) return String(value).padStart(4, '0');
  return value;
}

const UsbId = z
  .preprocess(usbIdFromYamlNumber, z.string().regex(/^[0-9a-fA-F]{4}$/, { error: "expected a USB id of 4 hex digits, e.g. '0403'" }))
  .transform((id) => id.toLowerCase());

export const HardwareAdapterSchema = z
  .strictObject({
    name: z
      .string()
      .regex(ADAPTER_NAME, { error: ADAPTER_NAME_HELP })
      .describe(`The adapter's name: a rig file's link paths refer to it as ${ADAPTER_PREFIX}<name>.`),
    path: z
      .string()
      .min(1)
      .describe('Its OS path, best a /dev/serial/by-id/... or udev alias (ttyUSB numbers change with plug order); relative to the map file.'),
    serialNumber: z.string().min(1).optional().describe("The USB serial number (SerialPort.list()), to tell adapters of one make apart."),
    vendorId: UsbId.optional().describe("USB vendor id, 4 hex digits ('0403' FTDI, '10c4' Silicon Labs, '1a86' WCH)."),
    productId: UsbId.optional().describe("USB product id, 4 hex digits ('6001' FT232R, '6015' FT-X, 'ea60' CP210x, '7523' CH340)."),
    manufacturer: z.string().min(1).optional().describe('The USB manufacturer string.'),
    loopback: z
      .boolean()
      .default(false)
      .describe('A loopback plug is fitted (TX joined to RX): rig bench check sends a pattern and expects it back. Default false.'),
  })
  .describe('One USB-serial adapter of the bench.');

export const HardwareMapSchema = z
  .strictObject({
    version: z.literal(HARDWARE_MAP_VERSION).describe(`The map format's version: ${HARDWARE_MAP_VERSION}.`),
    adapters: z.array(HardwareAdapterSchema).default([]).describe('The adapters, by name.'),
    timeBase: z
      .strictObject({
        scale: z.number().min(1).max(MAX_TIME_SCALE).describe('Rig ms per wall ms.'),
        anchor: z.number().int().describe('The UTC instant (ms since the epoch) at which rig time equals the wall.'),
      })
      .optional()
      .describe(
        'The device under test runs on a scaled time base (a stand-in served with `rig serve --time-scale K`): rig time = anchor + (UTC − anchor) × scale, and a rig run through this map follows it. A real device has none.',
      ),
  })
  .describe("A bench's USB-serial adapters by name (tacho-rig hardware map).");

export type HardwareAdapter = z.output<typeof HardwareAdapterSchema>;

export interface HardwareMap {
  version: typeof HARDWARE_MAP_VERSION;
  adapters: HardwareAdapter[];
  /** The DUT's scaled time base, written by `rig serve --time-scale` (see time-base.ts). */
  timeBase?: TimeBase;
}

/** A map read from a file: relative adapter paths are relative to it. */
export interface LoadedHardwareMap extends HardwareMap {
  file: string;
}

/** A hardware map refused: `.issues` holds every problem, each with the map's file, line and column. */
export class HardwareMapError extends FileIssuesError {
  constructor(issues: ConstructorParameters<typeof FileIssuesError>[0]) {
    super(issues);
    this.name = 'HardwareMapError';
  }
}

/** Checks map text; `file` is where it came from (for messages and relative paths). */
export function parseHardwareMap(text: string, file: string): LoadedHardwareMap {
  const parsed = parseYamlFile(text, file);
  if (parsed.syntaxIssues.length) throw new HardwareMapError(parsed.syntaxIssues);
  const raw = parsed.value;
  const issues: PathIssue[] = [];
  const result = HardwareMapSchema.safeParse(raw);
  if (!result.success) issues.push(...zodIssuesToPathIssues(result.error.issues, { schema: HardwareMapSchema, input: raw }).map(versionHint));
  issues.push(...duplicates(raw));
  if (issues.length || !result.success) throw new HardwareMapError(toFileIssues(parsed.doc, parsed.lineCounter, file, issues));
  const map: LoadedHardwareMap = { file, version: result.data.version, adapters: result.data.adapters };
  if (result.data.timeBase) map.timeBase = result.data.timeBase;
  return map;
}

export async function loadHardwareMap(file: string): Promise<LoadedHardwareMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read hardware map ${file}: ${(error as Error).message}`);
  }
  return parseHardwareMap(text, file);
}

/** A newer map than this rig reads says so, rather than "invalid input". */
function versionHint(issue: PathIssue): PathIssue {
  if (issue.path.length === 1 && issue.path[0] === 'version' && !issue.message.startsWith('missing')) {
    return { ...issue, message: `this rig reads hardware maps of version ${HARDWARE_MAP_VERSION}; ${issue.message}` };
  }
  return issue;
}

/** Two adapters of one name, or two names for one path: a rig file could not tell which is meant. */
function duplicates(raw: unknown): PathIssue[] {
  const adapters = isObject(raw) && Array.isArray(raw.adapters) ? raw.adapters : [];
  const issues: PathIssue[] = [];
  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  adapters.forEach((adapter, i) => {
    if (!isObject(adapter)) return;
    const { name, path } = adapter;
    if (typeof name === 'string') {
      const first = names.get(name);
      if (first !== undefined) issues.push({ path: ['adapters', i, 'name'], message: `duplicate adapter name '${name}' (also adapters[${first}])` });
      else names.set(name, i);
    }
    if (typeof path === 'string') {
      const first = paths.get(path);
      if (first !== undefined) issues.push({ path: ['adapters', i, 'path'], message: `path ${path} is also the path of adapters[${first}]: one adapter, one name` });
      else paths.set(path, i);
    }
  });
  return issues;
}

/** `adapter:vu-download` → `vu-download`; undefined for a plain path. */
export function adapterNameOf(value: string): string | undefined {
  return value.startsWith(ADAPTER_PREFIX) ? value.slice(ADAPTER_PREFIX.length) : undefined;
}

export function isValidAdapterName(name: string): boolean {
  return ADAPTER_NAME.test(name);
}

export type AdapterLookup = { ok: true; adapter: HardwareAdapter; path: string } | { ok: false; message: string };

/**
 * The adapter a rig file's `adapter:<name>` names, with its path made absolute (relative to the map). The
 * message of a name the map lacks names the map and what it has, with the closest name.
 */
export function lookUpAdapter(map: LoadedHardwareMap | undefined, name: string): AdapterLookup {
  if (!isValidAdapterName(name)) return { ok: false, message: `'${ADAPTER_PREFIX}${name}': ${ADAPTER_NAME_HELP}` };
  if (!map) {
    return { ok: false, message: `adapter '${name}' needs a hardware map to resolve it: give --hardware-map FILE, or hardwareMap: FILE in the rig file (rig bench discover --out FILE writes one)` };
  }
  const adapter = map.adapters.find((a) => a.name === name);
  if (!adapter) {
    const names = map.adapters.map((a) => a.name);
    const suggestion = closest(name, names);
    const has = names.length ? `it has: ${names.join(', ')}` : 'it has no adapters';
    return { ok: false, message: `adapter '${name}' is not in hardware map ${map.file}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${has}` };
  }
  return { ok: true, adapter, path: resolve(dirname(resolve(map.file)), adapter.path) };
}

/** The fields of an adapter in the order a map file shows them; loopback written always, so people see it. */
function adapterEntry(a: HardwareAdapter): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: a.name, path: a.path };
  for (const key of ['serialNumber', 'vendorId', 'productId', 'manufacturer'] as const) if (a[key] !== undefined) entry[key] = a[key];
  entry['loopback'] = a.loopback;
  return entry;
}

/**
 * The map as a file. With the text of the file it replaces, that file's comments and order stay: each
 * adapter already there (by name) has its fields updated in place, the others are appended, and entries no
 * longer in the map are removed. A person's notes beside their adapters survive `rig bench discover` again.
 */
export function renderHardwareMap(map: HardwareMap, previousText?: string): string {
  const previous = previousText === undefined ? undefined : parseDocument(previousText);
  const doc = previous && previous.errors.length === 0 && isMap(previous.contents) ? previous : undefined;
  if (!doc) {
    const fresh = parseDocument(`version: ${HARDWARE_MAP_VERSION}\nadapters: []\n`);
    fresh.commentBefore = HARDWARE_MAP_HEADER;
    fillAdapters(fresh, map.adapters);
    fillTimeBase(fresh, map.timeBase);
    return fresh.toString();
  }
  doc.set('version', HARDWARE_MAP_VERSION);
  fillAdapters(doc, map.adapters);
  fillTimeBase(doc, map.timeBase);
  return doc.toString();
}

function fillTimeBase(doc: Document, timeBase: TimeBase | undefined): void {
  if (timeBase) doc.set('timeBase', doc.createNode({ scale: timeBase.scale, anchor: timeBase.anchor }));
  else doc.delete('timeBase');
}

function fillAdapters(doc: Document, adapters: readonly HardwareAdapter[]): void {
  let seq = doc.get('adapters', true);
  if (!isSeq(seq)) {
    doc.set('adapters', doc.createNode([]));
    seq = doc.get('adapters', true);
  }
  if (!isSeq(seq)) throw new Error('internal: adapters is not a sequence');
  const wanted = new Set(adapters.map((a) => a.name));
  // entries of the old file no longer in the map go, from the end so indexes hold
  for (let i = seq.items.length - 1; i >= 0; i--) {
    const item = seq.items[i];
    const name = isMap(item) ? item.get('name') : undefined;
    if (typeof name !== 'string' || !wanted.has(name)) seq.items.splice(i, 1);
  }
  for (const adapter of adapters) {
    const entry = adapterEntry(adapter);
    const existing = seq.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === adapter.name);
    if (!existing) {
      seq.items.push(doc.createNode(entry));
      continue;
    }
    for (const [key, value] of Object.entries(entry)) if (existing.get(key) !== value) existing.set(key, value);
    for (const pair of [...existing.items]) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      if (!(key in entry)) existing.delete(key);
    }
  }
  // `adapters: []` written as a flow sequence stays one when it gains entries: make it a block list
  seq.flow = false;
}

/** Writes the map; an existing file at `file` keeps its comments (see renderHardwareMap). */
export async function writeHardwareMap(file: string, map: HardwareMap): Promise<void> {
  let previous: string | undefined;
  try {
    previous = await readFile(file, 'utf8');
  } catch {
    previous = undefined;
  }
  await writeFile(file, renderHardwareMap(map, previous));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
