import type { OrderStatus } from '@dlsync/store';

/** Short names of the order statuses (SPEC §3), for tables. */
export const STATUS_NAMES: Record<OrderStatus, string> = {
  1: 'to push',
  2: 'to ack',
  3: 'to ship',
  4: 'to invoice',
  5: 'done',
  6: 'cancelled',
};
