#!/usr/bin/env node
import { assertConfigFor, exitOnConfigError, loadEnvConfig, type EnvConfig } from '@dlsync/config';
import { exitOnSignals } from '@dlsync/services';
import { makeLogger } from '@dlsync/logger';
import { makeRedisConnection } from '@dlsync/queue';
import { makeStore } from '@dlsync/store';
import { parseSchedulerArgs } from './cli-options.js';
import { startScheduler } from './start-scheduler.js';

const { pollMs } = parseSchedulerArgs(process.argv);
let env: EnvConfig;
try {
  env = loadEnvConfig();
  assertConfigFor(env, ['postgres', 'redis']);
} catch (err) {
  exitOnConfigError(err);
}
const logger = makeLogger({ level: env.log.level, fields: { app: 'scheduler' } });
const store = makeStore({
  databaseUrl: env.postgres.url!,
  poolMax: 2,
  onPoolError: (err) => logger.warn('postgres pool error', { error: err.message }),
});
const connection = makeRedisConnection(env.redis.url!);
connection.on('error', (err: Error) => logger.warn('redis error', { error: err.message }));
const closeClients = async (): Promise<void> => {
  await store.close();
  connection.disconnect();
};

try {
  const app = await startScheduler({ store, connection, prefix: env.redis.prefix, logger, pollMs });
  exitOnSignals(async () => {
    await app.close();
    await closeClients();
  }, logger);
  logger.info('scheduler started', { pid: process.pid, poll_ms: pollMs, first: app.first.kind });
} catch (err) {
  logger.error('scheduler failed to start', { error: (err as Error).message });
  await closeClients();
  process.exit(1);
}
