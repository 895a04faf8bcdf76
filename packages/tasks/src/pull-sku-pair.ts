import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 pull_sku_pair. */
export async function pullSkuPair(ctx: TaskContext<'pull_sku_pair'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
