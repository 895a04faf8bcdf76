import winston from 'winston';
import { assertConfigFor, loadEnvConfig, type EnvConfig } from '@dlsync/config';
import { makeLogger, type Logger, type LogLevel } from '@dlsync/logger';
import type { TaskQueues } from '@dlsync/queue';
import type { Services } from '@dlsync/services';
import type { Store } from '@dlsync/store';
import type { Redis } from 'ioredis';
import { stdio, type Output } from './output.js';

type Need = Parameters<typeof assertConfigFor>[1][number];

/** What every command gets: where to write, and lazy access to configuration and clients. */
export interface CliContext {
  output: Output;
  /** env.yaml ($DLSYNC_CONFIG, or `--config`) with DLSYNC__ overrides, checked for `needs`. */
  env(needs?: Need[]): EnvConfig;
  /** A logger on stderr, so stdout carries only the command's result. */
  logger(level?: LogLevel): Logger;
  withStore<T>(fn: (store: Store, env: EnvConfig) => Promise<T>): Promise<T>;
  withQueues<T>(fn: (queues: TaskQueues, ctx: { env: EnvConfig; connection: Redis }) => Promise<T>): Promise<T>;
  withServices<T>(fn: (services: Services) => Promise<T>, logLevel?: LogLevel): Promise<T>;
}

export interface MakeCliContextOptions {
  /** Path of env.yaml; read lazily so `--config` can be parsed first. */
  configPath: () => string | undefined;
  output?: Output;
}

// Clients are imported on first use so `dlsync --help` and light commands start fast.
export function makeCliContext(options: MakeCliContextOptions): CliContext {
  const output = options.output ?? stdio;
  const env = (needs: Need[] = []): EnvConfig => {
    const path = options.configPath();
    const config = loadEnvConfig(path ? { path } : {});
    assertConfigFor(config, needs);
    return config;
  };
  const logger = (level?: LogLevel): Logger =>
    makeLogger({
      level: level ?? env().log.level,
      fields: { app: 'cli' },
      transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
      pretty: Boolean(process.stderr.isTTY),
    });
  return {
    output,
    env,
    logger,
    async withStore(fn) {
      const config = env(['postgres']);
      const { makeStore } = await import('@dlsync/store');
      const store = makeStore({ databaseUrl: config.postgres.url!, poolMax: 2 });
      try {
        return await fn(store, config);
      } finally {
        await store.close();
      }
    },
    async withQueues(fn) {
      const config = env(['redis']);
      const { closeTaskQueues, makeRedisConnection, makeTaskQueues } = await import('@dlsync/queue');
      const connection = makeRedisConnection(config.redis.url!);
      try {
        const queues = await makeTaskQueues({ connection, prefix: config.redis.prefix });
        try {
          return await fn(queues, { env: config, connection });
        } finally {
          await closeTaskQueues(queues);
        }
      } finally {
        connection.disconnect();
      }
    },
    async withServices(fn, logLevel) {
      const config = env();
      const { makeServices } = await import('@dlsync/services');
      const services = makeServices(config, { logger: logger(logLevel ?? config.log.level) });
      try {
        return await fn(services);
      } finally {
        await services.close();
      }
    },
  };
}
