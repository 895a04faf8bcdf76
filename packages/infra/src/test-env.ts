import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { withDatabase } from './database-url.js';
import { testDatabasePrefix } from './test-env-names.js';

/** Env vars the jest global setup publishes to every test worker. */
export const TEST_ENV = {
  adminUrl: 'DLSYNC_TEST_ADMIN_DATABASE_URL',
  template: 'DLSYNC_TEST_TEMPLATE_DATABASE',
  redisUrl: 'DLSYNC_TEST_REDIS_URL',
} as const;


function readTestEnv(): { adminUrl: string; template: string; redisUrl: string } {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const template = process.env[TEST_ENV.template];
  const redisUrl = process.env[TEST_ENV.redisUrl];
  if (!adminUrl || !template || !redisUrl) {
    throw new Error('test infra is not set up: run tests through the repo jest config (npm test)');
  }
  return { adminUrl, template, redisUrl };
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database from the migrated template. CREATE DATABASE … TEMPLATE copies files,
 * so a migrated schema costs milliseconds instead of re-running migrations per file.
 */
export async function makeTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = readTestEnv();
  const name = `${testDatabasePrefix(template)}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Two files copying the same template at the same moment can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  return {
    name,
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // Not WITH (FORCE): jest runs this file's own afterAll hooks after this one, and killing
        // their still-open connections would fail the file. A database still in use is left to
        // the infra host, which drops every database of the run when the run ends.
        await c.query(`DROP DATABASE IF EXISTS ${name}`).catch((err: Error) => {
          if (!/being accessed by other users/.test(err.message)) throw err;
        });
      } finally {
        await c.end();
      }
    },
  };
}

/** Deletes every Redis key starting with `prefix`. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestEnv {
  /** URL of this file's own database (migrated). */
  databaseUrl: string;
  redisUrl: string;
  /** Key prefix owned by this file, e.g. `dlsync-t-ab12cd:`; use it for every Redis key and BullMQ prefix. */
  redisPrefix: string;
}

/**
 * Registers beforeAll/afterAll hooks giving the calling test file its own database and Redis
 * key prefix; both are removed afterwards. Read the fields inside tests or hooks, not at load.
 */
export function useTestEnv(): TestEnv {
  let db: TestDatabase | undefined;
  const state: Partial<TestEnv> = {};
  beforeAll(async () => {
    const { redisUrl } = readTestEnv();
    db = await makeTestDatabase();
    state.databaseUrl = db.url;
    state.redisUrl = redisUrl;
    state.redisPrefix = `dlsync-t-${randomBytes(5).toString('hex')}:`;
  });
  afterAll(async () => {
    await db?.drop();
    if (state.redisUrl && state.redisPrefix) await deleteRedisPrefix(state.redisUrl, state.redisPrefix);
  });
  const get = (key: keyof TestEnv): string => {
    const v = state[key];
    if (v === undefined) throw new Error(`test env ${key} read before beforeAll ran`);
    return v;
  };
  return {
    get databaseUrl() {
      return get('databaseUrl');
    },
    get redisUrl() {
      return get('redisUrl');
    },
    get redisPrefix() {
      return get('redisPrefix');
    },
  };
}
