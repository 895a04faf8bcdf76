import { ConfigError } from '@dlsync/config';

/**
 * Refuses a task pool smaller than the number of runs a process may have going at once. Each
 * run needs a connection of its own for its queries and transactions (the advisory locks come
 * from the separate lock pool); with fewer, runs queue behind each other for connections until
 * their acquisition times out.
 * @throws ConfigError at `postgres.pool_max` (or `key`)
 */
export function assertPoolBudget(poolMax: number, concurrentRuns: number, key = 'postgres.pool_max'): void {
  if (Number.isInteger(poolMax) && poolMax >= concurrentRuns) return;
  throw new ConfigError(
    [
      {
        path: key,
        message: `${poolMax} is too small: this process runs up to ${concurrentRuns} tasks at once and each needs a connection; set it to at least ${concurrentRuns}`,
      },
    ],
    'env',
  );
}
