import { type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import { runWithFault, type Faults } from '../faults.js';
import type { SimClock } from '../clock.js';
import type { World } from '../world/world.js';
import type { DscoAuth } from './auth.js';
import { checkRequest } from './contract.js';
import { dscoError } from './errors.js';
import { DSCO_HANDLERS } from './handlers.js';
import type { DscoRateLimiter } from './rate-limit.js';
import type { Scrolls } from './scrolls.js';

/** The fake mirrors `https://api.dsco.io/api/v3`: every API path lives under this prefix. */
export const DSCO_BASE_PATH = '/api/v3';

export interface DscoServerDeps {
  world: World;
  clock: SimClock;
  faults: Faults;
  auth: DscoAuth;
  rateLimiter: DscoRateLimiter;
  scrolls: Scrolls;
  signal: AbortSignal;
}

function tooManyRequests(retryAfterSeconds: number): SandboxResponse {
  const response = dscoError(429, 'TOO_MANY_REQUESTS', 'rate limit exceeded');
  return { ...response, headers: { ...response.headers, 'retry-after': String(retryAfterSeconds) } };
}

function record(world: World, key: string, response: SandboxResponse | undefined): void {
  const stats = world.recorder.endpoint(key);
  const status = response ? String(response.status) : 'no-response';
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
}

/** Handles one request to the fake DSCO API (everything but /_control). */
export async function handleDsco(request: SandboxRequest, deps: DscoServerDeps): Promise<SandboxResponse | undefined> {
  const { world, faults, auth, rateLimiter, scrolls, clock, signal } = deps;
  if (!request.path.startsWith(`${DSCO_BASE_PATH}/`)) return dscoError(404, 'NOT_FOUND', `no resource at ${request.path}`);
  const path = request.path.slice(DSCO_BASE_PATH.length);
  const isOauth = request.method === 'POST' && path === '/oauth2/token';
  const handler = DSCO_HANDLERS[`${request.method} ${path}`];
  if (!isOauth && !handler) return dscoError(404, 'NOT_FOUND', `no resource at ${request.method} ${path}`);
  const endpoint = `${request.method} ${path}`;
  const key = `dsco ${endpoint}`;
  world.recorder.endpoint(key).calls += 1;
  let response: SandboxResponse | undefined;
  const retryAfter = rateLimiter.check(endpoint);
  const checked = retryAfter > 0 ? undefined : checkRequest(request, endpoint, world.recorder);
  if (retryAfter > 0) response = tooManyRequests(retryAfter);
  else if (checked && !checked.ok) response = checked.response;
  else if (!isOauth && !auth.isAuthorized(request)) response = dscoError(401, 'UNAUTHORIZED', 'missing, invalid or expired bearer token');
  else {
    const decision = faults.decide('dsco', path);
    if (decision.kind !== 'none') world.recorder.countFault(key, decision.kind);
    const ctx = { endpoint, world, scrolls, wallNow: () => clock.wallNow() };
    const run = async (): Promise<SandboxResponse> => (isOauth ? auth.issue(request) : (handler as NonNullable<typeof handler>)(request, ctx));
    response = await runWithFault(decision, run, () => tooManyRequests(1), signal);
  }
  record(world, key, response);
  return response;
}
