import { randomBytes } from 'node:crypto';
import { startInfra, withDatabase, type Infra } from '@dlsync/infra';
import { makePool, migrate } from '@dlsync/store';
import { Redis } from 'ioredis';

export interface DemoInfra {
  provider: Infra['provider'];
  /** A fresh, migrated database of its own. */
  databaseUrl: string;
  redisUrl: string;
  /** A fresh Redis key prefix of its own. */
  prefix: string;
  /** Drops the database, deletes the prefix's keys and stops what startInfra started. */
  stop(): Promise<void>;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const pool = makePool({ databaseUrl: serverUrl, poolMax: 1, applicationName: 'dlsync-demo' });
  try {
    await pool.query(sql);
  } finally {
    await pool.end();
  }
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Postgres + Redis for the demo (env URLs → testcontainers → local binaries). Even on a
 * server given through DATABASE_URL/REDIS_URL the demo gets its own database and key prefix,
 * so it never touches existing data, and removes both afterwards.
 */
export async function startDemoInfra(log: (message: string) => void): Promise<DemoInfra> {
  const infra = await startInfra({ log: (m) => log(`infra: ${m}`) });
  const id = randomBytes(4).toString('hex');
  const database = `dlsync_demo_${id}`;
  const prefix = `dlsync-demo-${id}`;
  try {
    await adminQuery(infra.databaseUrl, `CREATE DATABASE ${database}`);
  } catch (err) {
    await infra.stop();
    throw new Error(`cannot create the demo database on ${infra.provider} Postgres: ${(err as Error).message}`);
  }
  const databaseUrl = withDatabase(infra.databaseUrl, database);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      const results = await Promise.allSettled([
        adminQuery(infra.databaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
        deleteKeys(infra.redisUrl, prefix),
      ]);
      await infra.stop();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })());
  try {
    const { applied } = await migrate(databaseUrl);
    log(`migrated ${database} (${applied.length} migrations)`);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { provider: infra.provider, databaseUrl, redisUrl: infra.redisUrl, prefix, stop };
}
