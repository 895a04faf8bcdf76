import type { FastifyInstance, FastifyReply } from 'fastify';
import { enqueue } from '@dlsync/queue';
import { isTaskLocked, type Report, type StockRequest } from '@dlsync/runner';
import type { WarehouseSyncRow } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { diffQuerySchema, syncBodySchema, type SyncBody } from './inputs.js';
import { INVENTORY_API_PREFIX } from './role-scope.js';

const TASK = 'sync_stock';
const LOCKED = 'a sync_stock run holds the lock; try again when it has finished';

/** One recorded row as partners read it: DSCO's names first, Lingxing's beside them. */
function diffRow(row: WarehouseSyncRow) {
  return {
    id: row.id,
    run_id: row.run_id,
    synced_at: row.synced_at.toISOString(),
    warehouse: row.warehouse_code,
    sku: row.partner_sku,
    lingxing_wid: row.wid,
    lingxing_sku: row.sku,
    lingxing_quantity: row.quantity,
    dsco_quantity: row.dsco_quantity,
    diff: row.diff,
    pushed: row.pushed,
    dsco_request_id: row.dsco_request_id,
  };
}

function stockRequestOf(body: SyncBody): StockRequest {
  return body.items ? { dryRun: body.dry_run, source: 'items', items: body.items } : { dryRun: body.dry_run, source: 'latest_run' };
}

/** The run's answer: its id, what it sent (or would have), and the DSCO request ids to look up. */
function syncAnswer(report: Report) {
  const details = report.details as Record<string, unknown>;
  return {
    run_id: report.runId,
    status: report.status,
    dry_run: details.dry_run ?? null,
    source: details.source ?? null,
    source_run_id: details.source_run_id ?? null,
    items: details.items ?? 0,
    request_ids: (details.request_ids as string[] | undefined) ?? [],
    skipped: report.items.filter((i) => i.result === 'skipped'),
    ...(report.error ? { error: report.error } : {}),
  };
}

async function waitForRun(ctx: AdminContext, reply: FastifyReply, job: Awaited<ReturnType<typeof enqueue>>): Promise<FastifyReply> {
  const jobId = job.id ?? '';
  try {
    const report = (await job.waitUntilFinished(ctx.events[TASK], ctx.waitTimeoutMs)) as Report;
    // Another run took the lock between our check and this run's start.
    if (report.status === 'locked') return reply.code(409).send({ error: LOCKED, run_id: report.runId });
    return reply.code(200).send(syncAnswer(report));
  } catch {
    const state = await job.getState();
    if (state === 'failed') return reply.code(502).send({ error: 'the sync_stock run failed', job_id: jobId, reason: (await ctx.queues[TASK].getJob(jobId))?.failedReason ?? null });
    // Queued or running: a worker will finish it; its rows show up in the diff under its run id.
    return reply.code(202).send({ job_id: jobId, state, timed_out: true });
  }
}

/**
 * The inventory API for partner systems, separate from the admin pages (its own token role):
 * the recorded stock comparison per day, and sync_stock runs with given quantities, queued for
 * the workers and run by the runner like every other trigger.
 */
export function registerInventoryApi(app: FastifyInstance, ctx: AdminContext): void {
  app.get(`${INVENTORY_API_PREFIX}diff`, async (request) => {
    const query = parseInput(diffQuerySchema, request.query, 'query');
    const day = query.day ?? ctx.now().toISOString().slice(0, 10);
    let page;
    try {
      page = await ctx.store.warehouseSync.listDiff({
        day,
        diffOnly: query.diff_only,
        limit: query.limit,
        ...(query.warehouse !== undefined ? { warehouse: query.warehouse } : {}),
        ...(query.sku !== undefined ? { sku: query.sku } : {}),
        ...(query.run_id !== undefined ? { runId: query.run_id } : {}),
        ...(query.cursor !== undefined ? { afterId: query.cursor } : {}),
      });
    } catch (err) {
      if (err instanceof RangeError) throw new HttpError(400, `invalid query: query.day: ${err.message}`, [{ path: 'query.day', message: err.message }]);
      throw err;
    }
    return { day, rows: page.rows.map(diffRow), next_cursor: page.nextAfterId === null ? null : String(page.nextAfterId) };
  });

  app.post(`${INVENTORY_API_PREFIX}sync`, async (request, reply) => {
    const body = parseInput(syncBodySchema, request.body ?? {}, 'body');
    if (await isTaskLocked(ctx.store.lockPool, TASK)) return reply.code(409).send({ error: LOCKED });
    if (!body.items && !(await ctx.store.warehouseSync.latestRun())) {
      throw new HttpError(409, 'no sync_stock run is recorded yet: give items, or run sync_stock first');
    }
    const job = await enqueue(ctx.queues, TASK, {
      trigger: 'manual',
      stock: stockRequestOf(body),
      ...(request.principal ? { requestedBy: `inventory-api:${request.principal.user}` } : {}),
    });
    ctx.logger.info('inventory sync requested', { job_id: job.id, user: request.principal?.user, dry_run: body.dry_run, items: body.items?.length ?? 'latest run' });
    return waitForRun(ctx, reply, job);
  });
}
