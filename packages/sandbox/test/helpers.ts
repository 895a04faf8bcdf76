import { createCipheriv, createHash } from 'node:crypto';
import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';
import type { Sandbox } from '../src/index.js';

/** Response bodies are asserted field by field, so tests read them untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Independent implementation of the Lingxing signing rules (SPEC §8), for the tests only. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

export function signString(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => {
      const v = params[k];
      // lossless-json writes a bigint as its plain digits, as an 18-digit id goes on the wire.
      return `${k}=${v === null ? 'null' : typeof v === 'object' ? stringify(sortKeys(v)) : String(v)}`;
    })
    .join('&');
}

export function testSign(params: Record<string, unknown>, appId: string): string {
  const md5 = createHash('md5').update(signString(params)).digest('hex').toUpperCase();
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(appId), null);
  return Buffer.concat([cipher.update(md5, 'utf8'), cipher.final()]).toString('base64');
}

export async function lingxingToken(sandbox: Sandbox): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const { lingxingAppId, lingxingAppSecret } = sandbox.credentials;
  // Multipart form fields, as the auth reference sends them (fetch sets the boundary).
  const form = new FormData();
  form.append('appId', lingxingAppId);
  form.append('appSecret', lingxingAppSecret);
  const response = await fetch(`${sandbox.lingxingUrl}/api/auth-server/oauth/access-token`, { method: 'POST', body: form });
  const json = (await response.json()) as { code: string; data: { access_token: string; refresh_token: string; expires_in: number } };
  if (json.code !== '200') throw new Error(`token call failed: ${JSON.stringify(json)}`);
  return json.data;
}

export interface LingxingCallOptions {
  timestamp?: number;
  /** Mutates the sign after computing it. */
  tamper?: boolean;
}

/** A signed Lingxing business call; returns the parsed JSON (or the raw text when it is not JSON). */
export async function lingxingCall(sandbox: Sandbox, token: string, path: string, body: Record<string, unknown>, options: LingxingCallOptions = {}): Promise<{ status: number; json: Json; text: string }> {
  const appId = sandbox.credentials.lingxingAppId;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const sorted = sortKeys(body) as Record<string, unknown>;
  let sign = testSign({ ...sorted, access_token: token, app_key: appId, timestamp }, appId);
  if (options.tamper) sign = `${sign.slice(0, -3)}AA=`;
  const query = new URLSearchParams({ access_token: token, app_key: appId, timestamp, sign });
  const response = await fetch(`${sandbox.lingxingUrl}${path}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stringify(sorted),
  });
  const text = await response.text();
  let json: unknown;
  try {
    // Lingxing ids are 18-digit integers: read them as their digits, never as rounded doubles.
    json = parse(text, null, (digits) => (isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits)));
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

export async function dscoFetch(sandbox: Sandbox, path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; json: Json; headers: Headers; text: string }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `bearer ${init.token ?? sandbox.credentials.dscoToken}`);
  // DSCO expects the JSON content type on every request, reads included.
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${sandbox.dscoUrl}${path}`, { ...init, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, headers: response.headers, text };
}

export async function control(sandbox: Sandbox, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${sandbox.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${method} ${path} → ${response.status}: ${await response.text()}`);
  return response.json();
}

/** RFC3339 for a moment `secondsAgo` in the past (wall time). */
export const isoAgo = (secondsAgo: number): string => new Date(Date.now() - secondsAgo * 1000).toISOString();
