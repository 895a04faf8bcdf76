import type { BufferRule } from '@dlsync/config';

/** Quantity to send for `quantity` units of `sku` at DSCO warehouse `warehouse`. */
export type StockBuffer = (warehouse: string, sku: string, quantity: number) => number;

/** `*` any run of characters, `?` exactly one; everything else literal; the whole sku must match. */
export function skuPattern(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Units a rule holds back from `quantity`: N, or a percentage rounded up (holding back too much is the safe side). */
function heldBack(subtract: BufferRule['subtract'], quantity: number): number {
  if (typeof subtract === 'number') return subtract;
  return Math.ceil((quantity * Number(subtract.slice(0, -1))) / 100);
}

/**
 * The safety buffer of `jobs.sync_stock.buffer`: the first rule whose warehouse and sku pattern
 * match holds back its amount. What is sent is never below 0 and never above the quantity.
 */
export function makeStockBuffer(rules: readonly BufferRule[]): StockBuffer {
  const compiled = rules.map((rule) => ({ rule, sku: rule.sku === undefined ? undefined : skuPattern(rule.sku) }));
  return (warehouse, sku, quantity) => {
    const match = compiled.find((c) => (c.rule.warehouse === undefined || c.rule.warehouse === warehouse) && (c.sku === undefined || c.sku.test(sku)));
    if (!match) return quantity;
    return Math.max(0, quantity - heldBack(match.rule.subtract, quantity));
  };
}
