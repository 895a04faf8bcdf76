import type { TaskName } from '@dlsync/config';
import { enqueue, type JobDataInput } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import {
  clearBackoff,
  makeStatusAuditRepository,
  InvalidManualStatusError,
  TASK_OF_STATUS,
  type ClearBackoffResult,
  type OrderStatus,
  type StatusAuditRow,
} from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError } from '../errors.js';

/** What a run request answered: the job, and its Report when it finished within the wait. */
export interface RunOutcome {
  task: TaskName;
  jobId: string;
  state: string;
  report: Report | null;
  failedReason: string | null;
}

/** Enqueues a manual run; with `wait`, waits (bounded by waitTimeoutMs) for its Report. */
export async function requestRun(ctx: AdminContext, task: TaskName, data: Omit<JobDataInput, 'trigger'>, wait: boolean): Promise<RunOutcome> {
  const job = await enqueue(ctx.queues, task, { trigger: 'manual', ...data });
  const jobId = job.id ?? '';
  ctx.logger.info('run requested', { task, job_id: jobId, user: data.requestedBy, only_po_number: data.onlyPoNumber });
  const outcome: RunOutcome = { task, jobId, state: 'waiting', report: null, failedReason: null };
  if (!wait) return outcome;
  try {
    const report = (await job.waitUntilFinished(ctx.events[task], ctx.waitTimeoutMs)) as Report;
    return { ...outcome, state: 'completed', report };
  } catch {
    // Failed for good, or the wait ran out: the job's state says which.
    const state = await job.getState();
    const failed = state === 'failed' ? await ctx.queues[task].getJob(jobId) : undefined;
    return { ...outcome, state, failedReason: failed?.failedReason ?? null };
  }
}

/** The task that moves an order on from `status`; undefined at 5 and 6 (nothing left to run). */
export function nextTaskOf(status: OrderStatus): TaskName | undefined {
  return TASK_OF_STATUS[status];
}

async function currentStatus(ctx: AdminContext, po: string): Promise<OrderStatus> {
  const order = await ctx.store.orders.getByPo(po);
  if (!order) throw new HttpError(404, `no order ${po}`);
  return order.status;
}

/** Runs the task for the order's status (1 push, 2 ack, 3 ship, 4 invoice) for this PO only. */
export async function runNextTask(ctx: AdminContext, po: string, actor: string, wait: boolean): Promise<RunOutcome> {
  const status = await currentStatus(ctx, po);
  const task = nextTaskOf(status);
  if (!task) throw new HttpError(409, `order ${po} is at status ${status}: nothing left to run`, [], { status });
  return requestRun(ctx, task, { onlyPoNumber: po, requestedBy: actor }, wait);
}

/** check_orders for this PO only (reads DSCO, Lingxing and the row; writes nothing). */
export async function checkOrder(ctx: AdminContext, po: string, actor: string, wait: boolean): Promise<RunOutcome> {
  await currentStatus(ctx, po);
  return requestRun(ctx, 'check_orders', { onlyPoNumber: po, requestedBy: actor }, wait);
}

/**
 * An operator's status change: guarded on the status they saw and audited in the same
 * transaction. 409 when the order moved meanwhile (nothing changed), 400 when the rules refuse it.
 */
export async function changeOrderStatus(
  ctx: AdminContext,
  po: string,
  input: { from: OrderStatus; to: OrderStatus; reason: string },
  actor: string,
): Promise<StatusAuditRow> {
  let result;
  try {
    result = await makeStatusAuditRepository(ctx.store.db).changeStatus({ po, ...input, actor });
  } catch (err) {
    if (err instanceof InvalidManualStatusError) throw new HttpError(400, `status change refused: ${err.message}`, [{ path: 'body', message: err.message }]);
    throw err;
  }
  if (!result.changed) {
    if (result.current === null) throw new HttpError(404, `no order ${po}`);
    throw new HttpError(409, `order ${po} is at status ${result.current} now, not ${input.from}: reload and decide again`, [], { status: result.current });
  }
  ctx.logger.info('order status changed by hand', { po_number: po, from: input.from, to: input.to, user: actor });
  return result.audit;
}

/** "Retry now" for a selection: clears their backoff so the next run of their task takes them. */
export async function retryNow(ctx: AdminContext, pos: readonly string[], actor: string): Promise<ClearBackoffResult> {
  const result = await clearBackoff(ctx.store.db, pos);
  ctx.logger.info('retry now', { selected: pos.length, cleared: result.cleared.length, user: actor });
  return result;
}

/** `admin:alice`: who did it, as audit lines and run requests name them. */
export function actorOf(request: { principal?: { user: string } }): string {
  return `admin:${request.principal?.user ?? 'anonymous'}`;
}
