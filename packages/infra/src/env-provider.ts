import type { Infra } from './types.js';

/** Uses `DATABASE_URL` and `REDIS_URL` when both are set; starts nothing. */
export function envInfra(env: NodeJS.ProcessEnv = process.env): Infra | undefined {
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl || !redisUrl) return undefined;
  return { provider: 'env', databaseUrl, redisUrl, stop: async () => undefined };
}
