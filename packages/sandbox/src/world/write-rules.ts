/**
 * The rules by which the sandbox's DSCO fails async items when it applies them, reported in the
 * change log (the 202 said only "received"). Real DSCO checks more; these are the failures a
 * sync client must survive: a malformed tracking number, an invoice for an order that is
 * unknown or not fully shipped, a second invoice with the same invoiceId, an unknown SKU, and
 * (as a fault) a share of items failing for no reason the client can see.
 */
export interface ItemFailure {
  code: string;
  description: string;
}

/**
 * What the sandbox accepts as a tracking number: 3–40 letters, digits or dashes, starting with
 * a letter or digit — no spaces, no punctuation (carrier formats vary too much to check more;
 * DSCO's reference states no format, so this is the sandbox's own rule).
 */
export const TRACKING_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/;

export function trackingNumberFailure(trackingNumber: string): ItemFailure | undefined {
  return TRACKING_NUMBER_PATTERN.test(trackingNumber)
    ? undefined
    : { code: 'INVALID_TRACKING_NUMBER', description: `tracking number "${trackingNumber}" is malformed` };
}

/** What the invoice rule needs to know about the invoiced order. */
export interface InvoicedOrder {
  dscoStatus: string;
  dscoLifecycle?: string;
}

/** An invoice DSCO refuses: unknown PO, an order not shipped yet, or an invoiceId it already holds. */
export function invoiceFailure(
  invoice: { invoiceId: string; poNumber: string },
  order: InvoicedOrder | undefined,
  invoiceIdTaken: boolean,
): ItemFailure | undefined {
  if (!order) return { code: 'ORDER_NOT_FOUND', description: `no order with PO_NUMBER ${invoice.poNumber}` };
  if (invoiceIdTaken) return { code: 'DUPLICATE_INVOICE', description: `invoice ${invoice.invoiceId} already exists` };
  if (order.dscoStatus === 'cancelled') return { code: 'ORDER_CANCELLED', description: `order ${invoice.poNumber} is cancelled` };
  if (order.dscoStatus !== 'shipped' && order.dscoLifecycle !== 'completed') {
    return { code: 'ORDER_NOT_SHIPPED', description: `order ${invoice.poNumber} is not shipped (status ${order.dscoStatus})` };
  }
  return undefined;
}

/** An injected failure for `asyncFailureRate`: rolled per item with the seeded RNG. */
export function injectedFailure(rate: number, roll: () => number, what: string): ItemFailure | undefined {
  return rate > 0 && roll() < rate ? { code: 'PROCESSING_FAILED', description: `DSCO could not process ${what} (injected fault)` } : undefined;
}
