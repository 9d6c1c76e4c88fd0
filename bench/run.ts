/**
 * `npm run bench [-- clock|crypto|memory|pty|seal|sensor|gnss|download|year|decoders|soak|faults|jobs|ndtp|year-sim|year-sim-egf]`: throughput figures of the rig's
 * backbone. Each figure is the median of several runs (or says it is one run) and is printed with the command
 * that reproduces it. Figures, not assertions: tests never time anything.
 */
import { performance } from 'node:perf_hooks';
import { VirtualClock, WallClock, type RigClock } from '../src/harness/clock/index.ts';
import { FRAMING_8N1, MemoryLink, NO_FAULTS, PtyLink, type Link, type LinkOptions } from '../src/harness/links/index.ts';
import { createRng } from '../src/crypto/random.ts';
import { BrokerNetwork, startMosquitto, type NetworkClient } from '../src/harness/broker/index.ts';
import type { DeviceRecord } from '../src/harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../src/harness/rig/rig-runtime.ts';
import { sealKind } from '../src/devices/seal/index.ts';
import { operatorKind } from '../src/devices/seal-operator/index.ts';
import { createActor, type AnyActorRef, type AnyStateMachine } from 'xstate';
import type { PortSpec, PortTxEmitted } from '../src/harness/devices/device-kind.ts';
import type { LinkEnd } from '../src/harness/links/index.ts';
import { createWorld, type World } from '../src/harness/world/index.ts';
import { TestMsca } from '../src/crypto/index.ts';
import { aesCmac } from '../src/crypto/cmac.ts';
import { vuKind } from '../src/devices/vu/index.ts';
import { motionSensorKind } from '../src/devices/motion-sensor/index.ts';
import { gnssKind } from '../src/devices/gnss/index.ts';
import { decodeBlock } from '../src/protocols/t1/index.ts';
import type { VuContext } from '../src/devices/vu/vu-machine.ts';

const only = process.argv[2];
const RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}

function report(name: string, value: string, command: string): void {
  console.log(`${name.padEnd(58)} ${value.padStart(22)}   (${command})`);
}

async function measure(run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return median(samples);
}

/** AES-CMAC of a secure-messaging-sized input (App. 11 CSM_187): every APDU to and from the EGF carries one. */
async function cryptoBench(): Promise<void> {
  const key = createRng(3, 'cmac').bytes(16);
  const message = createRng(4, 'cmac').bytes(56);
  const macs = 100_000;
  for (let i = 0; i < 2_000; i++) aesCmac(key, message); // warm-up
  const wallMs = await measure(async () => {
    const t = performance.now();
    for (let i = 0; i < macs; i++) aesCmac(key, message);
    return performance.now() - t;
  });
  report('AES-128-CMAC of 56 bytes (one key, as in an SM session)', `${((wallMs * 1000) / macs).toFixed(2)} us`, 'npm run bench -- crypto');
}

async function clockBench(): Promise<void> {
  const events = 1_000_000;
  const wallMs = await measure(async () => {
    const clock = new VirtualClock({ start: 0 });
    let left = events;
    const tick = () => {
      if (--left > 0) clock.setTimeout(tick, 1000);
    };
    // 100 interleaved chains, as many timers as a busy rig keeps pending
    for (let i = 0; i < 100; i++) clock.setTimeout(tick, i);
    const t = performance.now();
    await clock.advance(events * 1000);
    return performance.now() - t;
  });
  report('virtual clock: scheduled events run', `${fmt((events / wallMs) * 1000)} events/s`, 'npm run bench -- clock');
}

function linkOptions(baud: number, pacing: boolean): LinkOptions {
  return { id: 'bench', ends: ['a.p', 'b.p'], baud, framing: FRAMING_8N1, pacing, faults: NO_FAULTS };
}

/** Sends `bytes` a→b and returns the wall ms until all arrived and the rig ms it took. */
async function pump(link: Link, clock: RigClock, bytes: number): Promise<{ wallMs: number; rigMs: number }> {
  let got = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) =>
    link.b.onData((b) => {
      got += b.length;
      lastAt = clock.now();
      if (got >= bytes) resolve();
    }),
  );
  const payload = createRng(1).bytes(bytes);
  const t0 = clock.now();
  const w0 = performance.now();
  for (let i = 0; i < bytes; i += 4096) link.a.write(payload.subarray(i, i + 4096));
  if (clock.mode === 'virtual') await clock.runUntil(t0 + (bytes * 10 * 1000) / link.a.baud + 1000);
  await done;
  return { wallMs: performance.now() - w0, rigMs: lastAt - t0 };
}

async function memoryBench(): Promise<void> {
  const bytes = 1 << 20;
  for (const [label, baud, pacing] of [
    ['pacing off', 115200, false],
    ['paced at 115200 baud 8N1, byte by byte', 115200, true],
  ] as const) {
    let rigMs = 0;
    const wallMs = await measure(async () => {
      const clock = new VirtualClock({ start: 0 });
      const link = new MemoryLink(linkOptions(baud, pacing), { clock, rng: createRng(1) });
      await link.open();
      const r = await pump(link, clock, bytes);
      rigMs = r.rigMs;
      return r.wallMs;
    });
    report(`memory link, 1 MiB, ${label}`, `${fmt((bytes / wallMs) * 1000)}B/s`, 'npm run bench -- memory');
    if (pacing) report(`  rig time / wall time`, `${(rigMs / wallMs).toFixed(0)}×`, 'npm run bench -- memory');
  }
}

async function ptyBench(): Promise<void> {
  const bytes = 1 << 20;
  const wallMs = await measure(async () => {
    const clock = new WallClock();
    const link = new PtyLink(linkOptions(115200, false), { clock, rng: createRng(1) });
    await link.open();
    try {
      return (await pump(link, clock, bytes)).wallMs;
    } finally {
      await link.close();
    }
  });
  report('pty link (socat + serialport), 1 MiB, pacing off', `${fmt((bytes / wallMs) * 1000)}B/s`, 'npm run bench -- pty');

  const paced = 115200 / 10; // one second of line time
  let rigMs = 0;
  const pacedWall = await measure(async () => {
    const clock = new VirtualClock({ start: 0 });
    const link = new PtyLink(linkOptions(115200, true), { clock, rng: createRng(1) });
    await link.open();
    try {
      const r = await pump(link, clock, paced);
      rigMs = r.rigMs;
      return r.wallMs;
    } finally {
      await link.close();
    }
  });
  report('pty link, 11520 B paced at 115200 baud on the virtual clock', `${fmt((paced / pacedWall) * 1000)}B/s`, 'npm run bench -- pty');
  report('  rig time / wall time', `${(rigMs / pacedWall).toFixed(1)}×`, 'npm run bench -- pty');
}

const SEAL_KEY = '08c1425c03837893a9eb053ff107991c8f1e5291c44c76ca3e7cd374d66db5f3';

/** N seals registered in RU, the RU operator forwarding everything to KZ: 4 MQTT messages per report. */
function sealPlan(seals: number, clock: 'virtual' | 'wall'): RigPlan {
  const devices: RigPlan['devices'] = [
    { name: 'operator-ru', kind: operatorKind, mode: 'emulated', options: operatorKind.options.parse({ state: 'RU', peers: ['KZ'] }) },
    { name: 'operator-kz', kind: operatorKind, mode: 'emulated', options: operatorKind.options.parse({ state: 'KZ', peers: ['RU'] }) },
  ];
  for (let i = 0; i < seals; i++) {
    const sealId = `RU-${String(i).padStart(5, '0')}`;
    devices.push({ name: `seal-${i}`, kind: sealKind, mode: 'emulated', options: sealKind.options.parse({ sealId, homeState: 'RU', activationKey: SEAL_KEY }) });
  }
  return { name: 'seal-bench', clock, seed: 1, broker: { type: 'embedded' }, devices, links: [] };
}

async function until(condition: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error('bench: condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function sealBench(): Promise<void> {
  const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
  // 1. The cost of one exchange (report, ack, forward, ack) with the embedded broker, from one round of N
  //    reports made at the same rig instant on the virtual clock; the process is busy only with them.
  const seals = 500;
  let msPerReport = 0;
  const round = await measure(async () => {
    const rig = await Rig.start(sealPlan(seals, 'virtual'), { start: T0 });
    try {
      await rig.clock.runUntil(T0 + 1); // connect, boot reports
      const t = performance.now();
      await rig.clock.runUntil(T0 + 60_000);
      const wall = performance.now() - t;
      const received = (await rig.records('operator-ru')).filter((r) => r.kind === 'position').length;
      if (received !== 2 * seals) throw new Error(`bench: ${received} reports, expected ${2 * seals}`);
      return wall;
    } finally {
      await rig.close();
    }
  });
  msPerReport = round / seals;
  const estimate = Math.floor(60_000 / msPerReport);
  report(`embedded broker: one round of ${seals} seal reports, virtual time`, `${round.toFixed(0)} ms, ${msPerReport.toFixed(2)} ms each`, 'npm run bench -- seal');
  report('  seals one process could serve at a 60 s period (one core)', `${fmt(estimate)}`, 'npm run bench -- seal');

  // 2. Real time: that many seals (at most 2000) on the wall clock,
  //    every one booting and reporting at the same instant, then again 60 s later: the worst case, all in
  //    step. The first round also carries every connection being set up; the second is the steady state.
  //    Sustained if the steady round is taken in well within the period; the figure is its slowest report.
  // 2000, not more: closing 4000 aedes clients at once overflowed mqemitter's recursive release (seen once)
  const live = Math.max(100, Math.min(2000, estimate));
  const rig = await Rig.start(sealPlan(live, 'wall'), { start: Date.now() });
  try {
    const positions = async () => (await rig.records('operator-ru')).filter((r) => r.kind === 'position');
    await until(async () => (await positions()).length >= 2 * live, 150_000);
    const delay = (r: DeviceRecord) => r.at! - Date.parse(String(r.fields!.createdAt));
    const all = await positions();
    const boot = Math.max(...all.filter((r) => r.fields!.seq === 0).map(delay));
    const steady = all.filter((r) => r.fields!.seq === 1).map(delay);
    report(`embedded broker, wall clock: ${live} seals reporting in step, 60 s period`, `slowest ${Math.max(...steady).toFixed(0)} ms`, 'npm run bench -- seal');
    report(`  the first round, with ${live} connections set up at once`, `slowest ${(boot / 1000).toFixed(1)} s`, 'npm run bench -- seal');
  } finally {
    await rig.close();
  }

  // 3. Throughput to mosquitto through the rig's network: QoS 1 publishes of a seal report (about 560 B)
  //    to one subscriber, pipelined on the wall clock, and in lock step on the virtual clock (each publish
  //    at its own rig instant, held until delivered: what a scenario sees).
  const mosquitto = await startMosquitto();
  try {
    const payload = new TextEncoder().encode(JSON.stringify({ v: 1, id: '3f2b8c1e-9d4a-4e6f-8a1b-2c3d4e5f6a7b', type: 'position', sealId: 'RU-00001', homeState: 'RU', seq: 1, createdAt: '2026-03-02T08:00:00.000Z', custody: 'tracking', consignment: 'EAEU-2026-000117', fix: { lat: 55.7558, lon: 37.6173, speedKmh: 80, time: '2026-03-02T07:59:59.000Z', status: 'current' }, power: { batteryPercent: 99.9 }, pad: 'x'.repeat(240) }));
    const broker = { type: 'external' as const, url: mosquitto.url, username: mosquitto.username, password: mosquitto.password };
    const pair = async (network: BrokerNetwork): Promise<[NetworkClient, NetworkClient]> => {
      const pub = network.connect({ clientId: 'bench-pub', grants: { publish: ['seal/#'], subscribe: [] } });
      const sub = network.connect({ clientId: 'bench-sub', grants: { publish: [], subscribe: ['seal/#'] } });
      await new Promise<void>((resolve) => pub.on({ connect: resolve }));
      await new Promise<void>((resolve) => sub.on({ connect: () => sub.subscribe(['seal/RU/+/up'], () => resolve()) }));
      return [pub, sub];
    };
    const messages = 20_000;
    const pipelined = await measure(async () => {
      const network = new BrokerNetwork(broker, { clock: new WallClock(), rng: createRng(1) });
      await network.start();
      try {
        const [pub, sub] = await pair(network);
        let got = 0;
        const done = new Promise<void>((resolve) => sub.on({ message: () => ++got === messages && resolve() }));
        const t = performance.now();
        for (let i = 0; i < messages; i++) pub.publish('seal/RU/RU-00001/up', payload);
        await done;
        return performance.now() - t;
      } finally {
        await network.close();
      }
    });
    report(`mosquitto: ${messages} QoS 1 reports (${payload.length} B), pipelined, wall clock`, `${fmt((messages / pipelined) * 1000)} msg/s`, 'npm run bench -- seal');
    const steps = 2000;
    const lockStep = await measure(async () => {
      const clock = new VirtualClock({ start: T0 });
      const network = new BrokerNetwork(broker, { clock, rng: createRng(1) });
      await network.start();
      try {
        const [pub] = await pair(network);
        for (let i = 0; i < steps; i++) clock.schedule(T0 + i, () => pub.publish('seal/RU/RU-00001/up', payload));
        const t = performance.now();
        await clock.runUntil(T0 + steps);
        return performance.now() - t;
      } finally {
        await network.close();
      }
    });
    report(`mosquitto: ${steps} reports, one per rig instant, virtual clock`, `${fmt((steps / lockStep) * 1000)} msg/s`, 'npm run bench -- seal');
  } finally {
    await mosquitto.stop();
  }
}

/** The devices of a VU bench; `egf` is there when the VU has an external GNSS facility. */
type VuBenchDevice = 'vu' | 'sensor' | 'egf';

interface VuBenchSpec {
  start: number;
  /** VU options beyond the bench's cards (anna, wendy), before parsing. */
  vu: Record<string, unknown>;
  sensor: Record<string, unknown>;
  /** An EGF on the VU's gnss port, with these options: the link is rigs/loopback.yaml's `egf.vu`~`vu-egf.gnss`. */
  egf?: Record<string, unknown>;
  /** Sees every port.tx, as the rig's frame tap would. */
  tap: (device: VuBenchDevice, port: string, bytes: Uint8Array) => void;
}

interface VuBench {
  clock: VirtualClock;
  world: World;
  vu: AnyActorRef;
  stimulate(name: string, args?: unknown): void;
  close(): Promise<void>;
}

/**
 * A VU, its motion sensor and optionally an EGF, run as the rig's device host runs them but without its
 * trace, which keeps every entry in memory (tens of millions over a long run): each machine's port.tx to its
 * link end, bytes from the end as port.rx. Links as in the rig files: paced 8N1 memory links, bytes due
 * within a quantum arriving together as from a UART FIFO (10 ms on the sensor's lines, 5 ms on the EGF's).
 */
async function startVuBench(spec: VuBenchSpec): Promise<VuBench> {
  const clock = new VirtualClock({ start: spec.start });
  const world = createWorld(clock);
  const rng = createRng(1);
  const network = new BrokerNetwork(undefined, { clock, rng: rng.fork('network') });
  const msca = new TestMsca();
  const card = { issuingMemberState: 'B', validity: { begin: '2025-01-01', expiry: '2030-12-31' } };
  const vuOptions = vuKind.options.parse({
    cards: {
      anna: { ...card, type: 'driver', cardNumber: 'B000000012345601', holder: { surname: 'PEETERS', firstNames: 'Anna' } },
      wendy: { ...card, type: 'workshop', cardNumber: 'B000000000777000', workshopName: 'Bench Workshop', holder: { surname: 'WOUTERS', firstNames: 'Wendy' }, kmwcKeys: msca.workshopCardKeys([1], 128) },
    },
    ...spec.vu,
  });
  const memoryLink = (id: string, ends: [string, string], baud: number, deliveryQuantumMs: number) =>
    new MemoryLink({ ...linkOptions(baud, true), id, ends, deliveryQuantumMs }, { clock, rng: rng.fork(id) });
  const links = {
    pulses: memoryLink('pulses', ['sensor.pulses', 'vu.pulses'], 9600, 10),
    sensor: memoryLink('sensor', ['sensor.vu', 'vu.sensor'], 9600, 10),
    // App. 12: T=1 blocks at 115200 baud
    ...(spec.egf ? { gnss: memoryLink('gnss', ['egf.vu', 'vu.gnss'], 115200, 5) } : {}),
  };
  for (const link of Object.values(links)) await link.open();
  const run = (name: VuBenchDevice, kind: { ports: Record<string, PortSpec> }, built: { machine: AnyStateMachine; input?: unknown }, ports: Record<string, LinkEnd>): AnyActorRef => {
    const actor = createActor(built.machine, { clock, input: built.input });
    actor.on('port.tx', (e: PortTxEmitted) => {
      spec.tap(name, e.port, e.bytes);
      ports[e.port]!.write(e.bytes);
    });
    for (const [port, end] of Object.entries(ports)) {
      end.onData((bytes) => actor.send({ type: 'port.rx', port, bytes }));
      // as the device host does (issue 18: a frame in one port.rx where the port takes whole frames)
      const portSpec = kind.ports[port];
      if (portSpec?.takesFrames && portSpec.codec) end.takeFrames?.(portSpec.codec);
    }
    return actor.start();
  };
  const device = (name: VuBenchDevice) => ({ name, clock, rng: rng.fork(`device:${name}`), world, network });
  const vuPorts: Record<string, LinkEnd> = { pulses: links.pulses.end('vu.pulses'), sensor: links.sensor.end('vu.sensor') };
  if (links.gnss) vuPorts.gnss = links.gnss.end('vu.gnss');
  const actors = [
    run('vu', vuKind, vuKind.machine({ ...device('vu'), options: vuOptions }), vuPorts),
    run('sensor', motionSensorKind, motionSensorKind.machine({ ...device('sensor'), options: motionSensorKind.options.parse(spec.sensor) }), {
      pulses: links.pulses.end('sensor.pulses'),
      vu: links.sensor.end('sensor.vu'),
    }),
    ...(spec.egf && links.gnss ? [run('egf', gnssKind, gnssKind.machine({ ...device('egf'), options: gnssKind.options.parse(spec.egf) }), { vu: links.gnss.end('egf.vu') })] : []),
  ];
  const vu = actors[0]!;
  return {
    clock,
    world,
    vu,
    stimulate: (name, args = {}) => vu.send(vuKind.stimuli[name]!.toEvent(vuKind.stimuli[name]!.args.parse(args), { name: 'vu', options: vuOptions })),
    close: async () => {
      for (const actor of actors) actor.stop();
      for (const link of Object.values(links)) await link.close();
    },
  };
}

/** 10 h of driving a day at 80 km/h, 05:00-10:00 and 11:00-16:00 UTC; `afterDrive` runs as each drive ends. */
async function driveDays(bench: VuBench, days: number, afterDrive: (drive: { from: number; to: number }) => void = () => {}): Promise<void> {
  const day0 = Math.floor(bench.clock.now() / 86_400_000) * 86_400_000;
  for (let day = 0; day < days; day++) {
    for (const [from, to] of [[5, 10], [11, 16]] as const) {
      const drive = { from: day0 + day * 86_400_000 + from * 3_600_000, to: day0 + day * 86_400_000 + to * 3_600_000 };
      await bench.clock.runUntil(drive.from);
      bench.world.vehicle.setSpeed(80);
      await bench.clock.runUntil(drive.to);
      bench.world.vehicle.setSpeed(0);
      afterDrive(drive);
    }
  }
}

/**
 * 30 rig days of a VU and its paired motion sensor, 10 h of driving a day at 80 km/h (05:00-10:00 and
 * 11:00-16:00 UTC), a driver card in all along: the pulse line, a counter check every 10 s and the VU's
 * one-second sampling, activities and event rules, on paced 9600 Bd memory links. The sensor's pulse line is
 * a rate frame per change of speed, restated every minute (issue 18; a pulse frame a second before it). One run.
 */
async function sensorBench(): Promise<void> {
  const DAYS = 30;
  const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
  const frames = { pulses: 0, secured: 0 };
  const bench = await startVuBench({
    start: T0,
    vu: { motionSensor: { tolerancePulses: 400 } },
    sensor: {},
    tap: (_device, port) => (frames[port === 'pulses' ? 'pulses' : 'secured'] += 1),
  });
  const wall = performance.now();
  bench.stimulate('insertCard', { slot: 'driver', card: 'wendy' });
  bench.stimulate('pairSensor');
  await bench.clock.advance(2_000);
  bench.stimulate('withdrawCard', { slot: 'driver' });
  bench.stimulate('insertCard', { slot: 'driver', card: 'anna' });
  await driveDays(bench, DAYS);
  await bench.clock.runUntil(T0 + DAYS * 86_400_000);
  const wallMs = performance.now() - wall;
  const context = bench.vu.getSnapshot().context as VuContext;
  await bench.close();
  const rigMs = bench.clock.now() - T0;
  const km = Math.round(context.motion.totalPulses / context.calibration.k);
  const events = context.events.records.length;
  if (context.sensorPairings.length !== 1 || events !== 0 || km !== DAYS * 800) {
    throw new Error(`bench: expected one pairing, no events and ${DAYS * 800} km, got ${context.sensorPairings.length}, ${events}, ${km}`);
  }
  const checks = Math.floor(frames.secured / 4); // a check is 70/80 then 10/11, each a request and a reply
  report(`VU + paired sensor: ${DAYS} days, 10 h/day driving, pulse line as rates (one run)`, `${(rigMs / wallMs).toFixed(0)}× real time`, 'npm run bench -- sensor');
  report(`  wall time; ${fmt(frames.pulses)} pulse frames, ${fmt(checks)} counter checks, ${km} km`, `${(wallMs / 1000).toFixed(1)} s`, 'npm run bench -- sensor');
}

/**
 * Counts what crosses the VU–EGF line, from the T=1 blocks themselves (ISO/IEC 7816-3 §11.3): blocks,
 * APDU exchanges (a response's last I-block ends one) and secure-messaging sessions (a GENERAL
 * AUTHENTICATE answered '9000' opens one, CSM_176/CSM_184). Blocks are whole: each device emits a block at a time.
 */
class T1LineCount {
  blocks = 0;
  bytes = 0;
  exchanges = 0;
  sessions = 0;
  /** Status words of the exchanges that did not end '9000', by SW. */
  refused: Record<string, number> = {};
  private commandIns: number | null = null;
  private commandChained = false;
  private responseTail: number[] = [];

  take(from: 'vu' | 'egf', bytes: Uint8Array): void {
    const decoded = decodeBlock(bytes);
    if (!decoded.ok) throw new Error(`bench: a malformed T=1 block from the ${from}: ${decoded.reason}`);
    this.blocks += 1;
    this.bytes += bytes.length;
    const block = decoded.block;
    if (block.type !== 'I') return;
    if (from === 'vu') {
      // The first block of a command chain carries CLA INS.
      if (!this.commandChained) this.commandIns = block.inf[1] ?? null;
      this.commandChained = block.more;
      return;
    }
    // SW1 SW2 end the response APDU, possibly split over its last two blocks.
    this.responseTail = [...this.responseTail, ...block.inf].slice(-2);
    if (block.more) return;
    this.exchanges += 1;
    const sw = ((this.responseTail[0] ?? 0) << 8) | (this.responseTail[1] ?? 0);
    if (sw === 0x9000 && this.commandIns === 0x86) this.sessions += 1;
    if (sw !== 0x9000) {
      const key = sw.toString(16).toUpperCase().padStart(4, '0');
      this.refused[key] = (this.refused[key] ?? 0) + 1;
    }
    this.responseTail = [];
  }
}

/**
 * One rig week of a VU with an external GNSS facility (App. 12), the configuration of rigs/loopback.yaml's
 * `vu-egf`, `sensor-egf` and `egf`: EGF with test PKI credentials on a paced 115200 Bd memory link (5 ms
 * quanta), its motion sensor on its pulse and secured links. The workshop card holder couples the EGF and pairs
 * the sensor in calibration mode, then the driver card goes in and the vehicle drives 10 h a day for 7 days,
 * turning round after each drive (out east, back west) so the track stays in Europe. The VU asks for a
 * position every T = 20 s (GNS_23), driving or not, renewing its SM session before the 240-pair limit
 * (CSM_193). The sensor's pulse line is a rate frame per change of speed (issue 18). Fails unless the VU accepted positions all week, at most T + 2 s apart (the freshness the
 * motion conflict rule allows, GNS_42), including at the end of every drive. One run.
 */
async function gnssBench(): Promise<void> {
  const DAYS = 7;
  const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
  const T = 20_000;
  const line = new T1LineCount();
  const bench = await startVuBench({
    start: T0,
    vu: {
      identification: { serialNumber: { serialNumber: 2001, monthYear: '0126', manufacturerCode: 0x40 } },
      gnss: { receiver: 'external', requestPeriodMs: T },
      motionSensor: { tolerancePulses: 300 },
    },
    sensor: { serialNumber: { serialNumber: 2001, monthYear: '0126' } },
    egf: { testPki: {} },
    tap: (device, port, bytes) => {
      if (port === 'gnss' || device === 'egf') line.take(device === 'egf' ? 'egf' : 'vu', bytes);
    },
  });
  // Positions the VU accepted: each replaces its last position (the VU's own test, vu-machine.ts).
  const accepted = { count: 0, lastAt: null as number | null, firstAt: null as number | null, maxGapMs: 0 };
  let last: VuContext['gnss']['lastPosition'] = null;
  bench.vu.subscribe((s: { context: VuContext }) => {
    const position = s.context.gnss.lastPosition;
    if (position === last || position === null) return;
    last = position;
    const at = bench.clock.now();
    if (accepted.lastAt !== null) accepted.maxGapMs = Math.max(accepted.maxGapMs, at - accepted.lastAt);
    accepted.firstAt ??= at;
    accepted.lastAt = at;
    accepted.count += 1;
  });
  const lastPosition = () => (bench.vu.getSnapshot().context as VuContext).gnss.lastPosition;

  const wall = performance.now();
  bench.stimulate('insertCard', { slot: 'driver', card: 'wendy' });
  bench.stimulate('coupleGnss');
  bench.stimulate('pairSensor');
  await bench.clock.advance(60_000);
  bench.stimulate('withdrawCard', { slot: 'driver' });
  bench.stimulate('insertCard', { slot: 'driver', card: 'anna' });
  bench.world.vehicle.setHeading(90);
  const problems: string[] = [];
  let startOfDrive = lastPosition();
  await driveDays(bench, DAYS, (drive) => {
    const p = lastPosition();
    const when = new Date(drive.to).toISOString();
    if (!p || drive.to - p.gnssTime > T + 2_000) problems.push(`at the end of the drive at ${when} the last position is of ${p ? new Date(p.gnssTime).toISOString() : 'never'}`);
    else if (startOfDrive && p.latitude === startOfDrive.latitude && p.longitude === startOfDrive.longitude) problems.push(`the drive ending at ${when} did not move the position`);
    bench.world.vehicle.setHeading((bench.world.vehicle.headingAt(drive.to) + 180) % 360);
    startOfDrive = p;
  });
  const end = T0 + DAYS * 86_400_000;
  await bench.clock.runUntil(end);
  const wallMs = performance.now() - wall;
  const context = bench.vu.getSnapshot().context as VuContext;
  await bench.close();

  const rigMs = end - T0;
  const p = context.gnss.lastPosition;
  if (context.gnssCouplings.length !== 1) problems.push(`${context.gnssCouplings.length} EGF couplings, expected 1`);
  if (context.sensorPairings.length !== 1) problems.push(`${context.sensorPairings.length} sensor pairings, expected 1`);
  if (accepted.maxGapMs > T + 2_000) problems.push(`positions accepted up to ${accepted.maxGapMs} ms apart`);
  if (!p || end - p.gnssTime > T + 2_000) problems.push(`the last position is of ${p ? new Date(p.gnssTime).toISOString() : 'never'}`);
  const records = context.events.records.map((r) => `0x${r.type.toString(16).padStart(2, '0').toUpperCase()}${r.end === null ? ' (on-going)' : ''}`);
  if (records.length) problems.push(`events/faults recorded: ${records.join(', ')}`);
  if (problems.length) throw new Error(`bench: the GNSS week is wrong:\n  ${problems.join('\n  ')}`);

  const refused = Object.entries(line.refused).map(([sw, n]) => `${n} × ${sw}`).join(', ') || 'none';
  report(`VU + EGF (T=1 at 115200 Bd, T = ${T / 1000} s) + sensor: ${DAYS} days, 10 h/day driving (one run)`, `${(rigMs / wallMs).toFixed(0)}× real time`, 'npm run bench -- gnss');
  report(`  wall time; ${fmt(line.blocks)} T=1 blocks (${fmt(line.bytes)}B), ${fmt(line.exchanges)} APDU exchanges`, `${(wallMs / 1000).toFixed(1)} s`, 'npm run bench -- gnss');
  report(`  positions accepted (at most ${(accepted.maxGapMs / 1000).toFixed(1)} s apart), SM sessions`, `${fmt(accepted.count)}, ${line.sessions}`, 'npm run bench -- gnss');
  report(`  VU events/faults at the end; GNSS AD records; exchanges not '9000'`, `${records.length}; ${context.gnssAdRecords.length}; ${refused}`, 'npm run bench -- gnss');
}

/**
 * One day's driving for the year simulation: speed changes (rig ms from the day's start, km/h), 10 h of
 * moving in four spells of 2 h 30 min with breaks of 45 min between (Annex IC's 4 h 30 min rule kept), each
 * spell a run of stretches of 1 to 8 minutes at motorway (70-88 km/h), road (40-69) or town (15-39) speed,
 * with stops of 20 s to 3 min at lights and in traffic (one stretch in five). Whole seconds, integer km/h,
 * seeded: the same year every run.
 */
function yearSimDay(rng: ReturnType<typeof createRng>): { at: number; kmh: number }[] {
  const changes: { at: number; kmh: number }[] = [];
  const between = (lo: number, hi: number) => rng.int(lo, hi);
  let t = (6 * 3600 + between(0, 3600)) * 1000;
  for (let spell = 0; spell < 4; spell++) {
    let moving = 0;
    while (moving < 9_000_000) {
      if (moving > 0 && rng.next() < 0.2) {
        changes.push({ at: t, kmh: 0 });
        t += between(20, 180) * 1000;
      }
      const kind = rng.next();
      const kmh = kind < 0.5 ? between(70, 88) : kind < 0.8 ? between(40, 69) : between(15, 39);
      const ms = Math.min(between(60, 480) * 1000, 9_000_000 - moving);
      changes.push({ at: t, kmh });
      t += ms;
      moving += ms;
    }
    changes.push({ at: t, kmh: 0 });
    t += 45 * 60_000;
  }
  return changes;
}

/**
 * Issue 18's year: 365 rig days (or the number given, `npm run bench -- year-sim 30`) of a VU and its paired
 * motion sensor with the rig files' defaults (the pulse line as the sensor sends it, the counter check every
 * 10 s), a driver card in all year, 10 h of driving a day with realistic speed changes (yearSimDay); with
 * `egf`, the coupled EGF of rigs/loopback.yaml's vu-egf too (a position every 20 s, day and night). Prints
 * wall time and × real time. Fails unless the VU's odometer is the world's distance (to the km), it was paired
 * (and coupled) once and recorded no event or fault. One run.
 */
async function yearSimBench(withEgf: boolean, days: number): Promise<void> {
  const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
  const command = `npm run bench -- year-sim${withEgf ? '-egf' : ''}${days === 365 ? '' : ` ${days}`}`;
  const frames = { pulses: 0, other: 0 };
  const bench = await startVuBench({
    start: T0,
    vu: withEgf ? { identification: { serialNumber: { serialNumber: 2001, monthYear: '0126', manufacturerCode: 0x40 } }, gnss: { receiver: 'external' } } : {},
    sensor: withEgf ? { serialNumber: { serialNumber: 2001, monthYear: '0126' } } : {},
    ...(withEgf ? { egf: { testPki: {} } } : {}),
    tap: (_device, port) => (frames[port === 'pulses' ? 'pulses' : 'other'] += 1),
  });
  const rng = createRng(18, 'year-sim');
  const wall = performance.now();
  const heapPeak = { mb: 0 };
  bench.stimulate('insertCard', { slot: 'driver', card: 'wendy' });
  if (withEgf) bench.stimulate('coupleGnss');
  bench.stimulate('pairSensor');
  await bench.clock.advance(60_000);
  bench.stimulate('withdrawCard', { slot: 'driver' });
  bench.stimulate('insertCard', { slot: 'driver', card: 'anna' });
  let changes = 0;
  for (let day = 0; day < days; day++) {
    const day0 = T0 + day * 86_400_000;
    for (const change of yearSimDay(rng)) {
      await bench.clock.runUntil(day0 + change.at);
      bench.world.vehicle.setSpeed(change.kmh);
      changes++;
    }
    // out and back: the track stays in Europe
    bench.world.vehicle.setHeading((bench.world.vehicle.headingAt(bench.clock.now()) + 180) % 360);
    heapPeak.mb = Math.max(heapPeak.mb, process.memoryUsage().rss / 2 ** 20);
  }
  const end = T0 + days * 86_400_000;
  await bench.clock.runUntil(end);
  const wallMs = performance.now() - wall;
  const context = bench.vu.getSnapshot().context as VuContext;
  await bench.close();
  const worldKm = bench.world.vehicle.distanceAt(end) / 1000;
  const vuKm = context.motion.totalPulses / context.calibration.k;
  const records = context.events.records.map((r) => `0x${r.type.toString(16).padStart(2, '0').toUpperCase()}`);
  const problems = [
    ...(Math.abs(worldKm - vuKm) > 1 ? [`the VU counted ${vuKm.toFixed(1)} km, the vehicle drove ${worldKm.toFixed(1)} km`] : []),
    ...(context.sensorPairings.length !== 1 ? [`${context.sensorPairings.length} sensor pairings`] : []),
    ...(withEgf && context.gnssCouplings.length !== 1 ? [`${context.gnssCouplings.length} EGF couplings`] : []),
    ...(records.length ? [`events/faults recorded: ${records.join(', ')}`] : []),
  ];
  if (problems.length) throw new Error(`bench: the year is wrong:\n  ${problems.join('\n  ')}`);
  const rigMs = end - T0;
  report(`VU + sensor${withEgf ? ' + EGF' : ''}: ${days} days, 10 h/day driving, ${fmt(changes)} speed changes (one run)`, `${(rigMs / wallMs).toFixed(0)}× real time`, command);
  report(`  wall time; ${fmt(frames.pulses)} pulse-line frames, ${fmt(frames.other)} other frames, ${Math.round(worldKm)} km`, `${(wallMs / 1000).toFixed(1)} s`, command);
  report(`  resident memory, peak at a day's end`, `${heapPeak.mb.toFixed(0)} MiB`, command);
}

console.log(`Node ${process.version}, ${RUNS} runs each, median\n`);
/**
 * App. 7 download throughput on a paced 8E1 memory link, as a fraction of the protocol's own ceiling: a
 * sub-message carries 251 bytes in a 260-byte frame (header, SID, TREP, counter, checksum); the IDE then
 * acknowledges it (an 8-byte frame, its bytes at least P4 min = 5 ms apart, ISO 14230-2), and each side waits
 * its minimum gap first (P2 min 20 ms before the VU answers, P3 min 10 ms before the IDE's next request).
 */
async function downloadBench(): Promise<void> {
  const { DownloadBench } = await import('../src/devices/vu/download/server-bench.ts');
  const { downloadVu } = await import('../src/harness/download/index.ts');
  const size = 100_000; // about a day of detailed speed and activities
  for (const baud of [9600, 115200]) {
    const provider = { transferData: (r: { trtp: number }) => ({ ok: true as const, trep: r.trtp, message: new Uint8Array(r.trtp === 0x24 ? size : 10) }) };
    const bench = await new DownloadBench({ provider }).start();
    let done: { startedAt: number; endedAt: number; at24?: [number, number] } | undefined;
    const wall = performance.now();
    let t24: [number, number] | undefined;
    downloadVu(bench.ide, bench.clock, {
      baud,
      transfers: [{ trtp: 0x24 }],
      onFrame: (f: { t: number; from: string; bytes: Uint8Array }) => {
        // the speed transfer: from the IDE's request for TRTP 24 to the VU's last sub-message
        if (f.from === 'ide' && f.bytes[4] === 0x36 && f.bytes[5] === 0x24) t24 = [f.t, f.t];
        else if (t24 && f.from === 'vu') t24[1] = f.t;
      },
    }).then((r) => (done = { startedAt: r.startedAt, endedAt: r.endedAt, at24: t24 }));
    while (!done) await bench.clock.advance(1000);
    const wallMs = performance.now() - wall;
    const [from, to] = done.at24!;
    const seconds = (to - from) / 1000;
    const frames = Math.ceil(size / 251);
    const bitsPerByte = 11;
    const ceilingSeconds = frames * (((260 + 8) * bitsPerByte) / baud + 0.02 + 0.01 + 7 * 0.005);
    report(`App. 7 download at ${baud} baud 8E1, ${size / 1000} kB transfer, paced`, `${fmt(size / seconds)}B/s`, 'npm run bench -- download');
    report('  of the protocol ceiling (sub-messages, acknowledges, P2/P3/P4 min)', `${((ceilingSeconds / seconds) * 100).toFixed(0)} %`, 'npm run bench -- download');
    report('  rig time / wall time', `${((done.endedAt - done.startedAt) / wallMs).toFixed(0)}×`, 'npm run bench -- download');
  }
}

/**
 * A full download of a VU holding a year: the data memory is built directly (year-memory.ts), saved as the
 * VU's data memory file and restored by an emulated VU, which the rig's IDE then downloads at 115200 baud
 * over a paced 8E1 memory link in virtual time: the overview, 365 days, events and faults, detailed speed,
 * technical data. One run (a minute of wall time).
 */
async function yearDownloadBench(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { saveDataMemorySync } = await import('../src/devices/vu/data-memory/persistence.ts');
  const { vuStorageKey } = await import('../src/devices/vu/vu-storage-key.ts');
  const { dataMemoryOf } = await import('../src/devices/vu/vu-data-memory.ts');
  const { yearOfDataMemory } = await import('../src/devices/vu/download/year-memory.ts');
  const { vuOptionsSchema } = await import('../src/devices/vu/vu-options.ts');
  const { ideKind } = await import('../src/devices/ide/index.ts');
  const { cardSchema } = await import('../src/devices/cards/card-schema.ts');
  const { downloadFromRig, fullDownloadRequests } = await import('../src/harness/download/index.ts');
  const { writeDdd, verifyDdd } = await import('../src/protocols/ddd/index.ts');
  const { TestPki } = await import('../src/crypto/pki/test-pki.ts');
  const { fromHex } = await import('../src/crypto/bytes.ts');
  const DAYS = 365;
  const end = Date.UTC(2027, 2, 2);
  const dir = mkdtempSync(join(tmpdir(), 'year-download-'));
  const file = join(dir, 'vu.mem');
  const plan = (dataMemoryFile?: string): RigPlan => ({
    name: 'year-download',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse(dataMemoryFile ? { dataMemoryFile } : {}) },
      { name: 'ide', kind: ideKind, mode: 'emulated', options: {} },
    ],
    links: [{ id: 'download', ends: ['ide.vu', 'vu.download'], transport: 'memory', baud: 9600, framing: { dataBits: 8, parity: 'even', stopBits: 1 }, pacing: true, faults: NO_FAULTS }],
  });
  try {
    const fresh = await Rig.start(plan(), { start: end });
    const template = dataMemoryOf((fresh.actor('vu')!.getSnapshot() as { context: VuContext }).context);
    await fresh.close();
    const card = cardSchema.parse({ type: 'driver', issuingMemberState: 'B', cardNumber: 'B000000012345601', holder: { surname: 'PEETERS', firstNames: 'Anna' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } });
    const memory = yearOfDataMemory(template, { end, days: DAYS, card, rng: createRng(1, 'bench/year') });
    saveDataMemorySync(file, memory, vuStorageKey(vuOptionsSchema.parse({})));
    const rig = await Rig.start(plan(file), { start: end + 3_600_000 });
    let wireBytes = 0;
    const wall = performance.now();
    const result = await downloadFromRig(rig, 'vu', {
      baud: 115200,
      transfers: fullDownloadRequests(end - DAYS * 86_400_000, end - 86_400_000),
      onFrame: (f) => (wireBytes += f.bytes.length),
    });
    const wallMs = performance.now() - wall;
    await rig.close();
    const ok = result.transfers.filter((t) => t.ok);
    const days = ok.filter((t) => t.trtp === 0x22).length;
    const counts = { events: memory.events.records.length, iw: memory.slots.iw.length, gnss: memory.gnssAdRecords.length, speed: memory.detailedSpeed.blocks.length };
    if (days !== DAYS || ok.length !== DAYS + 4) throw new Error(`bench: expected ${DAYS} days and 4 more transfers, got ${days} and ${ok.length - days}`);
    const ddd = writeDdd(ok.map((t) => ({ trep: t.trtp, data: t.ok ? t.message : new Uint8Array(0) })));
    const root = fromHex(TestPki.of().erca.certificate);
    if (!verifyDdd(ddd, [root], end).ok) throw new Error('bench: the year download does not verify');
    const rigS = (result.endedAt - result.startedAt) / 1000;
    report(`Full download of ${DAYS} days (${counts.events} events/faults, ${counts.gnss} GNSS AD, ${counts.speed} speed min), 115200 8E1`, `${(ddd.length / 1000).toFixed(0)} kB .DDD`, 'npm run bench -- year');
    report(`  bytes on the line (frames both ways), ${ok.length} transfers`, `${(wireBytes / 1000).toFixed(0)} kB`, 'npm run bench -- year');
    report('  rig time', `${(rigS / 60).toFixed(1)} min`, 'npm run bench -- year');
    report('  wall time (one run)', `${(wallMs / 1000).toFixed(1)} s, ${(rigS / (wallMs / 1000)).toFixed(0)}×`, 'npm run bench -- year');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The decoders on big and on crafted input: throughput where the input is genuine, and how long a crafted
 * input takes to be refused (a 2 kB .DDD of zero-size record arrays took 80 s and 2.9 GB before its headers
 * were checked against the bytes present; 20 kB of noise took 7 s through the App. 7 deframer).
 */
async function decodersBench(): Promise<void> {
  const { deframe, EMPTY_DEFRAME_STATE, checksum } = await import('../src/protocols/app7/index.ts');
  const { decodeDddFile, verifyDdd, writeDdd } = await import('../src/protocols/ddd/index.ts');
  const { encodeTrep22 } = await import('../src/protocols/app7-records/index.ts');
  const { richTrepBlocks, RICH_ACTIVITIES } = await import('../src/protocols/app7-records/test-treps.ts');
  const { testDownloadRoots, testDownloadSigner, TEST_DOWNLOAD_DAY } = await import('../src/protocols/ddd/test-download.ts');
  const { verifyCardFile, decodeCardFile } = await import('../src/protocols/card-files/index.ts');
  const { driverCardDownload } = await import('../src/devices/cards/driver-card-image.ts');
  const { anna } = await import('../src/devices/cards/test-cards.ts');
  const { TestPki } = await import('../src/crypto/pki/test-pki.ts');
  const { TestPkiG1 } = await import('../src/crypto/pki-g1/test-pki-g1.ts');
  const { fromHex } = await import('../src/crypto/bytes.ts');
  const { parseRmc } = await import('../src/protocols/nmea/index.ts');
  const { createT1State, encodeBlock, t1Receive } = await import('../src/protocols/t1/index.ts');
  const cmd = 'npm run bench -- decoders';
  const timed = async (run: () => unknown) => measure(async () => {
    const t = performance.now();
    run();
    return performance.now() - t;
  });
  const rate = (bytes: number, ms: number) => `${fmt((bytes / ms) * 1000)}B/s`;

  // App. 7 frames of 255 data bytes back to back, 1 MiB in 4 kB chunks; and 1 MiB of noise in one chunk
  const frame = new Uint8Array(260);
  frame.set([0x80, 0xf0, 0xee, 0xff, 0x76, 0x24]);
  frame[259] = checksum(frame, 259);
  const MiB = 1 << 20;
  const stream = new Uint8Array(MiB);
  for (let at = 0; at + 260 <= MiB; at += 260) stream.set(frame, at);
  let ms = await timed(() => {
    let state = EMPTY_DEFRAME_STATE;
    for (let at = 0; at < MiB; at += 4096) state = deframe(state, stream.subarray(at, at + 4096)).state;
  });
  report('App. 7 deframer: 1 MiB of 260-byte frames in 4 kB chunks', rate(MiB, ms), cmd);
  ms = await timed(() => deframe(EMPTY_DEFRAME_STATE, new Uint8Array(MiB)));
  report('App. 7 deframer: 1 MiB of noise in one chunk (each byte discarded)', rate(MiB, ms), cmd);

  // a genuine download: the rich overview, 365 days of activities, events, speed, technical data
  const [overview, , ...rest] = richTrepBlocks(testDownloadSigner);
  const days = Array.from({ length: 365 }, (_, i) => ({ trep: 0x22, data: encodeTrep22({ ...RICH_ACTIVITIES, day: RICH_ACTIVITIES.day - i * 86_400_000 }, testDownloadSigner) }));
  const ddd = writeDdd([overview!, ...days, ...rest]);
  ms = await timed(() => decodeDddFile(ddd));
  report(`.DDD decode (rig decode), a genuine ${(ddd.length / 1000).toFixed(0)} kB download of 369 blocks`, rate(ddd.length, ms), cmd);
  ms = await timed(() => verifyDdd(ddd, testDownloadRoots, TEST_DOWNLOAD_DAY));
  report('.DDD verify, the same (an ECDSA verification per block)', `${ms.toFixed(0)} ms, ${rate(ddd.length, ms)}`, cmd);

  // crafted: 76 21, then zero-size record arrays announcing 65 535 records each
  const crafted = (n: number) => {
    const f = new Uint8Array(n);
    f.set([0x76, 0x21]);
    let at = 2;
    for (; at + 10 <= n; at += 5) f.set([0x0a, 0, 0, 0xff, 0xff], at);
    f.set([0x08, 0, 0, 0, 0], at);
    return f.subarray(0, at + 5);
  };
  for (const n of [2048, MiB]) {
    const file = crafted(n);
    ms = await timed(() => decodeDddFile(file));
    report(`.DDD decode of a crafted ${n === MiB ? '1 MiB' : '2 kB'} (65 535 records of 0 bytes per array)`, `${(ms * 1000).toFixed(0)} µs to refuse`, cmd);
  }

  // card files: the rig's gen2 driver card, 24 signed EFs
  const card = driverCardDownload(anna);
  const roots = [fromHex(TestPki.of().erca.certificate)];
  const eur = [TestPkiG1.of().eurPublicKeyBytes()];
  const at = Date.UTC(2026, 2, 2, 8);
  ms = await timed(() => verifyCardFile(card, roots, at, eur));
  report(`card file verify, a gen2 driver card (${(card.length / 1000).toFixed(0)} kB, 24 signed EFs)`, `${ms.toFixed(1)} ms`, cmd);
  ms = await timed(() => decodeCardFile(card));
  report('card file decode (rig decode), the same', `${ms.toFixed(1)} ms`, cmd);

  // NMEA RMC sentences, and the longest T=1 chain of one-byte blocks (refused at 261 bytes)
  const rmc = '$GNRMC,080100.25,A,5051.018,N,00422.384,E,48.6,90.0,020326,,,D,S*31';
  const sentences = 100_000;
  ms = await timed(() => {
    for (let i = 0; i < sentences; i++) parseRmc(rmc);
  });
  report('NMEA RMC parse, every field checked', `${fmt((sentences / ms) * 1000)} sentences/s`, cmd);
  const blocks = Array.from({ length: 10_000 }, (_, i) => encodeBlock({ type: 'I', nad: 0, ns: (i % 2) as 0 | 1, more: true, inf: Uint8Array.of(i & 0xff) }));
  ms = await timed(() => {
    let state = createT1State();
    for (const b of blocks) state = t1Receive(state, b).state;
  });
  report('T=1 endpoint: 10 000 chained one-byte I-blocks (a chain past 261 bytes is refused)', `${fmt((blocks.length / ms) * 1000)} blocks/s`, cmd);
}

if (!only || only === 'clock') await clockBench();
if (!only || only === 'crypto') await cryptoBench();
if (!only || only === 'memory') await memoryBench();
if (!only || only === 'pty') await ptyBench();
if (!only || only === 'seal') await sealBench();
if (!only || only === 'sensor') await sensorBench();
if (!only || only === 'gnss') await gnssBench();
if (!only || only === 'download') await downloadBench();
if (!only || only === 'download' || only === 'year') await yearDownloadBench();
if (!only || only === 'decoders') await decodersBench();
// issue 18: not in the default run (a year takes minutes); `year-sim [days]`, `year-sim-egf [days]`
if (only === 'year-sim' || only === 'year-sim-egf') await yearSimBench(only === 'year-sim-egf', Number(process.argv[3] ?? 365));
if (!only || only === 'soak') await (await import('./soak.ts')).soakBench(report);
if (!only || only === 'faults') await (await import('./faults.ts')).faultsBench(report);
if (!only || only === 'jobs') await (await import('./jobs.ts')).jobsBench(report);
if (!only || only === 'ndtp') await (await import('./ndtp.ts')).ndtpBench(report);
