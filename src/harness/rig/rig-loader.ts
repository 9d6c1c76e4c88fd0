import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { adapterNameOf, loadHardwareMap, lookUpAdapter, type LoadedHardwareMap } from '../bench/hardware-map.ts';
import type { DeviceKind, RigView } from '../devices/device-kind.ts';
import { loadDeviceModules, type DeviceRegistry } from '../devices/registry.ts';
import {
  DEFAULT_BAUD,
  DEFAULT_FRAMING,
  RigDeviceSchema,
  RigFileSchema,
  RigLinkSchema,
  defaultLinkId,
  parseFraming,
  resolveFaults,
  type ClockMode,
  type ResolvedBroker,
  type ResolvedLink,
  type ResolvedRig,
  type RigBroker,
  type RigDevice,
  type RigFile,
  type RigLinkSpec,
} from './rig-schema.ts';
import {
  FileIssuesError,
  closest,
  formatPath,
  parseYamlFile,
  toFileIssues,
  zodIssuesToPathIssues,
  type FileIssue,
  type ParsedYamlFile,
  type PathIssue,
} from './yaml-errors.ts';

/** A rig file refused: `.issues` holds every problem found, each with its file, line and column. */
export class RigFileError extends FileIssuesError {
  constructor(issues: readonly FileIssue[]) {
    super(issues);
    this.name = 'RigFileError';
  }
}

export interface LoadedRig extends ResolvedRig {
  /** The rig file's path, as given. */
  file: string;
  /** The registry the rig was checked against: the one given, plus the kinds of the rig's `modules`. */
  registry: DeviceRegistry;
}

export interface RigLoadOptions {
  /**
   * The hardware map resolving the links' `adapter:<name>` paths (`--hardware-map`), instead of the rig
   * file's own `hardwareMap` (which is relative to the rig file).
   */
  hardwareMap?: string;
}

/**
 * Reads, checks and resolves a rig file, first loading its `modules` (relative to the file) into the registry
 * and its hardware map (the one given, else the file's `hardwareMap`).
 */
export async function loadRigFile(path: string, registry: DeviceRegistry, options: RigLoadOptions = {}): Promise<LoadedRig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read rig file ${path}: ${(error as Error).message}`);
  }
  const parsed = parseYamlFile(text, path);
  if (parsed.syntaxIssues.length) throw new RigFileError(parsed.syntaxIssues);
  const modules = await loadModules(parsed.value, dirname(resolve(path)), registry);
  const map = await loadMap(parsed.value, dirname(resolve(path)), options.hardwareMap);
  const rig = checkAndResolve(parsed, path, modules.registry, [...modules.issues, ...map.issues], map.map);
  return { ...rig, file: path, registry: modules.registry };
}

/**
 * The hardware map named on the command line, else by the rig file's `hardwareMap` (relative to it). One the
 * command line names and that cannot be read is an error of the command; one the rig file names, an issue at
 * its `hardwareMap` key. A map that reads but is malformed throws its own issues (its file, its lines).
 */
async function loadMap(raw: unknown, baseDir: string, given: string | undefined): Promise<{ map?: LoadedHardwareMap; issues: PathIssue[] }> {
  if (given !== undefined) return { map: await loadHardwareMap(given), issues: [] };
  const named = RigFileSchema.shape.hardwareMap.safeParse(isObject(raw) ? raw.hardwareMap : undefined);
  // a malformed `hardwareMap` is reported by the schema check
  if (!named.success || named.data === undefined) return { issues: [] };
  const file = resolve(baseDir, named.data);
  try {
    return { map: await loadHardwareMap(file), issues: [] };
  } catch (error) {
    if (error instanceof FileIssuesError) throw error;
    return { issues: [{ path: ['hardwareMap'], message: (error as Error).message }] };
  }
}

/**
 * Checks and resolves rig text. The registry must already hold every kind the rig uses, and `hardwareMap`
 * is the map its `adapter:` paths resolve through: `modules` and the file's `hardwareMap` are loaded by
 * {@link loadRigFile} only.
 */
export function parseRig(text: string, file: string, registry: DeviceRegistry, options: { hardwareMap?: LoadedHardwareMap } = {}): ResolvedRig {
  const parsed = parseYamlFile(text, file);
  if (parsed.syntaxIssues.length) throw new RigFileError(parsed.syntaxIssues);
  return checkAndResolve(parsed, file, registry, [], options.hardwareMap);
}

async function loadModules(
  raw: unknown,
  baseDir: string,
  registry: DeviceRegistry,
): Promise<{ registry: DeviceRegistry; issues: PathIssue[] }> {
  const modules = RigFileSchema.shape.modules.safeParse(isObject(raw) ? raw.modules : undefined);
  // a malformed `modules` is reported by the schema check
  if (!modules.success) return { registry, issues: [] };
  const kinds: DeviceKind<any>[] = [];
  const issues: PathIssue[] = [];
  for (const [i, module] of modules.data.entries()) {
    try {
      kinds.push(...(await loadDeviceModules([module], baseDir)));
    } catch (error) {
      issues.push({ path: ['modules', i], message: (error as Error).message });
    }
  }
  try {
    return { registry: registry.with(kinds), issues };
  } catch (error) {
    return { registry, issues: [...issues, { path: ['modules'], message: (error as Error).message }] };
  }
}

function checkAndResolve(
  parsed: ParsedYamlFile,
  file: string,
  registry: DeviceRegistry,
  earlier: PathIssue[],
  map: LoadedHardwareMap | undefined,
): ResolvedRig {
  const raw = parsed.value;
  const structure = RigFileSchema.safeParse(raw);
  const issues = [...earlier];
  if (!structure.success) {
    issues.push(...zodIssuesToPathIssues(structure.error.issues, { schema: RigFileSchema, input: raw }));
  }
  const checked = checkReferences(partsOf(raw), registry, map);
  issues.push(...checked.issues);
  if (issues.length || !structure.success) {
    throw new RigFileError(toFileIssues(parsed.doc, parsed.lineCounter, file, issues));
  }
  return resolveRig(structure.data, file, registry, checked.options, map);
}

/**
 * The parts of the rig that are well-formed on their own. Cross-reference checks run on these even when
 * another part of the file is malformed, so one pass reports a typo in one link and an unknown kind in a
 * device together.
 */
interface RigParts {
  clock?: ClockMode;
  /** Every device named in the file; undefined where the device itself is malformed. */
  devices: Map<string, RigDevice | undefined>;
  links: (RigLinkSpec | undefined)[];
  aliases: Record<string, unknown>;
}

function partsOf(raw: unknown): RigParts {
  const top = isObject(raw) ? raw : {};
  const clock = RigFileSchema.shape.clock.safeParse(top.clock);
  const devices = new Map<string, RigDevice | undefined>();
  if (isObject(top.devices)) {
    for (const [name, device] of Object.entries(top.devices)) devices.set(name, RigDeviceSchema.safeParse(device).data);
  }
  const links = Array.isArray(top.links) ? top.links.map((link) => RigLinkSchema.safeParse(link).data) : [];
  const aliases = isObject(top.aliases) ? top.aliases : {};
  return { clock: clock.data, devices, links, aliases };
}

interface Checked {
  issues: PathIssue[];
  /** Each device's options as output by its kind's schema. */
  options: Map<string, unknown>;
}

function checkReferences(parts: RigParts, registry: DeviceRegistry, map: LoadedHardwareMap | undefined): Checked {
  const issues: PathIssue[] = [];
  /** Where each adapter of the map is already used, for a second use. */
  const adapterUsers = new Map<string, string>();
  const options = new Map<string, unknown>();
  const kinds = new Map<string, DeviceKind<any>>();

  for (const [name, device] of parts.devices) {
    if (!device) continue;
    const at = ['devices', name];
    const kind = registry.get(device.kind);
    if (!kind) {
      issues.push({ path: [...at, 'kind'], message: unknownKind(device.kind, registry.names()) });
    } else {
      kinds.set(name, kind);
      const input = device.options ?? {};
      const result = kind.options.safeParse(input);
      if (result.success) options.set(name, result.data);
      else {
        const context = { schema: kind.options, input, prefix: [...at, 'options'] };
        issues.push(...zodIssuesToPathIssues(result.error.issues, context));
      }
    }
    if (device.mode === 'external' && parts.clock === 'virtual') {
      issues.push({
        path: [...at, 'mode'],
        message: 'an external device needs clock: wall (a real device cannot run on virtual time)',
      });
    }
  }

  const portUsers = new Map<string, number>();
  const linkIds = new Map<string, number>();
  parts.links.forEach((link, i) => {
    if (!link) return;
    const at = ['links', i];
    const id = link.id ?? defaultLinkId(link.ends);
    const sameId = linkIds.get(id);
    if (sameId !== undefined) {
      const first = formatPath(['links', sameId]);
      issues.push({ path: [...at, 'id'], message: `duplicate link id '${id}' (also ${first})` });
    } else {
      linkIds.set(id, i);
    }

    const external: string[] = [];
    link.ends.forEach((end, j) => {
      const endPath = [...at, 'ends', j];
      const { device: deviceName, port } = splitPort(end);
      if (!parts.devices.has(deviceName)) {
        issues.push({ path: endPath, message: unknownDevice(deviceName, [...parts.devices.keys()]) });
        return;
      }
      if (parts.devices.get(deviceName)?.mode === 'external') external.push(deviceName);
      const kind = kinds.get(deviceName);
      if (kind && !Object.hasOwn(kind.ports, port)) {
        issues.push({ path: endPath, message: unknownPort(deviceName, kind, port) });
        return;
      }
      if (j === 1 && end === link.ends[0]) {
        issues.push({ path: endPath, message: `a link cannot join port ${end} to itself` });
        return;
      }
      const user = portUsers.get(end);
      if (user !== undefined) {
        const other = `'${linkId(parts.links[user]!)}' (${formatPath(['links', user])})`;
        issues.push({ path: endPath, message: `port ${end} is already used by link ${other}` });
      } else {
        portUsers.set(end, i);
      }
    });

    if (external.length === 2) {
      issues.push({
        path: [...at, 'ends'],
        message: 'both ends are on external devices: the rig would have nothing to drive on this link',
      });
    } else if (link.transport === 'memory' && external.length) {
      issues.push({
        path: [...at, 'transport'],
        message: `a memory link cannot reach external device '${external[0]}': use transport pty or serial`,
      });
    }
    issues.push(...checkPaths(link, at, parts));
    issues.push(...checkAdapters(link, at, map, adapterUsers));
  });
  // an alias stands for a device of the rig and is not itself one (a scenario's name would be ambiguous)
  for (const [alias, target] of Object.entries(parts.aliases)) {
    if (parts.devices.has(alias)) issues.push({ path: ['aliases', alias], message: `'${alias}' is a device of this rig: an alias names a device the rig does not have` });
    if (typeof target === 'string' && !parts.devices.has(target)) {
      issues.push({ path: ['aliases', alias], message: `alias '${alias}' stands for '${target}', which is no device of this rig (it has: ${[...parts.devices.keys()].join(', ') || 'none'})` });
    }
  }
  issues.push(...checkAcrossDevices(parts, kinds, options, new Set(portUsers.keys())));
  return { issues, options };
}

/** Each kind's own check of its device against the rest of the rig (an actuator's target, a relay board's wiring). */
function checkAcrossDevices(parts: RigParts, kinds: Map<string, DeviceKind<any>>, options: Map<string, unknown>, linked: Set<string>): PathIssue[] {
  const view: RigView = {
    device: (name) => {
      const device = parts.devices.get(name);
      if (!device) return undefined;
      return { kind: kinds.get(name), mode: device.mode, options: options.get(name) };
    },
    deviceNames: [...parts.devices.keys()],
    linked: (port) => linked.has(port),
  };
  const issues: PathIssue[] = [];
  for (const [name, kind] of kinds) {
    if (!kind.checkRig || !options.has(name)) continue;
    for (const issue of kind.checkRig({ name, mode: parts.devices.get(name)!.mode, options: options.get(name) }, view)) {
      issues.push({ path: ['devices', name, 'options', ...issue.path], message: issue.message });
    }
  }
  return issues;
}

function checkPaths(link: RigLinkSpec, at: (string | number)[], parts: RigParts): PathIssue[] {
  const issues: PathIssue[] = [];
  const paths = Object.keys(link.paths);
  if (link.transport === 'memory' && paths.length) {
    return [{ path: [...at, 'paths'], message: 'a memory link has no OS paths' }];
  }
  for (const end of paths) {
    if (!link.ends.includes(end)) {
      issues.push({
        path: [...at, 'paths', end],
        at: 'key',
        message: `'${end}' is not an end of this link (ends: ${link.ends.join(', ')})`,
      });
    }
  }
  if (link.transport === 'tcp') return [...issues, ...checkTcpPaths(link, at, parts)];
  if (link.transport !== 'serial') return issues;
  for (const end of link.ends) {
    const device = parts.devices.get(splitPort(end).device);
    if (!device) continue;
    const hasPath = Object.hasOwn(link.paths, end);
    if (device.mode === 'emulated' && !hasPath) {
      issues.push({
        path: [...at, 'paths', end],
        message: `a serial link needs the OS path of its local end ${end}, e.g. paths: { ${end}: /dev/ttyUSB0 }`,
      });
    } else if (device.mode === 'external' && hasPath) {
      issues.push({
        path: [...at, 'paths', end],
        at: 'key',
        message:
          `${end} is on external device '${splitPort(end).device}': ` +
          'a serial link takes paths only for its local (emulated) ends',
      });
    }
  }
  return issues;
}

/**
 * A tcp link (issue 19): only the second, listening end takes a path, `tcp://host:port`: where the rig
 * listens (port 0: any free one) or, on an external device (an outside collection server), where it connects.
 */
function checkTcpPaths(link: RigLinkSpec, at: (string | number)[], parts: RigParts): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [end, url] of Object.entries(link.paths)) {
    if (end === link.ends[0]) {
      issues.push({ path: [...at, 'paths', end], at: 'key', message: `${end} is the connecting end of a tcp link: only the listening end (${link.ends[1]}) takes a path` });
    } else if (!/^tcp:\/\/([^\s:/]+|\[[0-9a-fA-F:]+\]):\d{1,5}\/?$/.test(url)) {
      issues.push({ path: [...at, 'paths', end], message: `'${url}' is not a TCP address like tcp://127.0.0.1:5555` });
    }
  }
  const server = link.ends[1];
  if (parts.devices.get(splitPort(server).device)?.mode === 'external' && !Object.hasOwn(link.paths, server)) {
    issues.push({ path: [...at, 'paths', server], message: `${server} is on an external device: give the address to connect to, e.g. paths: { ${server}: tcp://10.0.0.5:5555 }` });
  }
  return issues;
}

/**
 * `adapter:<name>` paths: on serial links only (a pty link's path is a symlink the rig makes itself), each a
 * name the hardware map has, each adapter on one end only.
 */
function checkAdapters(link: RigLinkSpec, at: (string | number)[], map: LoadedHardwareMap | undefined, users: Map<string, string>): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [end, value] of Object.entries(link.paths)) {
    const name = adapterNameOf(value);
    if (name === undefined) continue;
    const where = [...at, 'paths', end];
    if (link.transport !== 'serial') {
      issues.push({ path: where, message: `'${value}': adapters of the hardware map are for serial links; a ${link.transport} link's path is one the rig makes` });
      continue;
    }
    const found = lookUpAdapter(map, name);
    if (!found.ok) {
      issues.push({ path: where, message: found.message });
      continue;
    }
    const user = users.get(name);
    if (user !== undefined) issues.push({ path: where, message: `adapter '${name}' already carries ${user}: one adapter, one port` });
    else users.set(name, `${end} (${formatPath(at)})`);
  }
  return issues;
}

function resolveRig(file: RigFile, path: string, registry: DeviceRegistry, options: Map<string, unknown>, map: LoadedHardwareMap | undefined): ResolvedRig {
  const devices = Object.entries(file.devices).map(([name, device]) => ({
    name,
    kind: device.kind,
    mode: device.mode,
    options: options.get(name),
  }));
  const links = file.links.map((link): ResolvedLink => {
    const declaredBaud = link.ends
      .map((end) => {
        const { device, port } = splitPort(end);
        return registry.get(file.devices[device]!.kind)?.ports[port]?.baud;
      })
      .find((baud) => baud !== undefined);
    return {
      id: linkId(link),
      ends: [link.ends[0], link.ends[1]],
      transport: link.transport,
      baud: link.baud ?? declaredBaud ?? DEFAULT_BAUD,
      framing: parseFraming(link.framing ?? DEFAULT_FRAMING),
      pacing: link.pacing,
      ...(link.deliveryQuantumMs === undefined ? {} : { deliveryQuantumMs: link.deliveryQuantumMs }),
      ...(link.timingAllowanceMs === undefined ? {} : { timingAllowanceMs: link.timingAllowanceMs }),
      faults: resolveFaults(link.faults),
      trace: link.trace,
      ...resolvePaths(link.paths, map),
    };
  });
  const rig: ResolvedRig = {
    name: file.name ?? basename(path, extname(path)),
    clock: file.clock,
    seed: file.seed,
    broker: resolveBroker(file.broker, dirname(resolve(path))),
    devices,
    links,
    aliases: { ...file.aliases },
    windowSlackMs: file.windowSlackMs,
  };
  if (file.description !== undefined) rig.description = file.description;
  if (map) rig.hardwareMap = map;
  return rig;
}

/** A link's paths with `adapter:<name>` made the adapter's path (checked before), and which adapter each was. */
function resolvePaths(written: Record<string, string>, map: LoadedHardwareMap | undefined): { paths: Record<string, string>; adapters?: Record<string, string> } {
  const paths: Record<string, string> = {};
  const adapters: Record<string, string> = {};
  for (const [end, value] of Object.entries(written)) {
    const name = adapterNameOf(value);
    const found = name === undefined ? undefined : lookUpAdapter(map, name);
    if (found?.ok) {
      paths[end] = found.path;
      adapters[end] = name!;
    } else paths[end] = value;
  }
  return Object.keys(adapters).length ? { paths, adapters } : { paths };
}

function resolveBroker(broker: RigBroker, baseDir: string): ResolvedBroker {
  if (broker === 'embedded') return { type: 'embedded' };
  if (typeof broker === 'string') return { type: 'external', url: broker };
  const out: ResolvedBroker = { type: 'external', url: broker.url };
  if (broker.username !== undefined) out.username = broker.username;
  if (broker.password !== undefined) out.password = broker.password;
  if (broker.tls) {
    const { ca, cert, key, rejectUnauthorized } = broker.tls;
    out.tls = {};
    if (ca !== undefined) out.tls.ca = resolve(baseDir, ca);
    if (cert !== undefined) out.tls.cert = resolve(baseDir, cert);
    if (key !== undefined) out.tls.key = resolve(baseDir, key);
    if (rejectUnauthorized !== undefined) out.tls.rejectUnauthorized = rejectUnauthorized;
  }
  return out;
}

function linkId(link: RigLinkSpec): string {
  return link.id ?? defaultLinkId(link.ends);
}

/** `vu.download` → vu, download. Device names have no dot (the schema says so); port names may. */
function splitPort(end: string): { device: string; port: string } {
  const dot = end.indexOf('.');
  return { device: end.slice(0, dot), port: end.slice(dot + 1) };
}

function unknownKind(kind: string, known: string[]): string {
  if (!known.length) return `unknown device kind '${kind}': no device kinds are registered`;
  return `unknown device kind '${kind}'${didYouMean(kind, known)}; known kinds: ${known.join(', ')}`;
}

function unknownDevice(device: string, known: string[]): string {
  if (!known.length) return `unknown device '${device}': the rig has no devices`;
  return `unknown device '${device}'${didYouMean(device, known)}; devices: ${known.join(', ')}`;
}

function unknownPort(device: string, kind: DeviceKind<any>, port: string): string {
  const ports = Object.keys(kind.ports);
  const list = ports.length ? `its ports: ${ports.join(', ')}` : 'it has no ports';
  return `device '${device}' (kind ${kind.kind}) has no port '${port}'${didYouMean(port, ports)}; ${list}`;
}

function didYouMean(word: string, candidates: string[]): string {
  const suggestion = closest(word, candidates);
  return suggestion ? ` (did you mean '${suggestion}'?)` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
