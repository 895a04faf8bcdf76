import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 sync_stock. */
export async function syncStock(ctx: TaskContext<'sync_stock'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
