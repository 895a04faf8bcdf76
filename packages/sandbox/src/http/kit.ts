import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A parsed incoming request; the body is read fully before handlers run. */
export interface SandboxRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export type Handler = (request: SandboxRequest) => Promise<SandboxResponse | undefined>;

/** Thrown by body parsers; the side turns it into its own error shape. */
export class BadRequestBodyError extends Error {
  override readonly name = 'BadRequestBodyError';
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json;charset=UTF-8', ...headers } };
}

export function htmlResponse(status: number, html: string): SandboxResponse {
  return { status, body: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
}

export function parseJsonBody(request: SandboxRequest): unknown {
  if (request.body.length === 0) throw new BadRequestBodyError('request body is empty');
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new BadRequestBodyError('request body is not valid JSON');
  }
}

/** Form fields merged over query fields (the Lingxing and OAuth token endpoints accept either). */
export function formAndQuery(request: SandboxRequest): URLSearchParams {
  const merged = new URLSearchParams(request.query);
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded') && request.body.length > 0) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) merged.set(key, value);
  } else if (type.includes('application/json') && request.body.length > 0) {
    const parsed = parseJsonBody(request);
    if (parsed && typeof parsed === 'object') {
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') merged.set(key, value);
    }
  }
  return merged;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BadRequestBodyError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: SandboxResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, { 'content-length': String(Buffer.byteLength(response.body)), ...response.headers });
  res.end(response.body);
}

/** An HTTP server over `handler`; a handler returning undefined leaves the request hanging (timeout fault). */
export function makeHttpServer(handler: Handler): Server {
  return createServer((req, res) => {
    void (async () => {
      let response: SandboxResponse | undefined;
      try {
        const url = new URL(req.url ?? '/', 'http://sandbox.local');
        const body = await readBody(req);
        response = await handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
      } catch (error) {
        response = jsonResponse(500, { message: error instanceof Error ? error.message : 'internal error' });
      }
      if (response) send(res, response);
    })();
  });
}

export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
