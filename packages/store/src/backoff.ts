/** Capped exponential backoff of rows that keep being skipped. */
export interface BackoffPolicy {
  /** Wait after the first skip at a status, in seconds. (Default: 60) */
  baseSeconds?: number;
  /** Longest wait, in seconds: a stuck row is still retried this often. (Default: 3600) */
  maxSeconds?: number;
  /** Fixed delay before a row that is only waiting for the other side is due again, in seconds. (Default: 60) */
  waitingSeconds?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffPolicy> = { baseSeconds: 60, maxSeconds: 3600, waitingSeconds: 60 };

/** The policy with defaults filled in. @throws RangeError for a non-positive or inverted policy. */
export function resolveBackoff(policy: BackoffPolicy = {}): Required<BackoffPolicy> {
  const resolved = { ...DEFAULT_BACKOFF, ...policy };
  const { baseSeconds, maxSeconds, waitingSeconds } = resolved;
  if (!(baseSeconds > 0) || !(maxSeconds >= baseSeconds) || !(waitingSeconds > 0)) {
    throw new RangeError(`backoff needs 0 < baseSeconds <= maxSeconds, got ${baseSeconds} and ${maxSeconds}`);
  }
  return resolved;
}

/** Seconds to wait after the `attempt`-th skip (1-based): base · 2^(attempt−1), at most max. */
export function backoffSeconds(attempt: number, policy: Required<BackoffPolicy>): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
}
