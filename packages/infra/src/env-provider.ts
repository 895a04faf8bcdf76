import { InfraUnavailableError, type Infra } from './types.js';

/**
 * Uses `DATABASE_URL` and `REDIS_URL` when both are set; starts nothing. Exactly one of them set
 * is a mistake worth stopping for, not a reason to silently start a throwaway server for both.
 */
export function envInfra(env: NodeJS.ProcessEnv = process.env): Infra | undefined {
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl && !redisUrl) return undefined;
  if (!databaseUrl || !redisUrl) {
    const missing = databaseUrl ? 'REDIS_URL' : 'DATABASE_URL';
    throw new InfraUnavailableError(`${missing} is not set: set both DATABASE_URL and REDIS_URL, or neither`);
  }
  return { provider: 'env', databaseUrl, redisUrl, stop: async () => undefined };
}
