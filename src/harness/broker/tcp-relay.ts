import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The rig's network path to the broker: a TCP relay on 127.0.0.1 that every device's MQTT connection goes
 * through. Cutting it drops every connection and refuses new ones, which is what a broker outage looks like
 * from the devices, whether the broker is the embedded one or an external mosquitto, EMQX or RabbitMQ that
 * the rig cannot stop. Bytes pass unchanged (TLS included).
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private isCut = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the broker relay has no TCP port');
    this.port = address.port;
    return this.port;
  }

  get cut(): boolean {
    return this.isCut;
  }

  /** Drops every connection and refuses new ones until {@link restore}. */
  cutAll(): void {
    this.isCut = true;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.isCut = false;
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cutAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: this.target.host, port: this.target.port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on('error', drop);
      s.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
