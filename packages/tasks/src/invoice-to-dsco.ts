import type { TaskContext } from '@dlsync/runner';

/** SPEC §6 invoice_to_dsco. */
export async function invoiceToDsco(ctx: TaskContext<'invoice_to_dsco'>): Promise<void> {
  throw new Error(`${ctx.task} is not implemented yet`);
}
