import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import type { DataCentre } from './data-centre.ts';
import { dataCentreHandlers } from './handlers.ts';

export interface ServedDataCentre {
  server: Server;
  /** The API's base URL, `http://127.0.0.1:<port>/api/v1`, what a workstation's or a device's `url:` names. */
  url: string;
  /** Each request as `METHOD /path`, in order, those `trouble` answered included. */
  hits: string[];
  close(): Promise<void>;
}

/**
 * A data centre behind a real node:http server on loopback: the same msw handlers the rig answers in-process
 * (with their answer check on), behind a socket, so a workstation's requests cross real HTTP. `dc` may be a
 * getter, for a data centre made afresh per run. `trouble(n, res)` may answer the n-th request itself (a 503,
 * or never) and return true.
 */
export async function serveDataCentre(
  dc: DataCentre | (() => DataCentre),
  options: { port?: number; trouble?: (n: number, res: ServerResponse) => boolean } = {},
): Promise<ServedDataCentre> {
  const hits: string[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    hits.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (options.trouble?.(hits.length, res)) return;
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`${origin}${req.url}`, { method: req.method!, headers: req.headers as Record<string, string>, ...(body ? { body } : {}) });
    const centre = typeof dc === 'function' ? dc() : dc;
    const response = await getResponse(dataCentreHandlers(centre, `${origin}/api/v1`, { checkAnswers: true }), request);
    res.writeHead(response?.status ?? 404, { 'content-type': 'application/json' });
    res.end(response ? await response.text() : JSON.stringify({ error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
