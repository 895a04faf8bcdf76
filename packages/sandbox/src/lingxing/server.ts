import { BadRequestBodyError, formAndQuery, jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import { runWithFault, type Faults } from '../faults.js';
import { LINGXING_PATHS, type ResolvedOptions } from '../options.js';
import type { SimClock } from '../clock.js';
import type { World } from '../world/world.js';
import type { Buckets } from './buckets.js';
import { accessDenied } from './access.js';
import { GATEWAY, gatewayError, mpError } from './envelopes.js';
import { LINGXING_HANDLERS } from './handlers.js';
import { computeSign } from './sign.js';
import type { LingxingTokens } from './tokens.js';

export interface LingxingServerDeps {
  options: ResolvedOptions;
  world: World;
  clock: SimClock;
  faults: Faults;
  tokens: LingxingTokens;
  buckets: Buckets;
  signal: AbortSignal;
}

const SIGN_VALIDITY_SECONDS = 120;

function tokenEndpoint(request: SandboxRequest, { options, tokens, world }: LingxingServerDeps): SandboxResponse {
  const params = formAndQuery(request);
  const { lingxingAppId: appId, lingxingAppSecret: appSecret } = options.credentials;
  if (params.get('appId') !== appId) return jsonResponse(200, { code: GATEWAY.appNotFound, msg: 'appId does not exist', data: null });
  if (request.path === LINGXING_PATHS.accessToken) {
    if (params.get('appSecret') !== appSecret) return jsonResponse(200, { code: '2001002', msg: 'appSecret is incorrect', data: null });
    world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side: 'lingxing', kind: 'issue' });
    return jsonResponse(200, { code: '200', msg: 'OK', data: tokens.issue() });
  }
  const result = tokens.refresh(params.get('refreshToken') ?? '');
  if (!result.ok) return jsonResponse(200, { code: result.code, msg: result.msg, data: null });
  world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side: 'lingxing', kind: 'refresh' });
  return jsonResponse(200, { code: '200', msg: 'OK', data: result.token });
}

/** Gateway checks in the real order: parameters, app, token, timestamp, sign. */
function verifyGateway(request: SandboxRequest, body: Record<string, unknown>, { options, tokens, clock }: LingxingServerDeps): SandboxResponse | undefined {
  const accessToken = request.query.get('access_token');
  const appKey = request.query.get('app_key');
  const timestamp = request.query.get('timestamp');
  const sign = request.query.get('sign');
  if (!accessToken || !appKey || !timestamp || !sign) return gatewayError(GATEWAY.missingParams, 'missing access_token, app_key, timestamp or sign');
  const appId = options.credentials.lingxingAppId;
  if (appKey !== appId) return gatewayError(GATEWAY.appNotFound, 'app_key does not exist');
  const token = tokens.check(accessToken);
  if (token === 'expired') return gatewayError(GATEWAY.tokenExpired, 'access token is missing or expired');
  if (token === 'unknown') return gatewayError(GATEWAY.tokenMismatch, 'access token does not match');
  const seconds = Number(timestamp);
  if (!/^\d{10}$/.test(timestamp) || Math.abs(clock.wallNow() / 1000 - seconds) > SIGN_VALIDITY_SECONDS) {
    return gatewayError(GATEWAY.signExpired, 'sign has expired');
  }
  const expected = computeSign({ ...body, access_token: accessToken, app_key: appKey, timestamp }, appId);
  if (sign !== expected) return gatewayError(GATEWAY.wrongSign, 'api sign is incorrect');
  return undefined;
}

type BodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; response: SandboxResponse };

function readBusinessBody(request: SandboxRequest): BodyResult {
  if (request.body.length === 0) return { ok: true, body: {} };
  try {
    const parsed = parseJsonBody(request);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, response: mpError('request body must be a JSON object') };
    return { ok: true, body: parsed as Record<string, unknown> };
  } catch (error) {
    if (error instanceof BadRequestBodyError) return { ok: false, response: mpError(error.message) };
    throw error;
  }
}

function recordOutcome(world: World, key: string, response: SandboxResponse | undefined): void {
  const stats = world.recorder.endpoint(key);
  const status = response ? String(response.status) : 'no-response';
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  if (!response || !response.headers?.['content-type']?.includes('json')) return;
  try {
    const code = (JSON.parse(response.body) as { code?: unknown }).code;
    if (code !== undefined && code !== 0 && code !== '200') world.recorder.countCode(key, String(code));
  } catch {
    // A deliberately truncated body; the fault counter already has it.
  }
}

/** Handles one request to the fake Lingxing OpenAPI (everything but /_control). */
export async function handleLingxing(request: SandboxRequest, deps: LingxingServerDeps): Promise<SandboxResponse | undefined> {
  const { world, faults, buckets, clock, signal } = deps;
  const key = `lingxing ${request.path}`;
  const isToken = request.path === LINGXING_PATHS.accessToken || request.path === LINGXING_PATHS.refresh;
  const handler = LINGXING_HANDLERS[request.path];
  if (!isToken && !handler) return jsonResponse(404, { code: '404', msg: `no api at ${request.path}`, data: null });
  world.recorder.endpoint(key).calls += 1;
  if (request.method !== 'POST') {
    const response = jsonResponse(405, { code: '405', msg: 'method not allowed', data: null });
    recordOutcome(world, key, response);
    return response;
  }
  const decision = faults.decide('lingxing', request.path);
  if (decision.kind !== 'none') world.recorder.countFault(key, decision.kind);
  const throttled = (): SandboxResponse => gatewayError(GATEWAY.tooFrequent, 'request too frequent');
  let response: SandboxResponse | undefined;
  if (isToken) {
    response = await runWithFault(decision, async () => tokenEndpoint(request, deps), throttled, signal);
  } else {
    const read = readBusinessBody(request);
    const rejected = read.ok ? (verifyGateway(request, read.body, deps) ?? accessDenied(request.path, deps.options.lingxingAccess)) : read.response;
    if (rejected || !read.ok) response = rejected;
    else {
      const release = buckets.tryAcquire(request.path);
      if (!release) response = throttled();
      else {
        try {
          const ctx = { world, now: () => clock.now(), platformCode: deps.options.platformCode };
          response = await runWithFault(decision, async () => (handler as NonNullable<typeof handler>)(read.body, ctx), throttled, signal);
        } finally {
          release();
        }
      }
    }
  }
  recordOutcome(world, key, response);
  return response;
}
