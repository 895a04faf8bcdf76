import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 ack_to_dsco. */
export async function ackToDsco(ctx: TaskContext<'ack_to_dsco'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
