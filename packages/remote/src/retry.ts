import { sleep } from './sleep.js';

export interface RetryPolicy {
  /** Total tries including the first. (Default: 5) */
  attempts: number;
  /** First backoff ceiling in ms; doubles each retry. (Default: 200) */
  baseMs: number;
  /** Largest backoff in ms. (Default: 10000) */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseMs: 200, maxMs: 10_000 };

/** Errors a remote client throws expose whether another try could succeed. */
export interface RetryableError {
  retryable: boolean;
  /** Server-suggested wait (Retry-After), if any. */
  retryAfterMs?: number;
}

export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Partial<RetryableError>).retryable === true;
}

/** Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs·2^retry)]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export interface WithRetryOptions {
  policy?: Partial<RetryPolicy>;
  /** Whether `err` deserves another try. (Default: {@link isRetryable}) */
  shouldRetry?: (err: unknown) => boolean;
  signal?: AbortSignal;
  onRetry?: (info: { err: unknown; attempt: number; delayMs: number }) => void;
  random?: () => number;
}

/**
 * Calls `fn` until it succeeds, a non-retryable error is thrown, or the attempts run out (the
 * last error is rethrown). A Retry-After hint wins over the computed backoff when longer.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: WithRetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const shouldRetry = options.shouldRetry ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !shouldRetry(err) || options.signal?.aborted) throw err;
      const hint = (err as Partial<RetryableError>).retryAfterMs ?? 0;
      const delayMs = Math.min(policy.maxMs, Math.max(hint, backoffDelay(attempt - 1, policy, options.random)));
      options.onRetry?.({ err, attempt, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}
