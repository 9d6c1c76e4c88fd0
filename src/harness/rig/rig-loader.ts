import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
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

/** Reads, checks and resolves a rig file, first loading its `modules` (relative to the file) into the registry. */
export async function loadRigFile(path: string, registry: DeviceRegistry): Promise<LoadedRig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read rig file ${path}: ${(error as Error).message}`);
  }
  const parsed = parseYamlFile(text, path);
  if (parsed.syntaxIssues.length) throw new RigFileError(parsed.syntaxIssues);
  const modules = await loadModules(parsed.value, dirname(resolve(path)), registry);
  const rig = checkAndResolve(parsed, path, modules.registry, modules.issues);
  return { ...rig, file: path, registry: modules.registry };
}

/**
 * Checks and resolves rig text. The registry must already hold every kind the rig uses: `modules` are
 * loaded by {@link loadRigFile} only.
 */
export function parseRig(text: string, file: string, registry: DeviceRegistry): ResolvedRig {
  const parsed = parseYamlFile(text, file);
  if (parsed.syntaxIssues.length) throw new RigFileError(parsed.syntaxIssues);
  return checkAndResolve(parsed, file, registry, []);
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
): ResolvedRig {
  const raw = parsed.value;
  const structure = RigFileSchema.safeParse(raw);
  const issues = [...earlier];
  if (!structure.success) {
    issues.push(...zodIssuesToPathIssues(structure.error.issues, { schema: RigFileSchema, input: raw }));
  }
  const checked = checkReferences(partsOf(raw), registry);
  issues.push(...checked.issues);
  if (issues.length || !structure.success) {
    throw new RigFileError(toFileIssues(parsed.doc, parsed.lineCounter, file, issues));
  }
  return resolveRig(structure.data, file, registry, checked.options);
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
}

function partsOf(raw: unknown): RigParts {
  const top = isObject(raw) ? raw : {};
  const clock = RigFileSchema.shape.clock.safeParse(top.clock);
  const devices = new Map<string, RigDevice | undefined>();
  if (isObject(top.devices)) {
    for (const [name, device] of Object.entries(top.devices)) devices.set(name, RigDeviceSchema.safeParse(device).data);
  }
  const links = Array.isArray(top.links) ? top.links.map((link) => RigLinkSchema.safeParse(link).data) : [];
  return { clock: clock.data, devices, links };
}

interface Checked {
  issues: PathIssue[];
  /** Each device's options as output by its kind's schema. */
  options: Map<string, unknown>;
}

function checkReferences(parts: RigParts, registry: DeviceRegistry): Checked {
  const issues: PathIssue[] = [];
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
  });
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

function resolveRig(file: RigFile, path: string, registry: DeviceRegistry, options: Map<string, unknown>): ResolvedRig {
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
      paths: { ...link.paths },
    };
  });
  const rig: ResolvedRig = {
    name: file.name ?? basename(path, extname(path)),
    clock: file.clock,
    seed: file.seed,
    broker: resolveBroker(file.broker, dirname(resolve(path))),
    devices,
    links,
  };
  if (file.description !== undefined) rig.description = file.description;
  return rig;
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
