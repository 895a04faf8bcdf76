import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 push_to_lingxing. */
export async function pushToLingxing(ctx: TaskContext<'push_to_lingxing'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
