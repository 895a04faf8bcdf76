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
export function lineKey(line: Partial<Pick<DscoLineItem, 'sku' | 'partnerSku'>>, preference: LineKeyPreference = 'sku'): string | undefined {
  return preference === 'partner_sku' ? (line.partnerSku ?? line.sku) : (line.sku ?? line.partnerSku);
}

/**
 * The identifiers of an outgoing shipment or invoice line: the line key in the field it comes
 * from (`sku` by default, `partnerSku` with `partner_sku`), plus the order line's other sku,
 * dscoItemId and lineNumber when the order line is known, so DSCO matches it either way.
 */
export function lineIdentifiers(
  key: string,
  line: Pick<DscoLineItem, 'sku' | 'partnerSku' | 'dscoItemId' | 'lineNumber'> | undefined,
  preference: LineKeyPreference = 'sku',
): { sku?: string; partnerSku?: string; dscoItemId?: string; lineNumber?: number } {
  // A known line sends its own sku and partnerSku (the key is one of them, in its own field);
  // an unknown one carries the key in the preferred field.
  const sku = line ? line.sku : preference === 'sku' ? key : undefined;
  const partnerSku = line ? line.partnerSku : preference === 'partner_sku' ? key : undefined;
  return {
    ...(sku ? { sku } : {}),
    ...(partnerSku ? { partnerSku } : {}),
    ...(line?.dscoItemId ? { dscoItemId: line.dscoItemId } : {}),
    ...(line?.lineNumber !== undefined ? { lineNumber: line.lineNumber } : {}),
  };
}
