import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { Rng } from '../../crypto/random.ts';
import { filterCovers, topicMatches } from './topic-filter.ts';

/** What a client may do on the broker: MQTT filters it may publish to and subscribe to. */
export interface TopicGrants {
  publish: string[];
  subscribe: string[];
}

export interface Credentials {
  username?: string;
  password?: string;
}

interface Issued {
  password: Buffer;
  grants: TopicGrants;
}

/**
 * The rig's own MQTT broker: aedes (MQTT 3.1.1) on 127.0.0.1, a free port. Every client needs credentials
 * the rig issued for its client id, with the topics it may use, so one seal cannot publish as another:
 * a publish outside the grants drops the connection, a subscription outside them is refused (0x80).
 */
export class EmbeddedBroker {
  private readonly issued = new Map<string, Issued>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly aedes: Aedes,
    private readonly server: Server,
    readonly port: number,
    private readonly rng: Rng,
  ) {}

  static async start(rng: Rng): Promise<EmbeddedBroker> {
    let broker: EmbeddedBroker | undefined;
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => broker!.authenticate(client.id, username, password, done),
      authorizePublish: (client, packet, done) => done(broker!.mayPublish(client?.id, packet.topic)),
      authorizeSubscribe: (client, sub, done) => done(null, broker!.maySubscribe(client.id, sub.topic) ? sub : null),
    });
    const server = createServer((socket) => {
      socket.setNoDelay(true); // small MQTT packets: Nagle plus delayed ACK would add ~40 ms per hop
      broker?.sockets.add(socket);
      socket.on('close', () => broker?.sockets.delete(socket));
      aedes.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the embedded broker has no TCP port');
    broker = new EmbeddedBroker(aedes, server, address.port, rng);
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Credentials bound to one client id and its grants (user name = client id). Issuing again replaces them. */
  issue(clientId: string, grants: TopicGrants): Required<Credentials> {
    const password = Buffer.from(this.rng.bytes(16)).toString('hex');
    this.issued.set(clientId, { password: Buffer.from(password), grants: { publish: [...grants.publish], subscribe: [...grants.subscribe] } });
    return { username: clientId, password };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authenticate(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: (Error & { returnCode: number }) | null, success: boolean | null) => void,
  ): void {
    const refuse = (returnCode: number, message: string) => done(Object.assign(new Error(message), { returnCode }), false);
    const entry = username === undefined ? undefined : this.issued.get(username);
    if (!entry || !password || password.length !== entry.password.length || !timingSafeEqual(password, entry.password)) {
      return refuse(4, `bad user name or password for client '${clientId}'`);
    }
    // The credentials name the client: nobody connects under another's id.
    if (clientId !== username) return refuse(2, `client id '${clientId}' does not match its credentials ('${username}')`);
    done(null, true);
  }

  private mayPublish(clientId: string | undefined, topic: string): Error | null {
    if (clientId === undefined) return null; // the broker's own messages
    const grants = this.issued.get(clientId)?.grants;
    if (grants?.publish.some((f) => topicMatches(f, topic))) return null;
    return new Error(`client '${clientId}' may not publish to '${topic}'`);
  }

  private maySubscribe(clientId: string, filter: string): boolean {
    return this.issued.get(clientId)?.grants.subscribe.some((g) => filterCovers(g, filter)) ?? false;
  }
}
