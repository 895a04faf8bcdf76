import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { envConfigSchema, type EnvConfig } from '@dlsync/config';
import { startInfra, withDatabase, type Infra } from '@dlsync/infra';
import type { Sandbox } from '@dlsync/sandbox';
import { migrate } from '@dlsync/store';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh migrated database for one measurement, dropped afterwards. */
export async function makeBenchDatabase(infra: Infra): Promise<BenchDatabase> {
  const name = `dlsync_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(infra.databaseUrl, name);
  await migrate(url);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: infra.databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export { startInfra };

/** Env config pointing at the bench's database, Redis prefix and sandbox. */
export function benchEnvConfig(databaseUrl: string, redisUrl: string, prefix: string, sandbox: Sandbox): EnvConfig {
  return envConfigSchema.parse({
    postgres: { url: databaseUrl, pool_max: 10 },
    redis: { url: redisUrl, prefix },
    auth: {
      dsco: { token: sandbox.credentials.dscoToken },
      lingxing: { app_id: sandbox.credentials.lingxingAppId, app_secret: sandbox.credentials.lingxingAppSecret },
    },
    integration: {
      dsco: { base_url: sandbox.dscoUrl },
      lingxing: { base_url: sandbox.lingxingUrl, platform_code: 10009 },
    },
    log: { level: 'warn' },
  });
}

/** The same config as `DLSYNC__*` variables, for child processes. */
export function envVarsOf(env: EnvConfig): Record<string, string> {
  return {
    DLSYNC__POSTGRES__URL: env.postgres.url!,
    DLSYNC__REDIS__URL: env.redis.url!,
    DLSYNC__REDIS__PREFIX: env.redis.prefix,
    DLSYNC__AUTH__DSCO__TOKEN: env.auth.dsco.token!,
    DLSYNC__AUTH__LINGXING__APP_ID: env.auth.lingxing.app_id!,
    DLSYNC__AUTH__LINGXING__APP_SECRET: env.auth.lingxing.app_secret!,
    DLSYNC__INTEGRATION__DSCO__BASE_URL: env.integration.dsco.base_url,
    DLSYNC__INTEGRATION__LINGXING__BASE_URL: env.integration.lingxing.base_url,
    DLSYNC__INTEGRATION__LINGXING__PLATFORM_CODE: String(env.integration.lingxing.platform_code),
    DLSYNC__LOG__LEVEL: env.log.level,
  };
}

export function randomPrefix(): string {
  return `dlsync-bench-${randomBytes(4).toString('hex')}`;
}
