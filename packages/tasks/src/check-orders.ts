import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 check_orders. */
export async function checkOrders(ctx: TaskContext<'check_orders'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
