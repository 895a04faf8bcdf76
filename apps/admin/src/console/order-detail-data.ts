import type { TaskName } from '@dlsync/config';
import type { ReportItem } from '@dlsync/runner';
import { listWritesForPo, makeStatusAuditRepository, readConsoleSchema, type OrderRow, type StatusAuditRow, type WriteRecord } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { listRuns } from '../runs.js';
import { nextTaskOf } from './console-actions.js';

/** Where a PO appeared in a stored run Report. */
export interface RunItemView {
  task: TaskName;
  jobId: string;
  finishedAt: string | null;
  item: ReportItem;
}

export interface OrderDetail {
  /** Every column of the row, including the raw payload and columns later migrations add. */
  order: OrderRow & Record<string, unknown>;
  deadlines: { acknowledge_by: unknown; ship_by: unknown; invoice_by: unknown; cancel_after: unknown };
  /** The task "run next" starts; null at 5 and 6. */
  nextTask: TaskName | null;
  /** dsco_write rows that carried this PO, newest first ([] before write records exist). */
  writes: WriteRecord[];
  /** Audited manual status changes, oldest first. */
  audit: StatusAuditRow[];
  /** This PO in the Reports of the most recent finished runs still kept by the queues. */
  runItems: RunItemView[];
}

/** Finished runs scanned for this PO's items (per task queue, newest first). */
const RUNS_SCANNED = 50;
const RUN_ITEMS_SHOWN = 30;

async function runItemsFor(ctx: AdminContext, po: string): Promise<RunItemView[]> {
  const runs = await listRuns(ctx.queues, { states: ['completed'], limit: RUNS_SCANNED });
  const out: RunItemView[] = [];
  for (const run of runs) {
    for (const item of run.report?.items ?? []) {
      if (item.po_number === po) out.push({ task: run.task, jobId: run.jobId, finishedAt: run.finishedAt, item });
    }
  }
  return out.slice(0, RUN_ITEMS_SHOWN);
}

export async function loadOrderDetail(ctx: AdminContext, po: string): Promise<OrderDetail | undefined> {
  const order = (await ctx.store.orders.getByPo(po)) as (OrderRow & Record<string, unknown>) | undefined;
  if (!order) return undefined;
  const schema = await readConsoleSchema(ctx.store.db);
  const [writes, audit, runItems] = await Promise.all([
    listWritesForPo(ctx.store.db, po, { schema }),
    schema.hasAuditTable ? makeStatusAuditRepository(ctx.store.db).listForPo(po) : Promise.resolve([]),
    runItemsFor(ctx, po),
  ]);
  return {
    order,
    deadlines: {
      acknowledge_by: order.acknowledge_by ?? null,
      ship_by: order.ship_by ?? null,
      invoice_by: order.invoice_by ?? null,
      cancel_after: order.cancel_after ?? null,
    },
    nextTask: nextTaskOf(order.status) ?? null,
    writes,
    audit,
    runItems,
  };
}
