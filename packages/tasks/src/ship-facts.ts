import { z } from 'zod';
import { coversOrder, type DscoOrder, type LineKeyPreference, type ShipmentPlan } from './rules/index.js';

/**
 * What ship_to_dsco read from Lingxing's WMS about a PO when it moved the row 3 → 4, kept on
 * the row (`ship_facts`) so invoice_to_dsco can invoice it without reading WMS again: the
 * quantity shipped per line key, the latest ship time (the invoice date) and the tracking
 * numbers. Versioned: a value this code does not understand (an older shape, a hand edit) is
 * ignored and WMS is read instead.
 */
const shipFactsSchema = z.object({
  v: z.literal(1),
  /** The line-key preference the quantities are keyed by; facts keyed otherwise are not used. */
  line_key: z.enum(['sku', 'partner_sku']),
  shipped: z.record(z.string(), z.number().int().nonnegative()),
  /** Latest ship time over every shipped package, RFC 3339 UTC with milliseconds (exact round trip). */
  last_ship_date: z.iso.datetime(),
  tracking_numbers: z.array(z.string()),
  /** When WMS was read. */
  read_at: z.iso.datetime(),
});

export type ShipFacts = z.infer<typeof shipFactsSchema>;

/** A PO's kept facts, read back: the quantities as a map and the ship time as a Date. */
export interface KeptShipFacts {
  shippedQty: Map<string, number>;
  lastShipDate: Date;
  trackingNumbers: string[];
}

/**
 * The facts of a WMS read as ship_to_dsco planned them, or undefined when nothing has shipped
 * (no ship time: there is nothing an invoice could be dated by). `trackingNumbers` are every
 * shipped package's, whether sent now or before.
 */
export function shipFactsOf(plan: Pick<ShipmentPlan, 'shippedQty' | 'lastShipDate'>, trackingNumbers: Iterable<string>, lineKey: LineKeyPreference, readAt: Date): ShipFacts | undefined {
  if (!plan.lastShipDate) return undefined;
  return {
    v: 1,
    line_key: lineKey,
    shipped: Object.fromEntries(plan.shippedQty),
    last_ship_date: plan.lastShipDate.toISOString(),
    tracking_numbers: [...new Set(trackingNumbers)],
    read_at: readAt.toISOString(),
  };
}

/** `value` when it is facts of the shape this code writes (stored JSON, an item's meta); otherwise undefined. */
export function readShipFacts(value: unknown): ShipFacts | undefined {
  const parsed = shipFactsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** `value` as kept facts when it is facts this code wrote under the same line-key preference; otherwise undefined. */
export function parseShipFacts(value: unknown, lineKey: LineKeyPreference): KeptShipFacts | undefined {
  const facts = readShipFacts(value);
  if (!facts || facts.line_key !== lineKey) return undefined;
  return {
    shippedQty: new Map(Object.entries(facts.shipped)),
    lastShipDate: new Date(facts.last_ship_date),
    trackingNumbers: facts.tracking_numbers,
  };
}

/**
 * The kept facts of a row that show its order shipped whole (every ordered unit, by line key),
 * so its invoice can be built from them; undefined sends it to WMS: facts missing, malformed,
 * or short of the order (its lines changed since it shipped).
 */
export function coveringShipFacts(value: unknown, order: DscoOrder, lineKey: LineKeyPreference): KeptShipFacts | undefined {
  const facts = parseShipFacts(value, lineKey);
  return facts && coversOrder(order, facts.shippedQty, lineKey) ? facts : undefined;
}
