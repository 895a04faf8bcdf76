import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 pull_dsco_orders. */
export async function pullDscoOrders(ctx: TaskContext<'pull_dsco_orders'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
