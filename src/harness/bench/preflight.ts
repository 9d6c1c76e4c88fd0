import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
// The pre-flight runs before any rig exists, on real time: its windows are real-time bounds on OS I/O.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SerialPort } from 'serialport';
import { WallClock } from '../clock/index.ts';
import { probeVu } from '../download/client.ts';
import { clientOptionsOf } from '../download/client-options.ts';
import { bitsPerCharacter, closeSerialPort, NO_FAULTS, openSerialPort, SerialLink, type Framing } from '../links/index.ts';
import { createRng } from '../../crypto/random.ts';
import type { ResolvedLink, ResolvedRig } from '../rig/rig-schema.ts';
import { defaultPortLister, type ListedPort, type PortLister } from './discover.ts';
import type { HardwareAdapter } from './hardware-map.ts';

/**
 * The bench's pre-flight (`rig bench check`, and the first thing every `rig run` on a rig with serial links
 * does): before anything runs against a real device under test, each serial port the rig drives is
 *  1. present: its path exists (an adapter unplugged, a by-id name mistyped). Missing ones stop the check
 *     at once, naming each, so a bench run does not start and fail seconds later on "no response";
 *  2. the adapter the map says: where the map has a serial number, the port at that path has it;
 *  3. opened at the link's baud and framing;
 *  4. looped back, where the map says a loopback plug is fitted: a pattern sent comes back unchanged;
 *  5. answered by the DUT, where the port is the rig's IDE on an external VU's download line: App. 7 Start
 *     Communication gets its positive answer, and Stop Communication ends the session (nothing is downloaded).
 */

export interface PreflightPort {
  link: string;
  /** The rig's end on this port (`ide.vu`). */
  port: string;
  /** The far end: the device under test's port (`vu.download`), or another of the rig's. */
  peer: string;
  path: string;
  /** The hardware map's adapter the path came from (`adapter:<name>`), if it did. */
  adapter?: HardwareAdapter;
  baud: number;
  framing: Framing;
  /** The rig's IDE on an external VU's download line: the DUT must answer App. 7 Start Communication. */
  app7: boolean;
}

export type CheckName = 'present' | 'adapter' | 'open' | 'loopback' | 'App. 7';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  detail: string;
}

export interface PortReport {
  port: PreflightPort;
  ok: boolean;
  checks: CheckResult[];
}

export interface PreflightReport {
  ok: boolean;
  ports: PortReport[];
  /** 'present' when ports were missing: nothing was opened. */
  stoppedAt?: 'present';
  /** Real time the check took, ms. */
  elapsedMs: number;
}

export interface PreflightOptions {
  /** The port list for serial-number checks and hints (default: SerialPort.list(), else sysfs); null: none. */
  listPorts?: PortLister | null;
  /** Real-time bound on listing the ports, ms (a slow udevadm must not hold up the check). Default 700. */
  listTimeoutMs?: number;
  /** Time a looped-back pattern may take beyond its own line time, ms: USB latency timers, pty relays. Default 500. */
  loopbackSlackMs?: number;
}

/** The serial ports a rig drives: each local end of a `transport: serial` link, with what the checks need. */
export function preflightPorts(rig: ResolvedRig): PreflightPort[] {
  const devices = new Map(rig.devices.map((d) => [d.name, d]));
  const deviceOf = (port: string) => devices.get(port.slice(0, port.indexOf('.')));
  const out: PreflightPort[] = [];
  for (const link of rig.links) {
    if (link.transport !== 'serial') continue;
    link.ends.forEach((port, i) => {
      const path = link.paths[port];
      if (path === undefined) return;
      const peer = link.ends[i === 0 ? 1 : 0];
      const own = deviceOf(port);
      const far = deviceOf(peer);
      const adapterName = link.adapters?.[port];
      const adapter = adapterName === undefined ? undefined : rig.hardwareMap?.adapters.find((a) => a.name === adapterName);
      out.push({
        link: link.id,
        port,
        peer,
        path,
        ...(adapter ? { adapter } : {}),
        baud: link.baud,
        framing: link.framing,
        app7: own?.kind === 'ide' && own.mode === 'emulated' && far?.kind === 'vu' && far.mode === 'external' && peer.endsWith('.download'),
      });
    });
  }
  return out;
}

export function hasSerialLinks(rig: ResolvedRig): boolean {
  return rig.links.some((l) => l.transport === 'serial');
}

/** Runs the checks on every serial port of the rig; see the module comment. */
export async function runPreflight(rig: ResolvedRig, options: PreflightOptions = {}): Promise<PreflightReport> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const ports = preflightPorts(rig);
  const lister = options.listPorts === null ? undefined : (options.listPorts ?? defaultPortLister);
  const listing = lister ? listWithin(lister, options.listTimeoutMs ?? 700) : Promise.resolve(undefined);

  const reports: PortReport[] = ports.map((port) => ({ port, ok: true, checks: [] }));
  for (const r of reports) {
    const present = existsSync(r.port.path);
    r.checks.push(present ? { check: 'present', ok: true, detail: await presentDetail(r.port.path) } : { check: 'present', ok: false, detail: `${r.port.path} does not exist` });
  }
  const missing = reports.filter((r) => !r.checks[0]!.ok);
  if (missing.length) {
    const listed = await listing;
    for (const r of missing) r.checks[0]!.detail += missingHint(r.port, listed);
    return finish(reports, elapsed(), 'present');
  }

  const listed = await listing;
  for (const r of reports) {
    const identity = identityCheck(r.port, listed, await realpath(r.port.path).catch(() => r.port.path));
    if (identity) r.checks.push(identity);
    r.checks.push(...(await openAndLoopBack(r.port, options.loopbackSlackMs ?? 500)));
  }
  for (const r of reports) {
    if (!r.port.app7 || r.port.adapter?.loopback || r.checks.some((c) => !c.ok)) continue;
    const link = rig.links.find((l) => l.id === r.port.link)!;
    r.checks.push(await app7Check(link, r.port, rig));
  }
  return finish(reports, elapsed());
}

function finish(reports: PortReport[], elapsedMs: number, stoppedAt?: 'present'): PreflightReport {
  for (const r of reports) r.ok = r.checks.every((c) => c.ok);
  return { ok: reports.every((r) => r.ok), ports: reports, ...(stoppedAt ? { stoppedAt } : {}), elapsedMs };
}

/** The port list, or undefined when it fails or takes longer than `ms` (no udevadm, a slow one). */
async function listWithin(lister: PortLister, ms: number): Promise<ListedPort[] | undefined> {
  const timeout = sleep(ms, undefined, { ref: false });
  const listed = lister().then(
    async (ports) => Promise.all(ports.map(async (p) => ({ ...p, path: await realpath(p.path).catch(() => p.path) }))),
    () => undefined,
  );
  return Promise.race([listed, timeout]);
}

async function presentDetail(path: string): Promise<string> {
  const real = await realpath(path).catch(() => path);
  return real === path ? 'the path exists' : `leads to ${real}`;
}

/** Where the map knows the adapter's serial number: is it plugged in elsewhere, or not at all? */
function missingHint(port: PreflightPort, listed: ListedPort[] | undefined): string {
  const serial = port.adapter?.serialNumber;
  if (!listed) return '';
  const usb = listed.filter((p) => p.vendorId);
  if (serial) {
    const elsewhere = usb.find((p) => p.serialNumber === serial);
    return elsewhere
      ? `; the adapter with serial number ${serial} is plugged in at ${elsewhere.path}: point the map at its /dev/serial/by-id link (rig bench discover)`
      : `; no adapter with serial number ${serial} is plugged in`;
  }
  return usb.length ? `; USB-serial adapters plugged in: ${usb.map((p) => `${p.path}${p.serialNumber ? ` (${p.serialNumber})` : ''}`).join(', ')}` : '; no USB-serial adapter is plugged in';
}

/** The adapter at the path is the one the map names (by USB serial number), where both are known. */
function identityCheck(port: PreflightPort, listed: ListedPort[] | undefined, real: string): CheckResult | undefined {
  const expected = port.adapter?.serialNumber;
  if (!expected || !listed) return undefined;
  const here = listed.find((p) => p.path === real);
  if (!here?.serialNumber) return undefined;
  if (here.serialNumber === expected) return { check: 'adapter', ok: true, detail: `serial number ${expected}` };
  return { check: 'adapter', ok: false, detail: `the adapter at ${port.path} has serial number ${here.serialNumber}, the map says ${expected}` };
}

/** Bytes a loopback plug must return: every bit pattern a wrong framing or a stuck line would spoil. */
export const LOOPBACK_PATTERN = Uint8Array.from([0x55, 0xaa, 0x00, 0xff, 0x0f, 0xf0, ...new TextEncoder().encode('tacho-rig loopback')]);

async function openAndLoopBack(port: PreflightPort, slackMs: number): Promise<CheckResult[]> {
  let serial: SerialPort;
  try {
    serial = await openSerialPort(port.path, port.baud, port.framing);
  } catch (error) {
    return [{ check: 'open', ok: false, detail: `cannot open ${port.path}: ${(error as Error).message}${openHint(error)}` }];
  }
  const checks: CheckResult[] = [{ check: 'open', ok: true, detail: `${port.baud} baud ${framingText(port.framing)}` }];
  try {
    if (port.adapter?.loopback) checks.push(await loopBack(serial, port, slackMs));
  } finally {
    await closeSerialPort(serial);
  }
  return checks;
}

function openHint(error: unknown): string {
  const message = (error as Error).message ?? '';
  if (/EACCES|Permission denied/i.test(message)) return ' (is the user in group dialout? see hardware/99-tacho-rig.rules)';
  if (/EBUSY|Resource busy|Cannot lock/i.test(message)) return ' (another program has it open)';
  return '';
}

/** Sends the pattern and expects it back within its line time plus `slackMs`. */
async function loopBack(serial: SerialPort, port: PreflightPort, slackMs: number): Promise<CheckResult> {
  // what arrived before (a peer's leftovers in a pty, noise at plug-in) is no answer to the pattern
  await new Promise<void>((resolve) => serial.flush(() => resolve()));
  const received: number[] = [];
  let done!: () => void;
  const complete = new Promise<void>((resolve) => (done = resolve));
  const onData = (chunk: Buffer) => {
    received.push(...chunk);
    if (received.length >= LOOPBACK_PATTERN.length) done();
  };
  serial.on('data', onData);
  const lineMs = (LOOPBACK_PATTERN.length * bitsPerCharacter(port.framing) * 1000) / port.baud;
  const windowMs = Math.ceil(lineMs + slackMs);
  try {
    serial.write(Buffer.from(LOOPBACK_PATTERN));
    await Promise.race([complete, sleep(windowMs, undefined, { ref: false })]);
  } finally {
    serial.off('data', onData);
  }
  const sent = LOOPBACK_PATTERN.length;
  if (received.length === 0) return { check: 'loopback', ok: false, detail: `nothing came back within ${windowMs} ms (is the loopback plug fitted, TX joined to RX?)` };
  const got = Uint8Array.from(received);
  if (got.length === sent && got.every((b, i) => b === LOOPBACK_PATTERN[i])) return { check: 'loopback', ok: true, detail: `${sent} bytes came back unchanged` };
  return { check: 'loopback', ok: false, detail: `sent ${hex(LOOPBACK_PATTERN)}, got back ${got.length} bytes: ${hex(got)}` };
}

async function app7Check(link: ResolvedLink, port: PreflightPort, rig: ResolvedRig): Promise<CheckResult> {
  const clock = new WallClock();
  const local = link.ends.indexOf(port.port);
  const serial = new SerialLink(
    { ...link, faults: NO_FAULTS },
    { clock, rng: createRng(1, `preflight:${link.id}`) },
    { paths: [local === 0 ? port.path : undefined, local === 1 ? port.path : undefined] },
  );
  await serial.open();
  try {
    // the IDE's P-timings from the rig file (a DUT slower than App. 7's minimum gets its widened P2 here too)
    const ide = rig.devices.find((d) => d.name === port.port.split('.')[0]);
    const probe = await probeVu(serial.end(port.port), clock, clientOptionsOf(ide?.kind === 'ide' ? ide.options : {}));
    const keyBytes = hex(probe.startAnswer.subarray(1));
    const tries = probe.transmissions > 1 ? ` at transmission ${probe.transmissions}` : '';
    const stop = probe.stopAnswered ? 'Stop Communication answered' : 'Stop Communication unanswered (the VU ends the session after P3 max)';
    return { check: 'App. 7', ok: true, detail: `${port.peer} answered Start Communication in ${Math.round(probe.answerMs)} ms${tries} (key bytes ${keyBytes}); ${stop}` };
  } catch (error) {
    return { check: 'App. 7', ok: false, detail: `${port.peer} did not answer: ${(error as Error).message} (is the VU powered and its front connector wired? hardware/wiring.md)` };
  } finally {
    await serial.close();
  }
}

/** `adapter vu-download (ide.vu)` or `port ide.vu`: how a person finds it on the bench. */
export function describePort(port: PreflightPort): string {
  return port.adapter ? `adapter ${port.adapter.name} (${port.port})` : `port ${port.port}`;
}

/** The report as `rig bench check` prints it: a line per port, one per check below it. */
export function renderPreflight(report: PreflightReport, title: string): string {
  const out = [title];
  for (const r of report.ports) {
    out.push(`${r.ok ? 'ok  ' : 'FAIL'}  ${describePort(r.port)} to ${r.port.peer}: ${r.port.path}`);
    for (const c of r.checks) out.push(`        ${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${c.detail}`);
  }
  const failed = report.ports.filter((r) => !r.ok).length;
  if (report.stoppedAt === 'present') out.push(`stopped after ${report.elapsedMs} ms: ${failed} of ${report.ports.length} ports missing, nothing opened`);
  else out.push(`${report.ok ? 'all' : `${report.ports.length - failed} of`} ${report.ports.length} ports ok (${report.elapsedMs} ms)`);
  return out.join('\n');
}

/** What a refused `rig run` says: each failed port and its failed checks, one line each. */
export function preflightFailure(report: PreflightReport): string {
  const lines = report.ports
    .filter((r) => !r.ok)
    .flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `  ${describePort(r.port)}: ${c.check === 'present' ? 'missing: ' : `${c.check}: `}${c.detail}`));
  return `pre-flight failed, nothing was run:\n${lines.join('\n')}`;
}

function framingText(f: Framing): string {
  return `${f.dataBits}${{ none: 'N', even: 'E', odd: 'O', mark: 'M', space: 'S' }[f.parity]}${f.stopBits}`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}
