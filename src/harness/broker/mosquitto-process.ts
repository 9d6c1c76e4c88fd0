import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A private mosquitto for tests and benchmarks: a generated configuration on a free loopback port, one
 * user with a password, an ACL limited to the seal system's topics, no persistence. `stop()` ends it (by
 * its own pid) and removes its files. The system's mosquitto service, if any, is left alone.
 */
export interface MosquittoProcess {
  url: string;
  port: number;
  username: string;
  password: string;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  binary?: string;
  username?: string;
  password?: string;
  topics?: string[];
  /** Listen with TLS (MQTT over TLS, `mqtts://localhost:port`) with this server certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /**
   * Let clients in without credentials, reading and writing these topic filters: a broker whose ACL is
   * no barrier, to show what the seal system's own message authentication must hold against.
   */
  anonymous?: string[];
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
  const binary = options.binary ?? process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
  const username = options.username ?? 'rig';
  const password = options.password ?? 'rig-test-password';
  const dir = await mkdtemp(join(tmpdir(), 'rig-mosquitto-'));
  const port = await freePort();
  execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), username, password]);
  const topics = options.topics ?? ['seal/#', 'operator/#'];
  // Topic lines before the first `user` line are what anonymous clients may do (mosquitto.conf(5), acl_file).
  const anonymous = (options.anonymous ?? []).map((t) => `topic readwrite ${t}`);
  await writeFile(join(dir, 'acl'), [...anonymous, `user ${username}`, ...topics.map((t) => `topic readwrite ${t}`), ''].join('\n'));
  await writeFile(
    join(dir, 'mosquitto.conf'),
    [
      // Run as root, mosquitto would switch to user 'mosquitto', who cannot read this private temp dir.
      `user ${userInfo().username}`,
      `listener ${port} 127.0.0.1`,
      ...(options.tls ? [`certfile ${resolve(options.tls.certFile)}`, `keyfile ${resolve(options.tls.keyFile)}`] : []),
      `allow_anonymous ${options.anonymous ? 'true' : 'false'}`,
      `password_file ${join(dir, 'passwd')}`,
      `acl_file ${join(dir, 'acl')}`,
      'persistence false',
      'max_queued_messages 100000',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  let log = '';
  const child = spawn(binary, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(port, Date.now() + 10_000, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  // Over TLS the name the server certificate carries, so the client can check it.
  return { url: options.tls ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`, port, username, password, stop };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilListening(port: number, deadline: number, log: () => string): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on 127.0.0.1:${port}: ${log() || 'no output'}`);
}
