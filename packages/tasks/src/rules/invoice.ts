import type { DscoOrder } from './dsco-order.js';
import { lineIdentifiers, lineKey, type LineKeyPreference } from './line-key.js';
import { formatCents, toCents, unitPrice, type UnitPriceRule } from './money.js';
import { toRfc3339 } from './wms-time.js';

export interface DscoInvoice {
  invoiceId: string;
  poNumber: string;
  invoiceDate: string;
  currencyCode: string;
  totalAmount: number;
  lineItems: { quantity: number; unitPrice: number; sku?: string; partnerSku?: string; dscoItemId?: string; lineNumber?: number }[];
}

export type BuiltInvoice = { ok: true; invoice: DscoInvoice } | { ok: false; reason: string };

/**
 * One invoice per PO (SPEC §6 invoice_to_dsco): lines from the DSCO order, total summed in
 * integer cents so 19.99 × 3 is exactly 59.97 and 0.1 + 0.2 is 0.30.
 */
export interface InvoiceRules {
  /** (Default: sku) */
  lineKey?: LineKeyPreference;
  /** (Default: order_price) */
  unitPrice?: UnitPriceRule;
  /** (Default: USD) */
  defaultCurrency?: string;
}

export function buildInvoice(order: DscoOrder, lastShipDate: Date, rules: InvoiceRules = {}): BuiltInvoice {
  let totalCents = 0;
  const lineItems: DscoInvoice['lineItems'] = [];
  for (const line of order.lineItems) {
    const sku = lineKey(line, rules.lineKey);
    const price = unitPrice(line, rules.unitPrice);
    if (!sku) return { ok: false, reason: 'line without sku' };
    if (price === undefined) return { ok: false, reason: `no price for ${sku}` };
    totalCents += toCents(price) * line.quantity;
    lineItems.push({
      quantity: line.quantity,
      unitPrice: Number(formatCents(toCents(price))),
      ...lineIdentifiers(sku, line, rules.lineKey),
    });
  }
  return {
    ok: true,
    invoice: {
      invoiceId: order.poNumber,
      poNumber: order.poNumber,
      invoiceDate: toRfc3339(lastShipDate),
      currencyCode: order.currencyCode ?? rules.defaultCurrency ?? 'USD',
      totalAmount: Number(formatCents(totalCents)),
      lineItems,
    },
  };
}
