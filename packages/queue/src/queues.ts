import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import { DEFAULT_JOB_OPTIONS, DEFAULT_QUEUE_PREFIX, QUEUE_NAMES, type JobData, type JobDataInput } from './definitions.js';
import { assertRunRequest, runDedupId } from './run-request.js';
import type { Report } from '@dlsync/runner';

export type TaskQueues = Record<TaskName, Queue<JobDataInput, Report>>;

export interface QueueOptions {
  connection: ConnectionOptions;
  /** (Default: `dlsync`) */
  prefix?: string;
}

/** An ioredis connection fit for BullMQ (workers need `maxRetriesPerRequest: null`). */
export function makeRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** One queue per task; global concurrency 1 so a task never runs twice at once in the fleet. */
export async function makeTaskQueues(options: QueueOptions): Promise<TaskQueues> {
  const queues = Object.fromEntries(
    TASK_NAMES.map((task) => [
      task,
      new Queue<JobDataInput, Report>(QUEUE_NAMES[task], {
        connection: options.connection,
        prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    ]),
  ) as TaskQueues;
  await Promise.all(Object.values(queues).map((q) => q.setGlobalConcurrency(1)));
  return queues;
}

export async function closeTaskQueues(queues: TaskQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/**
 * Validates the input (schema and the task's own rules) and adds a manual job. The same
 * request while one is still waiting returns that job instead of queueing a second run
 * (BullMQ deduplication; one more may wait while one is active).
 * @throws RunRequestError naming every bad field, before anything is queued
 */
export async function enqueue(
  queues: TaskQueues,
  task: TaskName,
  input: JobDataInput,
): Promise<Job<JobDataInput, Report>> {
  const data = serializeJobData(assertRunRequest(task, input));
  return queues[task].add(task, data, { deduplication: { id: runDedupId(task, data), keepLastIfActive: true } });
}

/** Job data back to its JSON form (dates as ISO strings). */
export function serializeJobData(data: JobData): JobDataInput {
  const { window, ...rest } = data;
  return window ? { ...rest, window: { start: window.start.toISOString(), end: window.end.toISOString() } } : rest;
}
