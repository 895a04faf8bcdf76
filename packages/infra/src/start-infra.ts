import { dockerEngineAnswers } from './docker-engine.js';
import { envInfra } from './env-provider.js';
import { defaultSearchPath, findLocalBinaries } from './local/find-binaries.js';
import { startLocalInfra } from './local/local-provider.js';
import { startContainers, CONTAINER_IMAGES } from './testcontainers-provider.js';
import { InfraUnavailableError, type Infra, type InfraLog, type ProviderName } from './types.js';

export interface StartInfraOptions {
  /** Where DATABASE_URL, REDIS_URL, DOCKER_HOST and PATH are read. (Default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** Providers to try, in this order. (Default: ['env', 'testcontainers', 'local']) */
  providers?: readonly ProviderName[];
  /**
   * Directories searched for initdb/pg_ctl and redis-server by the local provider.
   * (Default: `env.PATH` entries, then /usr/lib/postgresql/<major>/bin, newest major first)
   */
  searchPath?: readonly string[];
  /** Progress messages. (Default: discarded) */
  log?: InfraLog;
}

const DEFAULT_PROVIDERS: readonly ProviderName[] = ['env', 'testcontainers', 'local'];

const HOW_TO_FIX = [
  'set DATABASE_URL and REDIS_URL to a running Postgres and Redis',
  `start a Docker engine so testcontainers can run ${CONTAINER_IMAGES.postgres} and ${CONTAINER_IMAGES.redis}`,
  'install PostgreSQL server binaries (initdb, pg_ctl) and redis-server (Debian: apt-get install postgresql redis-server)',
];

/** What one provider did: a running Infra, or why it was skipped. */
type Attempt = Infra | { skipped: string };

async function tryProvider(name: ProviderName, options: StartInfraOptions, log: InfraLog): Promise<Attempt> {
  const env = options.env ?? process.env;
  switch (name) {
    case 'env':
      return envInfra(env) ?? { skipped: 'DATABASE_URL and REDIS_URL are not set' };
    case 'testcontainers':
      if (!(await dockerEngineAnswers(env))) return { skipped: 'no Docker engine answered' };
      return startContainers(log);
    case 'local': {
      const binaries = findLocalBinaries(options.searchPath ?? defaultSearchPath(env));
      if ('missing' in binaries) return { skipped: `${binaries.missing.join(' and ')} not found` };
      return startLocalInfra(binaries.found, log);
    }
  }
}

/**
 * Postgres + Redis for demo, tests and benchmarks: `DATABASE_URL`/`REDIS_URL` when set, else
 * testcontainers when a Docker engine answers, else local binaries in a temp dir on free ports.
 * A provider that is present but fails to start is logged and the next one is tried; when none
 * works, throws InfraUnavailableError naming the three ways to get one.
 */
export async function startInfra(options: StartInfraOptions = {}): Promise<Infra> {
  const log = options.log ?? (() => undefined);
  const reasons: string[] = [];
  for (const name of options.providers ?? DEFAULT_PROVIDERS) {
    let attempt: Attempt;
    try {
      attempt = await tryProvider(name, options, log);
    } catch (err) {
      if (err instanceof InfraUnavailableError) throw err;
      attempt = { skipped: `failed to start: ${(err as Error).message}` };
    }
    if (!('skipped' in attempt)) {
      log(`using ${name} provider`);
      return attempt;
    }
    log(`${name} provider: ${attempt.skipped}`);
    reasons.push(`${name}: ${attempt.skipped}`);
  }
  throw new InfraUnavailableError(
    [
      'no Postgres/Redis available. Do one of:',
      ...HOW_TO_FIX.map((fix) => `  - ${fix}`),
      `(tried ${reasons.join('; ')})`,
    ].join('\n'),
  );
}
