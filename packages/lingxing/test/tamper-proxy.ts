import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A real HTTP proxy in front of `target` that rewrites business request bodies after the
 * client signed them (a man in the middle), leaving auth calls alone.
 */
export async function startTamperProxy(target: string, rewriteBody: (body: string) => string): Promise<TamperProxy> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const original = Buffer.concat(chunks).toString('utf8');
      const body = req.url?.startsWith('/api/auth-server') ? original : rewriteBody(original);
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(await upstream.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
