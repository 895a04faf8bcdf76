import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Health {
  ok: boolean;
  [field: string]: unknown;
}

export interface HealthServer {
  /** e.g. `http://127.0.0.1:9090/healthz` */
  url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** (Default: `0.0.0.0`, so container health checks and orchestrators can reach it) */
  host?: string;
  /** Current health; `ok: false` answers 503. */
  check: () => Health | Promise<Health>;
}

/** A bare `GET /healthz` endpoint for orchestrators; everything else is 404. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    Promise.resolve()
      .then(options.check)
      .then(
        (health) => res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health)),
        (err: Error) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: err.message })),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
