import { createHash } from 'node:crypto';
import type { TaskName } from '@dlsync/config';
import { jobDataSchemas, type JobData, type JobDataInput } from './definitions.js';

/** One problem of a run request: the field it concerns and what is wrong with it. */
export interface RunRequestIssue {
  path: string;
  message: string;
}

/**
 * A run request that can never succeed as given (bad field, missing window, ...). Retrying
 * or queueing it would only delay the same answer, so callers refuse it before queueing and
 * workers fail such a job at once.
 */
export class RunRequestError extends Error {
  override name = 'RunRequestError';
  /** An HTTP server answers this as a client error (Fastify reads `statusCode`). */
  readonly statusCode = 400;
  constructor(
    readonly task: TaskName,
    readonly issues: RunRequestIssue[],
  ) {
    super(`${task}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

/** Rules a task adds to the shared job schema: what its input must say for it to run at all. */
const TASK_RULES: Partial<Record<TaskName, (data: JobData) => RunRequestIssue[]>> = {
  // check_orders compares a slice of orders; without a window or one PO it has nothing to compare.
  check_orders: (d) =>
    d.window || d.onlyPoNumber !== undefined
      ? []
      : [{ path: 'window', message: 'check_orders needs a window (start and end) or a PO number' }],
};

/**
 * Validates a run request for `task`: the job schema, then the task's own rules.
 * @returns the parsed job data
 * @throws RunRequestError naming every bad field
 */
export function assertRunRequest(task: TaskName, input: unknown): JobData {
  const parsed = jobDataSchemas[task].safeParse(input);
  if (!parsed.success) {
    throw new RunRequestError(
      task,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const issues = TASK_RULES[task]?.(parsed.data) ?? [];
  if (parsed.data.stock && task !== 'sync_stock') issues.push({ path: 'stock', message: 'only sync_stock takes a stock request' });
  if (issues.length) throw new RunRequestError(task, issues);
  return parsed.data;
}

/**
 * The deduplication id of a manual run: same task and same input (PO, window, force) = same
 * id, whoever asked. BullMQ keeps at most one waiting job per id, so a double "Run now" queues
 * one run; a different PO or window is a different request and queues its own.
 */
export function runDedupId(task: TaskName, data: JobDataInput): string {
  // Two stock requests are the same run only when they ask for the same quantities.
  const key = JSON.stringify([data.onlyPoNumber ?? null, data.window ?? null, data.force ?? false, ...(data.stock ? [data.stock] : [])]);
  return `${task}:${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}
