import type { DscoLineItem } from './dsco-order.js';

/** Option `jobs.invoice_to_dsco.unit_price`. */
export type UnitPriceRule = 'order_price' | 'expected_cost';

/**
 * A line's unit price. `order_price` (the Lingxing order and the default invoice rule):
 * consumerPriceWithTax ?? consumerPrice ?? retailPrice ?? expectedCost. `expected_cost`: the
 * retailer's cost first (DSCO compares an invoice with it), then the same order.
 */
export function unitPrice(line: DscoLineItem, rule: UnitPriceRule = 'order_price'): number | undefined {
  const orderPrice = line.consumerPriceWithTax ?? line.consumerPrice ?? line.retailPrice ?? line.expectedCost;
  return rule === 'expected_cost' ? (line.expectedCost ?? orderPrice) : orderPrice;
}

/** Integer cents of an amount, rounding half away from zero on the decimal string (no float drift). */
export function toCents(amount: number): number {
  // toFixed(6) first removes binary noise such as 0.30000000000000004 before rounding to cents.
  const [whole, frac = ''] = Math.abs(amount).toFixed(6).split('.');
  const cents = Number(whole) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2] ?? '0') >= 5 ? 1 : 0);
  return amount < 0 ? -cents : cents;
}

/** Cents as a 2-decimal string, e.g. 5997 → "59.97". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
