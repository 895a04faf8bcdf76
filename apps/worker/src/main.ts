#!/usr/bin/env node
import { exitOnConfigError, loadEnvConfig } from '@dlsync/config';
import { makeLogger } from '@dlsync/logger';
import { exitOnSignals, makeServices, type Services } from '@dlsync/services';
import { parseWorkerArgs } from './cli-options.js';
import { startWorker } from './start-worker.js';

const options = parseWorkerArgs(process.argv);
let services: Services;
try {
  const env = loadEnvConfig();
  services = makeServices(env, { logger: makeLogger({ level: env.log.level, fields: { app: 'worker' } }) });
} catch (err) {
  exitOnConfigError(err);
}
const { logger } = services;

try {
  const app = await startWorker({ services, ...options });
  exitOnSignals(async () => {
    await app.close();
    await services.close();
  }, logger);
  logger.info('worker started', { pid: process.pid, tasks: app.tasks, ...(app.healthUrl ? { health_url: app.healthUrl } : {}) });
} catch (err) {
  logger.error('worker failed to start', { error: (err as Error).message });
  await services.close();
  process.exit(1);
}
