import type { MappingResolver } from '@dlsync/mapping';
import type { DscoOrder } from './dsco-order.js';
import { lineKey, type LineKeyPreference } from './line-key.js';
import { unitPrice } from './money.js';

/**
 * One order of a `/pb/mp/order/v2/create` call. The create reference types wid and
 * logistics_type_id as strings, so the ids go as their decimal digits, never via a number.
 */
export interface LingxingOrderInput {
  platform_order_no: string;
  receiver_country_code: string;
  receiver_name: string;
  state_or_region?: string;
  city: string;
  address_line1: string;
  address_line2?: string;
  postal_code: string;
  receiver_mobile?: string;
  buyer_email?: string;
  buyer_note?: string;
  /** ISO 4217 currency of the prices (Lingxing defaults to the store's currency). */
  amount_currency?: string;
  wid?: string;
  logistics_type_id?: string;
  items: { msku: string; sku?: string; quantity: number; unit_price: number }[];
}

export type BuiltLingxingOrder =
  | { ok: true; storeId: string; order: LingxingOrderInput }
  | { ok: false; reason: string };

/** Countries whose carriers need a state or province on the label. */
const STATE_REQUIRED = new Set(['US', 'CA', 'AU', 'MX', 'BR', 'IN', 'CN']);

function firstAddressLine(address: unknown[] | null | undefined): string | undefined {
  const first = address?.find((a) => typeof a === 'string' && a.trim() !== '');
  return typeof first === 'string' ? first.trim() : undefined;
}

/** Non-empty trimmed text, else undefined. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** address2, else the second entry of the address array. */
function secondAddressLine(shipping: { address2?: unknown; address?: unknown[] | null }): string | undefined {
  return textOf(shipping.address2) ?? textOf(shipping.address?.[1]);
}

/** Maps a DSCO order onto a Lingxing order per SPEC §6, or says why it must be skipped. */
export function buildLingxingOrder(order: DscoOrder, mapping: MappingResolver, preference: LineKeyPreference = 'sku'): BuiltLingxingOrder {
  const storeId = mapping.storeId(order.dscoRetailerId);
  if (!storeId) return { ok: false, reason: `no store mapping for retailer ${order.dscoRetailerId ?? '(none)'}` };

  const s = order.shipping;
  const joinedName = [s.firstName, s.lastName].filter(Boolean).join(' ');
  const address = {
    receiver_country_code: s.country,
    receiver_name: s.name ?? (joinedName || undefined),
    city: s.city,
    address_line1: s.address1 ?? firstAddressLine(s.address),
    postal_code: s.postal,
  };
  const missing = Object.entries(address)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (s.country && STATE_REQUIRED.has(s.country.toUpperCase()) && !(s.region ?? s.state)) missing.push('state_or_region');
  if (missing.length) return { ok: false, reason: `missing address fields: ${missing.join(', ')}` };

  const wid = mapping.wid(order.shipWarehouseCode);
  const logistics = mapping.logisticsTypeId(order);
  if (wid && !logistics) {
    return { ok: false, reason: `no logistics mapping for ${mapping.shipmentKey(order)} (warehouse ${order.shipWarehouseCode} is mapped)` };
  }

  const items: LingxingOrderInput['items'] = [];
  for (const [i, line] of order.lineItems.entries()) {
    const msku = lineKey(line, preference);
    if (!msku) return { ok: false, reason: `line ${i + 1} has no sku` };
    const price = unitPrice(line);
    if (price === undefined) return { ok: false, reason: `no price for ${msku}` };
    const sku = mapping.mappedSku(msku);
    items.push({ msku, ...(sku ? { sku } : {}), quantity: line.quantity, unit_price: price });
  }

  const optional = {
    state_or_region: s.region ?? s.state,
    address_line2: secondAddressLine(s),
    receiver_mobile: s.phone,
    buyer_email: s.email,
    buyer_note: order.message,
    amount_currency: textOf(order.currencyCode)?.toUpperCase(),
    ...(wid ? { wid, logistics_type_id: logistics } : {}),
  };
  return {
    ok: true,
    storeId,
    order: {
      platform_order_no: order.poNumber,
      ...(address as { [K in keyof typeof address]: string }),
      ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<LingxingOrderInput>),
      items,
    },
  };
}
