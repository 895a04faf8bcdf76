import { isOrderStatus, type JsonValue, type OrderRow, type OrderStatus } from './database.js';
import { InvalidPatchError, InvalidTransitionError } from './errors.js';

/** Text fields tasks may write after pull. */
const TEXT_FIELDS = ['lingxing_order_nos', 'shipped_tracking_no', 'dsco_invoice_id'] as const;
/** jsonb fields tasks may write after pull: each takes a JSON object (never an array) or null. */
const OBJECT_FIELDS = ['ship_facts'] as const;

/** Fields tasks may write after pull; everything else belongs to pull or the status machine. */
export const PATCHABLE_ORDER_FIELDS = [...TEXT_FIELDS, ...OBJECT_FIELDS] as const;

export type PatchableOrderField = (typeof PATCHABLE_ORDER_FIELDS)[number];

/** A JSON object, as an object field of a patch takes it. */
export type JsonObject = { [key: string]: JsonValue };

export type OrderPatch = Partial<Pick<OrderRow, (typeof TEXT_FIELDS)[number]>> & Partial<Record<(typeof OBJECT_FIELDS)[number], JsonObject | null>>;

/** A checked patch as its columns take it: text as is, objects as JSON text (jsonb is written as text). */
export type OrderPatchColumns = Partial<Record<PatchableOrderField, string | null>>;

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
 * Keeps the patchable fields that are present (undefined = leave alone, null = clear), with
 * object fields as JSON text.
 * @throws InvalidPatchError for any other key, so a typo never silently drops a write, and for
 *   a value of the wrong type (a text field takes a string, an object field a plain object).
 */
export function pickOrderPatch(patch: OrderPatch | undefined): OrderPatchColumns {
  const picked: OrderPatchColumns = {};
  for (const [key, value] of Object.entries(patch ?? {}) as [string, unknown][]) {
    if (!(PATCHABLE_ORDER_FIELDS as readonly string[]).includes(key)) {
      throw new InvalidPatchError(`order field ${key} is not patchable (allowed: ${PATCHABLE_ORDER_FIELDS.join(', ')})`);
    }
    if (value === undefined) continue;
    picked[key as PatchableOrderField] = value === null ? null : columnValue(key, value);
  }
  return picked;
}

function columnValue(key: string, value: unknown): string {
  if ((OBJECT_FIELDS as readonly string[]).includes(key)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidPatchError(`order field ${key} must be a JSON object or null`);
    return JSON.stringify(value);
  }
  if (typeof value !== 'string') throw new InvalidPatchError(`order field ${key} must be a string or null`);
  return value;
}
