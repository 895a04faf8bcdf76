export {
  QUEUE_NAMES,
  jobDataSchema,
  jobDataSchemas,
  DEFAULT_JOB_OPTIONS,
  SCHEDULED_TASKS,
  DEFAULT_QUEUE_PREFIX,
  STOCK_REQUEST_MAX_ITEMS,
  stockRequestSchema,
} from './definitions.js';
export type { JobData, JobDataInput } from './definitions.js';
export { makeTaskQueues, closeTaskQueues, enqueue, makeRedisConnection, serializeJobData } from './queues.js';
export type { TaskQueues, QueueOptions } from './queues.js';
export { reconcileSchedulers, listSchedulers, cronIntervalMs } from './schedulers.js';
export type { ReconcileResult, SchedulerInfo } from './schedulers.js';
export { startTaskWorkers, RunFailedError } from './workers.js';
export type { TaskWorkers, TaskWorkersOptions } from './workers.js';
export { assertQueueRegistry } from './registry-check.js';
export { assertRunRequest, runDedupId, RunRequestError } from './run-request.js';
export type { RunRequestIssue } from './run-request.js';
export { usageFailureOf } from './failure-kind.js';
