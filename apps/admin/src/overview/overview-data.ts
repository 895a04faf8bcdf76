import type { AttentionKind, OrderRow, OrderStatus } from '@dlsync/store';
import type { RuntimeConfig } from '@dlsync/config';
import { readLastPreflight, type PreflightReport } from '@dlsync/services';
import type { AdminContext } from '../context.js';
import { loadAttentionCounts } from '../console/attention-summary.js';
import { readLiveConfig, type LiveConfig } from '../live-config.js';
import { summarizeTasks, type TaskRunSummary } from '../runs.js';
import { loadTaskStatuses, type TaskStatus } from './task-status.js';

export interface OverviewData {
  generatedAt: Date;
  counts: Record<OrderStatus, number>;
  stuckAfterMinutes: number;
  stuck: Pick<OrderRow, 'po_number' | 'status' | 'updated_at' | 'dsco_retailer_id'>[];
  /** Stuck orders beyond the ones listed. */
  stuckMore: boolean;
  tasks: TaskRunSummary[];
  /** Per task: schedule, last success, current state, overdue or not. */
  taskStatuses: TaskStatus[];
  /** `admin.display_timezone`: the zone every time on the page is shown in. */
  timeZone: string;
  config: LiveConfig;
  /** Orders needing an operator, per kind (the console's /attention). */
  attention: Record<AttentionKind, number>;
  /** The newest `dlsync preflight` report, if one ran. */
  preflight: PreflightReport | undefined;
}

const STUCK_SHOWN = 50;

export async function loadOverview(ctx: AdminContext): Promise<OverviewData> {
  const generatedAt = ctx.now();
  const stuckAfterMinutes = ctx.env.admin.stuck_after_minutes;
  const olderThan = new Date(generatedAt.getTime() - stuckAfterMinutes * 60_000);
  const [counts, stuck, tasks, config, attention, preflight] = await Promise.all([
    ctx.store.orders.countByStatus(),
    ctx.store.orders.listStuck({ olderThan, limit: STUCK_SHOWN + 1 }),
    summarizeTasks(ctx.queues),
    readLiveConfig(ctx.store),
    loadAttentionCounts(ctx),
    readLastPreflight(ctx.redis, ctx.prefix),
  ]);
  const taskStatuses = await loadTaskStatuses(
    ctx,
    { config: config.problems ? undefined : (config.config as RuntimeConfig), updatedAt: config.updatedAt },
    generatedAt,
  );
  return {
    generatedAt,
    taskStatuses,
    timeZone: ctx.env.admin.display_timezone,
    counts,
    stuckAfterMinutes,
    stuck: stuck.slice(0, STUCK_SHOWN),
    stuckMore: stuck.length > STUCK_SHOWN,
    tasks,
    config,
    attention,
    preflight,
  };
}
