import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  path: string;
  query: URLSearchParams;
  body: string;
  contentType: string;
}

/** The form fields of a multipart/form-data or urlencoded request. */
export async function formOf(req: StubRequest): Promise<Record<string, string>> {
  const form = await new Response(req.body, { headers: { 'content-type': req.contentType } }).formData();
  return Object.fromEntries([...form].map(([key, value]) => [key, String(value)]));
}

export interface StubReply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent verbatim (for HTML pages and broken JSON). */
  text?: string;
  contentType?: string;
  /** Hold the response this long (for timeouts). */
  delayMs?: number;
}

export interface StubServer {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** A tiny real HTTP server whose replies each test scripts. */
export async function startStub(handler: (req: StubRequest) => StubReply | Promise<StubReply>): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const request = {
        path: url.pathname,
        query: url.searchParams,
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: String(req.headers['content-type'] ?? ''),
      };
      requests.push(request);
      void Promise.resolve(handler(request)).then((reply) => {
        const send = (): void => {
          if (res.destroyed) return;
          const text = reply.text ?? JSON.stringify(reply.json ?? {});
          res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
          res.end(text);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
        else send();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A stub auth server reply issuing `token`. */
export function tokenReply(token: string, expiresIn = 7199): StubReply {
  return { json: { code: '200', msg: 'OK', data: { access_token: token, refresh_token: `refresh-${token}`, expires_in: expiresIn } } };
}
