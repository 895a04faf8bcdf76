import { lineKey, type LineKeyPreference } from './line-key.js';

/** What the allocator reads of an order line. */
export interface AllocatableLine {
  sku?: string | undefined;
  partnerSku?: string | undefined;
  quantity: number;
}

/** A shipped quantity of one line key, credited to one order line (undefined: no line has the key). */
export interface LineShare<L extends AllocatableLine> {
  line: L | undefined;
  quantity: number;
}

/**
 * Credits shipped quantities to the order's lines. An order may carry the same sku on several
 * lines (e.g. quantity 2 and quantity 1): DSCO counts a shipment line against the one line it
 * names, so a package of 3 must name line 1 for 2 and line 2 for 1, or DSCO sees line 2
 * unshipped and refuses the invoice. Lines are filled in order, each up to its ordered
 * quantity, across every package the allocator is given (earlier packages first); what exceeds
 * them all stays on the last line with the key.
 */
export function makeLineAllocator<L extends AllocatableLine>(
  order: { lineItems: readonly L[] },
  preference: LineKeyPreference = 'sku',
): (key: string, quantity: number) => LineShare<L>[] {
  const credited = new Map<L, number>();
  return (key, quantity) => {
    const lines = order.lineItems.filter((l) => lineKey(l, preference) === key);
    if (lines.length === 0) return [{ line: undefined, quantity }];
    const shares: LineShare<L>[] = [];
    let left = quantity;
    for (const [i, line] of lines.entries()) {
      const room = i === lines.length - 1 ? left : Math.max(0, line.quantity - (credited.get(line) ?? 0));
      const take = Math.min(room, left);
      if (take <= 0) continue;
      credited.set(line, (credited.get(line) ?? 0) + take);
      shares.push({ line, quantity: take });
      left -= take;
      if (left === 0) break;
    }
    return shares;
  };
}
