import { isOrderStatus, type OrderRow, type OrderStatus } from './database.js';
import { InvalidPatchError, InvalidTransitionError } from './errors.js';

/** Fields tasks may write after pull; everything else belongs to pull or the status machine. */
export const PATCHABLE_ORDER_FIELDS = ['lingxing_order_nos', 'shipped_tracking_no', 'dsco_invoice_id'] as const;

export type OrderPatch = Partial<Pick<OrderRow, (typeof PATCHABLE_ORDER_FIELDS)[number]>>;

/**
 * Tasks only move rows forward (SPEC §3). 6 (cancelled) is excluded: only pull sets it, through
 * `upsertPulled`, under its own rule. Staying put is not a transition either; use `patch`.
 * @throws InvalidTransitionError
 */
export function assertForwardTransition(from: OrderStatus, to: OrderStatus): void {
  if (!isOrderStatus(from) || !isOrderStatus(to)) throw new InvalidTransitionError(from, to, 'statuses are 1..6');
  if (to === 6) throw new InvalidTransitionError(from, to, 'only pull (upsertPulled) cancels an order');
  if (to === from) throw new InvalidTransitionError(from, to, 'not a transition; use patch() to update fields');
  if (to < from) throw new InvalidTransitionError(from, to, 'an order never moves backwards');
}

/**
 * Keeps the patchable fields that are present (undefined = leave alone, null = clear).
 * @throws InvalidPatchError for any other key, so a typo never silently drops a write.
 */
export function pickOrderPatch(patch: OrderPatch | undefined): OrderPatch {
  const picked: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (!(PATCHABLE_ORDER_FIELDS as readonly string[]).includes(key)) {
      throw new InvalidPatchError(`order field ${key} is not patchable (allowed: ${PATCHABLE_ORDER_FIELDS.join(', ')})`);
    }
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw new InvalidPatchError(`order field ${key} must be a string or null`);
    picked[key] = value;
  }
  return picked as OrderPatch;
}
