// Everything runs on the rig clock but the settle bound of the bytes in flight (in-flight-bytes.ts), real time by nature.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { InFlightBytes } from './in-flight-bytes.ts';
import type { Direction, LinkOptions } from './link.ts';
import { LinkBase, type LinkContext } from './link-base.ts';

/** Real-time bound for bytes written to one socket to come out of the other before they are counted lost. */
export const DEFAULT_TCP_SETTLE_TIMEOUT_MS = 2000;
/** Bytes a wire would deliver within this many ms go to the socket in one write (a TCP segment, not a UART byte). */
export const DEFAULT_TCP_DELIVERY_QUANTUM_MS = 5;

/** `tcp://host:port` (port 0: any free one, for a listening end). */
export function parseTcpUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/([^\s:/]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(url);
  if (!m || Number(m[2]) > 65535) throw new Error(`'${url}' is not a TCP address like tcp://127.0.0.1:5555`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/**
 * A link over a real TCP connection (node:net), with the rig's wires in front: the same fault injection as the
 * serial links (drops, bit flips, latency, cuts, pauses), and the same pacing by the link's bit rate (the
 * GPRS channel's). The second end listens, the first connects: an NDTP terminal's uplink is the first end,
 * the collection server's port the second.
 *
 * Both ends the rig's: the listening socket is bound to a free loopback port the OS picks (the
 * `connected` event names it), the first end connects to it, and a settler holds a virtual clock still
 * while bytes written to one socket have not come out of the other, so each is received at the rig instant
 * its wire delivered it (as PtyLink does over socat). An external first end (an outside terminal): the rig
 * listens at the second end's path (`tcp://127.0.0.1:5555`, port 0 for any) and takes the first connection
 * that comes. An external second end (an outside server): the rig connects to its path.
 *
 * An injected cut drops what the wires carry, in both directions, until the reconnect; the TCP connection
 * itself stays up (a GPRS coverage gap: the terminal sees its packets go unanswered, not a socket closed).
 * The socket closing under the rig is a 'disconnected' event, never a throw.
 */
export class TcpLink extends LinkBase {
  readonly transport = 'tcp' as const;
  private server: Server | undefined;
  private sockets: [Socket | undefined, Socket | undefined] = [undefined, undefined];
  private state: 'closed' | 'opening' | 'open' = 'closed';
  private readonly inFlight = new InFlightBytes(DEFAULT_TCP_SETTLE_TIMEOUT_MS, (direction, bytes, reason) =>
    this.report({ type: 'error', direction, end: this.peerOf(direction).name, detail: `${bytes} bytes lost over TCP: ${reason}` }),
  );
  private removeSettler: (() => void) | undefined;
  private readonly urls: [string | undefined, string | undefined];
  /** Where the listening end is, once open: `tcp://127.0.0.1:<port>`. */
  listening: string | undefined;

  constructor(options: LinkOptions, context: LinkContext, tcp: { local?: [boolean, boolean]; paths?: [string | undefined, string | undefined] } = {}) {
    const local = tcp.local ?? [true, true];
    super({ ...options, deliveryQuantumMs: options.deliveryQuantumMs ?? DEFAULT_TCP_DELIVERY_QUANTUM_MS }, context, { local, paths: tcp.paths });
    this.urls = tcp.paths ?? [undefined, undefined];
    for (const url of this.urls) if (url !== undefined) parseTcpUrl(url);
    if (!local[0] && !local[1]) throw new Error(`link ${options.id}: both ends external`);
  }

  async open(): Promise<void> {
    if (this.state !== 'closed') return;
    this.state = 'opening';
    try {
      if (this.b.local) {
        const at = this.urls[1] ? parseTcpUrl(this.urls[1]) : { host: '127.0.0.1', port: 0 };
        const accepted = this.listen(at.host, at.port);
        await accepted.listening;
        if (this.a.local) {
          const client = await this.dial('127.0.0.1', (this.server!.address() as { port: number }).port);
          this.attach(0, client);
          this.attach(1, await accepted.first);
        }
        // else an outside terminal: it connects when it will (listen)
      } else {
        const { host, port } = parseTcpUrl(this.urls[1] ?? '');
        this.attach(0, await this.dial(host, port));
        this.listening = this.urls[1];
      }
    } catch (error) {
      await this.teardown();
      throw error;
    }
    this.state = 'open';
    this.removeSettler = this.clock.addSettler(() => this.inFlight.settle());
    // An outside terminal's link comes up when it connects (above).
    if (this.a.local) this.setConnected(true, `TCP ${this.a.name} → ${this.b.name} at ${this.listening}`);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    await this.teardown();
    this.setConnected(false, 'closed');
  }

  protected carry(direction: Direction, bytes: Uint8Array, at: number): void {
    const from = direction === 'a->b' ? 0 : 1;
    const fromEnd = from === 0 ? this.a : this.b;
    if (!fromEnd.local) {
      // From the outside program, through its wire: hand it to our end.
      this.peerOf(direction).receive(bytes, at);
      return;
    }
    const socket = this.sockets[from];
    if (this.state !== 'open' || !socket || socket.destroyed) return; // gone: lost, as on a cut line
    if (this.peerOf(direction).local) this.inFlight.sent(direction, bytes.length);
    socket.write(bytes);
  }

  private listen(host: string, port: number): { listening: Promise<void>; first: Promise<Socket> } {
    const server = createServer({ noDelay: true });
    this.server = server;
    let accept!: (s: Socket) => void;
    const first = new Promise<Socket>((resolve) => (accept = resolve));
    let accepted = false;
    server.on('connection', (socket) => {
      if (this.sockets[1] || this.state === 'closed') {
        socket.destroy(); // one connection at a time per link
        return;
      }
      if (this.a.local) {
        // the rig's own first end: its one connection; anyone else is turned away
        if (accepted) socket.destroy();
        else {
          accepted = true;
          accept(socket);
        }
        return;
      }
      // An outside terminal, when it connects, and again after its connection dropped (GPRS): the link comes
      // up with each connection and goes down when it closes.
      this.attach(1, socket);
      this.setConnected(true, `${this.a.name} (external) connected to ${this.listening}`);
    });
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address() as { address: string; port: number };
        this.listening = `tcp://${address.address}:${address.port}`;
        resolve();
      });
    });
    return { listening, first };
  }

  private dial(host: string, port: number): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  private attach(i: 0 | 1, socket: Socket): void {
    this.sockets[i] = socket;
    const end = i === 0 ? this.a : this.b;
    const peer = i === 0 ? this.b : this.a;
    const inbound: Direction = i === 0 ? 'b->a' : 'a->b';
    socket.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
      if (peer.local) {
        // Written by our other socket after its wire: deliver now, at the rig instant the wire chose.
        end.receive(bytes, this.clock.now());
        this.inFlight.arrivedNow(inbound, bytes.length);
      } else {
        this.enter(inbound, bytes, this.clock.now());
      }
    });
    socket.on('error', (error: Error) => this.report({ type: 'error', end: end.name, detail: `TCP: ${error.message}` }));
    socket.on('close', () => {
      if (this.sockets[i] !== socket) return; // closed by us
      this.sockets[i] = undefined;
      if (this.state === 'open') {
        this.setConnected(false, `TCP connection of ${end.name} closed by the other side`);
        this.inFlight.giveUp('connection closed');
      }
    });
  }

  private async teardown(): Promise<void> {
    this.state = 'closed';
    this.removeSettler?.();
    this.removeSettler = undefined;
    this.inFlight.giveUp('link closed');
    const sockets = this.sockets.filter((s): s is Socket => s !== undefined);
    this.sockets = [undefined, undefined];
    for (const s of sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
