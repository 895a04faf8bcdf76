import type { Redis } from 'ioredis';
import type { EnvConfig } from '@dlsync/config';
import { DSCO_ENDPOINT_LIMITS, makeDscoClient, type DscoClient, type DscoEndpoint } from '@dlsync/dsco';
import type { Logger } from '@dlsync/logger';
import type { CallObserver, RateLimit } from '@dlsync/remote';

/** True when `auth.dsco` holds a token or a client id and secret (what `assertConfigFor(…, ['dsco'])` asks for). */
export function hasDscoCredentials(env: EnvConfig): boolean {
  const d = env.auth.dsco;
  return Boolean(d.token || (d.client_id && d.client_secret));
}

/**
 * The DSCO client of env config, on the given Redis and `redis.prefix`, so every process that
 * builds it (workers, admin) shares DSCO's per-endpoint limits and the optional account cap.
 * The caller checks the credentials first (`assertConfigFor` or {@link hasDscoCredentials}).
 */
export function makeDscoClientFromEnv(env: EnvConfig, deps: { redis: Redis; logger: Logger; onCall?: CallObserver }): DscoClient {
  const d = env.auth.dsco;
  return makeDscoClient({
    baseUrl: env.integration.dsco.base_url,
    auth: d.token ? { token: d.token } : { clientId: d.client_id!, clientSecret: d.client_secret! },
    redis: deps.redis,
    keyPrefix: `${env.redis.prefix}:`,
    // DSCO's per-endpoint limits always apply; the env keys add an optional account-wide cap and
    // may change dlsync's own pacing of the change logs (which DSCO states no rate for).
    rateLimits: { overall: dscoAccountCap(env.integration.dsco), endpoints: changeLogPacing(env.integration.dsco) },
    timeoutMs: env.integration.dsco.timeout_ms,
    logger: deps.logger,
    ...(deps.onCall ? { onCall: deps.onCall } : {}),
  });
}

/** The optional account-wide DSCO cap from `integration.dsco.rate_per_second` / `rate_per_minute`. */
function dscoAccountCap(dsco: { rate_per_second?: number | undefined; rate_per_minute?: number | undefined }): RateLimit[] {
  return [
    ...(dsco.rate_per_second !== undefined ? [{ max: dsco.rate_per_second, perMs: 1_000 }] : []),
    ...(dsco.rate_per_minute !== undefined ? [{ max: dsco.rate_per_minute, perMs: 60_000 }] : []),
  ];
}

const CHANGE_LOGS: readonly DscoEndpoint[] = ['GET /order/log', 'GET /invoice/log', 'GET /inventory/log'];

/** The change logs' pacing when `change_log_rate_per_second` / `_per_minute` is set; a key left out keeps its default. */
export function changeLogPacing(dsco: { change_log_rate_per_second?: number | undefined; change_log_rate_per_minute?: number | undefined }): Partial<Record<DscoEndpoint, RateLimit[]>> {
  if (dsco.change_log_rate_per_second === undefined && dsco.change_log_rate_per_minute === undefined) return {};
  const pacing = (endpoint: DscoEndpoint): RateLimit[] =>
    DSCO_ENDPOINT_LIMITS[endpoint].limits.map((l) => {
      const set = l.perMs === 1_000 ? dsco.change_log_rate_per_second : l.perMs === 60_000 ? dsco.change_log_rate_per_minute : undefined;
      return set === undefined ? l : { ...l, max: set };
    });
  return Object.fromEntries(CHANGE_LOGS.map((e) => [e, pacing(e)]));
}
