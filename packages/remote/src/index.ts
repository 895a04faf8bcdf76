export { sleep } from './sleep.js';
export { withRetry, backoffDelay, isRetryable, DEFAULT_RETRY_POLICY } from './retry.js';
export type { RetryPolicy, RetryableError, WithRetryOptions } from './retry.js';
export { makeInflightLimiter } from './inflight-limiter.js';
export type { InflightLimiter, InflightLimiterOptions } from './inflight-limiter.js';
export { makeRateLimiter } from './rate-limiter.js';
export type { RateLimit, RateLimiter, RateLimiterOptions } from './rate-limiter.js';
export { makeCallCounter } from './call-observer.js';
export type { CallObserver, RemoteCallEvent } from './call-observer.js';
