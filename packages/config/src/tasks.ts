/** Every task dlsync knows, in pipeline order. The one list queue, runner and config share. */
export const TASK_NAMES = [
  'pull_dsco_orders',
  'push_to_lingxing',
  'ack_to_dsco',
  'ship_to_dsco',
  'invoice_to_dsco',
  'sync_stock',
  'pull_sku_pair',
  'check_orders',
] as const;

export type TaskName = (typeof TASK_NAMES)[number];

/** Tasks that only run when an operator asks. */
export const MANUAL_ONLY_TASKS: readonly TaskName[] = ['check_orders'];

export function isTaskName(value: string): value is TaskName {
  return (TASK_NAMES as readonly string[]).includes(value);
}
