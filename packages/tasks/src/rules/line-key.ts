import type { DscoLineItem } from './dsco-order.js';

/** Runtime option `dsco.line_key`. */
export type LineKeyPreference = 'sku' | 'partner_sku';

/**
 * The one definition of a DSCO line's key: the supplier `sku`, else `partnerSku` (DSCO's
 * partnerSku is the retailer's override, and DSCO keys inventory by the supplier sku, silently
 * skipping a partnerSku there). `partner_sku` reverses the order for accounts whose mapping is
 * keyed by the retailer's sku. The key is the Lingxing msku, the mapping.sku key, the target
 * of the reverse map, and the `sku` on inventory, shipment and invoice lines.
 */
export function lineKey(line: Pick<DscoLineItem, 'sku' | 'partnerSku'>, preference: LineKeyPreference = 'sku'): string | undefined {
  return preference === 'partner_sku' ? (line.partnerSku ?? line.sku) : (line.sku ?? line.partnerSku);
}

/**
 * The identifiers of an outgoing shipment or invoice line: the key as `sku`, plus DSCO's own
 * partnerSku, dscoItemId and lineNumber when the order line is known.
 */
export function lineIdentifiers(
  key: string,
  line: Pick<DscoLineItem, 'partnerSku' | 'dscoItemId' | 'lineNumber'> | undefined,
): { sku: string; partnerSku?: string; dscoItemId?: string; lineNumber?: number } {
  return {
    sku: key,
    ...(line?.partnerSku ? { partnerSku: line.partnerSku } : {}),
    ...(line?.dscoItemId ? { dscoItemId: line.dscoItemId } : {}),
    ...(line?.lineNumber !== undefined ? { lineNumber: line.lineNumber } : {}),
  };
}
