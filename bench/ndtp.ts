/**
 * `npm run bench -- ndtp`: 1 000 NDTP terminals (the emulator's XState machine, issue 19) against one collection
 * server on the virtual clock, over real loopback TCP: one node:net server, one connection per terminal, each
 * connection its own NDTP session (the server's intake, src/devices/ndtp-server/intake.ts). A settler holds
 * rig time still while bytes are on their way, as the rig's tcp link does. Each terminal connects, hands
 * shake, and sends a record every 30 s for one rig hour; the terminals start one to thirty seconds apart.
 * Figures: wall time, packets per wall second, and records lost (expected minus taken in).
 */
import { performance } from 'node:perf_hooks';
import { createServer, connect, type Socket } from 'node:net';
import { createActor } from 'xstate';
import { VirtualClock } from '../src/harness/clock/index.ts';
import { createRng } from '../src/crypto/random.ts';
import { createWorld } from '../src/harness/world/index.ts';
import { ndtpTerminalOptions } from '../src/devices/ndtp-terminal/index.ts';
import { initialTerminalContext, ndtpTerminalMachine } from '../src/devices/ndtp-terminal/machine.ts';
import { intake, type ServerState } from '../src/devices/ndtp-server/intake.ts';
import { formatDuration } from '../src/scenarios/engine/duration.ts';

type Report = (name: string, value: string, command: string) => void;

export async function ndtpBench(report: Report, terminals = 1000, rigMs = 3_600_000): Promise<void> {
  const start = Date.UTC(2026, 2, 2, 8, 0, 0);
  const clock = new VirtualClock({ start });
  const world = createWorld(clock);
  world.tank.set(1, { level: 0.9, temperatureC: 12, strength: 96 });
  world.tank.set(2, { level: 0.85, temperatureC: 12, strength: 96 });
  world.vehicle.setSpeed(60);
  const clients = Array.from({ length: terminals }, (_, i) => ({ peerAddress: 1024 + i, auth: `tanker-${i}` }));
  let toServer = 0;
  let atServer = 0;
  let toTerminals = 0;
  let atTerminals = 0;
  let packets = 0;
  let waiting: (() => void) | undefined;
  const check = () => {
    if (waiting && toServer === atServer && toTerminals === atTerminals) {
      const w = waiting;
      waiting = undefined;
      w();
    }
  };
  clock.addSettler(() => (toServer === atServer && toTerminals === atTerminals ? undefined : new Promise<void>((resolve) => (waiting = resolve))));

  const sessions: ServerState[] = [];
  const server = createServer({ noDelay: true }, (socket) => {
    let state: ServerState = { profile: 'seed-ex2', address: 0, clients, connections: {}, rules: [], seen: [], log: [] };
    const index = sessions.push(state) - 1;
    socket.on('data', (chunk: Buffer) => {
      atServer += chunk.length;
      const r = intake(state, 'ndtp', new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), clock.now());
      state = r.state;
      sessions[index] = state;
      for (const out of r.out) {
        toTerminals += out.length;
        socket.write(out);
      }
      check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const sockets: Socket[] = [];
  for (let i = 0; i < terminals; i++) {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    sockets.push(socket);
  }

  const settings = ndtpTerminalOptions.parse({ authString: 'x', compartments: 2 });
  for (let i = 0; i < terminals; i++) {
    const socket = sockets[i]!;
    const own = { ...settings, peerAddress: 1024 + i, authString: `tanker-${i}` };
    clock.setTimeout(() => {
      const actor = createActor(ndtpTerminalMachine(own, { clock, world, rng: createRng(i, 'ndtp-bench') }, initialTerminalContext(own)), { clock });
      actor.on('port.tx', (e: { bytes: Uint8Array }) => {
        toServer += e.bytes.length;
        packets++;
        socket.write(e.bytes);
      });
      socket.on('data', (chunk: Buffer) => {
        atTerminals += chunk.length;
        actor.send({ type: 'port.rx', port: 'uplink', bytes: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice() });
        check();
      });
      actor.start();
    }, 1000 + (i % 30) * 1000);
  }

  const t = performance.now();
  await clock.advance(rigMs);
  const wallMs = performance.now() - t;
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  // Each terminal makes one record every 30 s from its start (1..30 s in) to the end of the hour.
  let expected = 0;
  for (let i = 0; i < terminals; i++) expected += Math.floor((rigMs - (1000 + (i % 30) * 1000)) / 30_000);
  const taken = sessions.reduce((n, s) => n + s.log.filter((r) => r.kind === 'navdata').length, 0);
  const late = expected - taken; // the last record of a terminal may still await its answer at the end: counted here
  report(`ndtp: ${terminals} terminals, 1 server, ${formatDuration(rigMs)} of rig time over TCP (one run)`, `${(wallMs / 1000).toFixed(1)} s wall`, 'npm run bench -- ndtp');
  report('ndtp: packets (terminal → server) per wall second', `${((packets / wallMs) * 1000).toFixed(0)} /s`, 'npm run bench -- ndtp');
  report('ndtp: records taken in / made', `${taken} / ${expected} (${late} not taken)`, 'npm run bench -- ndtp');
}
