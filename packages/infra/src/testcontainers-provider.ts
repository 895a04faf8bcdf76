import type { Infra, InfraLog } from './types.js';

/** Images the testcontainers provider runs; the versions production uses. */
export const CONTAINER_IMAGES = { postgres: 'postgres:15-alpine', redis: 'redis:7-alpine' } as const;

/**
 * Postgres + Redis in throwaway containers. testcontainers is imported only here, so processes
 * that never reach this provider don't pay for loading dockerode. Ryuk removes the containers
 * even if this process dies without calling stop().
 */
export async function startContainers(log: InfraLog): Promise<Infra> {
  const { GenericContainer, Wait } = await import('testcontainers');
  log(`starting ${CONTAINER_IMAGES.postgres} and ${CONTAINER_IMAGES.redis} with testcontainers`);
  const started = await Promise.allSettled([
    new GenericContainer(CONTAINER_IMAGES.postgres)
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'])
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      .withExposedPorts(5432)
      // The entrypoint starts Postgres twice (init, then for real); the second "ready" is the one.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer(CONTAINER_IMAGES.redis)
      .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start(),
  ]);
  const [pgResult, redisResult] = started;
  if (pgResult.status === 'rejected' || redisResult.status === 'rejected') {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop().catch(() => undefined) : undefined)));
    throw (pgResult.status === 'rejected' ? pgResult.reason : (redisResult as PromiseRejectedResult).reason) as Error;
  }
  const postgres = pgResult.value;
  const redis = redisResult.value;
  const databaseUrl = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`;
  const redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  log(`postgres at ${databaseUrl}, redis at ${redisUrl}`);
  let stopping: Promise<void> | undefined;
  return {
    provider: 'testcontainers',
    databaseUrl,
    redisUrl,
    stop: () => {
      stopping ??= Promise.all([postgres.stop(), redis.stop()]).then(() => log('containers stopped'));
      return stopping;
    },
  };
}
