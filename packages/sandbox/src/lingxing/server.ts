import { jsonResponse, type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import { runWithFault, type Faults } from '../faults.js';
import { LINGXING_PATHS, type ResolvedOptions } from '../options.js';
import type { SimClock } from '../clock.js';
import type { World } from '../world/world.js';
import type { Buckets } from './buckets.js';
import { accessDenied } from './access.js';
import { erpError, GATEWAY, gatewayError, lingxingJson, mpError } from './envelopes.js';
import { LINGXING_HANDLERS } from './handlers.js';
import { parseLingxingJson } from './json.js';
import { REQUEST_SCHEMAS, refreshFormSchema, tokenFormSchema } from './request-schemas.js';
import { computeSign } from './sign.js';
import { checkBody, SOFT_RULES } from './validate.js';
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

/**
 * The auth server's form fields. Its reference pages send multipart/form-data (curl --form);
 * a secret or refresh token in the query string lands in every proxy log, so that is a
 * violation even though the fields are still read from there.
 */
async function readTokenForm(request: SandboxRequest, world: World): Promise<URLSearchParams> {
  const endpoint = `POST ${request.path}`;
  const fields = new URLSearchParams();
  const type = String(request.headers['content-type'] ?? '');
  if (/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type) && request.body.length > 0) {
    const form = await new Response(request.body, { headers: { 'content-type': type } }).formData().catch(() => undefined);
    for (const [key, value] of form ?? []) fields.set(key, String(value));
  }
  if (!/^multipart\/form-data/i.test(type)) {
    world.recorder.violation({ side: 'lingxing', endpoint, problem: `Content-Type ${type || '(none)'}: the auth server takes multipart/form-data`, refused: false });
  }
  const inQuery = [...request.query.keys()];
  if (inQuery.length > 0) {
    world.recorder.violation({ side: 'lingxing', endpoint, problem: `parameters in the URL (${inQuery.join(', ')}): credentials must go in form fields`, refused: false });
    for (const [key, value] of request.query) if (!fields.has(key)) fields.set(key, value);
  }
  const schema = request.path === LINGXING_PATHS.accessToken ? tokenFormSchema : refreshFormSchema;
  const checked = schema.safeParse(Object.fromEntries(fields));
  if (!checked.success) {
    const problem = checked.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
    world.recorder.violation({ side: 'lingxing', endpoint, problem, refused: false });
  }
  return fields;
}

async function tokenEndpoint(request: SandboxRequest, { options, tokens, world }: LingxingServerDeps): Promise<SandboxResponse> {
  const params = await readTokenForm(request, world);
  const { lingxingAppId: appId, lingxingAppSecret: appSecret } = options.credentials;
  if (params.get('appId') !== appId) return lingxingJson(200, { code: GATEWAY.appNotExist, msg: 'app not exist', data: null });
  if (request.path === LINGXING_PATHS.accessToken) {
    if (params.get('appSecret') !== appSecret) return lingxingJson(200, { code: GATEWAY.appSecretNotCorrect, msg: 'app secret not correct', data: null });
    world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side: 'lingxing', kind: 'issue' });
    return lingxingJson(200, { code: '200', msg: 'OK', data: tokens.issue() });
  }
  const result = tokens.refresh(params.get('refreshToken') ?? '');
  if (!result.ok) return lingxingJson(200, { code: result.code, msg: result.msg, data: null });
  world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side: 'lingxing', kind: 'refresh' });
  return lingxingJson(200, { code: '200', msg: 'OK', data: result.token });
}

/** Gateway checks in the real order: parameters, app, token, timestamp, sign. */
function verifyGateway(request: SandboxRequest, body: Record<string, unknown>, { options, tokens, clock }: LingxingServerDeps): SandboxResponse | undefined {
  const accessToken = request.query.get('access_token');
  const appKey = request.query.get('app_key');
  const timestamp = request.query.get('timestamp');
  const sign = request.query.get('sign');
  if (!accessToken || !appKey || !timestamp || !sign) return gatewayError(GATEWAY.missingQueryParam);
  const appId = options.credentials.lingxingAppId;
  if (appKey !== appId) return gatewayError(GATEWAY.appNotExist);
  const token = tokens.check(accessToken);
  if (token === 'expired') return gatewayError(GATEWAY.tokenExpired);
  if (token === 'unknown') return gatewayError(GATEWAY.tokenMismatch);
  const seconds = Number(timestamp);
  if (!/^\d{10}$/.test(timestamp) || Math.abs(clock.wallNow() / 1000 - seconds) > SIGN_VALIDITY_SECONDS) {
    return gatewayError(GATEWAY.signExpired);
  }
  const expected = computeSign({ ...body, access_token: accessToken, app_key: appKey, timestamp }, appId);
  if (sign !== expected) return gatewayError(GATEWAY.wrongSign);
  return undefined;
}

type BodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; response: SandboxResponse };

/** The JSON body, parsed so 18-digit integers keep their digits (the sign covers them exactly). */
function readBusinessBody(request: SandboxRequest): BodyResult {
  if (request.body.length === 0) return { ok: true, body: {} };
  let parsed: unknown;
  try {
    parsed = parseLingxingJson(request.body.toString('utf8'));
  } catch {
    return { ok: false, response: mpError('request body is not valid JSON') };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, response: mpError('request body must be a JSON object') };
  return { ok: true, body: parsed as Record<string, unknown> };
}

/**
 * The body checked against the endpoint's reference schema; a refusal is Lingxing's parameter
 * error in the endpoint's envelope style.
 */
function checkedBody(request: SandboxRequest, body: Record<string, unknown>, deps: LingxingServerDeps): BodyResult {
  const { world } = deps;
  const type = String(request.headers['content-type'] ?? '');
  if (!/^application\/json/i.test(type)) {
    world.recorder.violation({ side: 'lingxing', endpoint: `POST ${request.path}`, problem: `Content-Type ${type || '(none)'}: business calls send application/json`, refused: false });
  }
  const schema = REQUEST_SCHEMAS[request.path];
  if (!schema) return { ok: true, body };
  const checked = checkBody(world, request.path, schema, body);
  if (!checked.ok) {
    const response = request.path.startsWith('/erp/') ? erpError(checked.problem, deps.clock.now()) : mpError(checked.problem);
    return { ok: false, response };
  }
  const soft = SOFT_RULES[request.path]?.(checked.body);
  if (soft !== undefined) world.recorder.violation({ side: 'lingxing', endpoint: `POST ${request.path}`, problem: soft, refused: false });
  return { ok: true, body: checked.body };
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
  const throttled = (): SandboxResponse => gatewayError(GATEWAY.tooFrequent);
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
          const ctx = { world, now: () => clock.now(), wallNow: () => clock.wallNow(), platformCode: deps.options.platformCode };
          const run = async (): Promise<SandboxResponse> => {
            const checked = checkedBody(request, read.body, deps);
            return checked.ok ? (handler as NonNullable<typeof handler>)(checked.body, ctx) : checked.response;
          };
          response = await runWithFault(decision, run, throttled, signal);
        } finally {
          release();
        }
      }
    }
  }
  recordOutcome(world, key, response);
  return response;
}
