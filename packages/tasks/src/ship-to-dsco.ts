import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 ship_to_dsco. */
export async function shipToDsco(ctx: TaskContext<'ship_to_dsco'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
