import type { Redis } from 'ioredis';
import type { CallObserver } from '@dlsync/remote';

/** Redis hash of remote call counts shared by every process of the fleet. */
export function callMetricsKey(prefix: string): string {
  return `${prefix}:metrics:calls`;
}

/** Redis hash of failed remote calls per `<service> <endpoint> <code>` (HTTP status or API error code). */
export function callErrorsKey(prefix: string): string {
  return `${prefix}:metrics:call_errors`;
}

/**
 * Counts every remote call attempt in Redis so the admin's /metrics and the demo summary see
 * the whole fleet, not one process. Fields: `<service> <endpoint> <ok|error>`.
 */
export function makeRedisCallRecorder(redis: Redis, prefix: string): CallObserver {
  const key = callMetricsKey(prefix);
  const errors = callErrorsKey(prefix);
  return (e) => {
    // Metrics must never break a call: a failed increment is dropped.
    redis.hincrby(key, `${e.service} ${e.endpoint} ${e.outcome}`, 1).catch(() => undefined);
    if (e.outcome === 'error') redis.hincrby(errors, `${e.service} ${e.endpoint} ${e.code ?? 'none'}`, 1).catch(() => undefined);
  };
}

export interface CallCount {
  service: string;
  endpoint: string;
  ok: number;
  error: number;
}

export async function readCallCounts(redis: Redis, prefix: string): Promise<CallCount[]> {
  const raw = await redis.hgetall(callMetricsKey(prefix));
  const byEndpoint = new Map<string, CallCount>();
  for (const [field, value] of Object.entries(raw)) {
    const [service = '', endpoint = '', outcome] = field.split(' ');
    const key = `${service} ${endpoint}`;
    const c = byEndpoint.get(key) ?? { service, endpoint, ok: 0, error: 0 };
    if (outcome === 'ok' || outcome === 'error') c[outcome] += Number(value);
    byEndpoint.set(key, c);
  }
  return [...byEndpoint.values()].sort((a, b) => `${a.service}${a.endpoint}`.localeCompare(`${b.service}${b.endpoint}`));
}

export interface CallErrorCount {
  service: string;
  endpoint: string;
  /** HTTP status or API error code; `none` when the call failed without one (timeout, refused). */
  code: string;
  count: number;
}

export async function readCallErrorCounts(redis: Redis, prefix: string): Promise<CallErrorCount[]> {
  const raw = await redis.hgetall(callErrorsKey(prefix));
  return Object.entries(raw)
    .map(([field, value]) => {
      const [service = '', endpoint = '', code = 'none'] = field.split(' ');
      return { service, endpoint, code, count: Number(value) };
    })
    .sort((a, b) => `${a.service}${a.endpoint}${a.code}`.localeCompare(`${b.service}${b.endpoint}${b.code}`));
}
