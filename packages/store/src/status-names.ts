import type { OrderStatus } from './database.js';

/**
 * The one vocabulary for order statuses, used by the CLI, the admin and metrics: each status
 * is named by the step it waits for (the pipeline's next move), so "1 · to push" reads the
 * same in a table, a page and a log.
 */
export const STATUS_NAMES: Record<OrderStatus, string> = {
  1: 'to push',
  2: 'to ack',
  3: 'to ship',
  4: 'to invoice',
  5: 'done',
  6: 'cancelled',
};

/** Tasks that read orders at one status (names as in @dlsync/config's TASK_NAMES, which the store does not import). */
export type StatusTaskName = 'push_to_lingxing' | 'ack_to_dsco' | 'ship_to_dsco' | 'invoice_to_dsco';

/** The task that moves an order on from each status (none for 5 and 6: nothing left to do). */
export const TASK_OF_STATUS: Partial<Record<OrderStatus, StatusTaskName>> = {
  1: 'push_to_lingxing',
  2: 'ack_to_dsco',
  3: 'ship_to_dsco',
  4: 'invoice_to_dsco',
};

/** `2 · to ack`: how every page and command shows a status. */
export function describeStatus(status: OrderStatus): string {
  return `${status} · ${STATUS_NAMES[status]}`;
}

/** The status a per-status task reads its orders at, or undefined for tasks that read no status. */
export function statusOfTask(task: string): OrderStatus | undefined {
  const entry = Object.entries(TASK_OF_STATUS).find(([, t]) => t === task);
  return entry ? (Number(entry[0]) as OrderStatus) : undefined;
}
