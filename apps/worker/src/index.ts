export { startWorker } from './start-worker.js';
export type { WorkerApp, WorkerAppOptions } from './start-worker.js';
export { startHealthServer } from './health-server.js';
export type { Health, HealthServer, HealthServerOptions } from './health-server.js';
export { parseTaskList } from './parse-task-list.js';
export { parseWorkerArgs } from './cli-options.js';
export type { WorkerCliOptions } from './cli-options.js';
