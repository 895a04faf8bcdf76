export type MismatchKind =
  | 'missing_local_record'
  | 'not_in_lingxing'
  | 'dsco_status_behind'
  | 'missing_invoice'
  | 'not_cancelled';

export interface CheckFacts {
  /** Local status, undefined when the PO has no local row. */
  localStatus?: number;
  /** dscoStatus, or `completed` when the lifecycle says so. */
  dscoStatus?: string;
  inLingxing?: boolean;
  hasInvoice?: boolean;
  /** Whether dlsync sent (or recorded) an invoice for the PO. */
  localInvoiceId?: string | null;
}

export interface Expectation {
  kind: MismatchKind;
  expected: string;
  actual: string;
}

/**
 * DSCO's effective status: a `completed` lifecycle wins over dscoStatus, except for cancelled
 * orders, whose lifecycle is completed too.
 */
export function effectiveDscoStatus(order: { dscoStatus?: string; dscoLifecycle?: string }): string | undefined {
  if (order.dscoStatus === 'cancelled') return 'cancelled';
  return order.dscoLifecycle === 'completed' ? 'completed' : order.dscoStatus;
}

/**
 * Expected-vs-actual of one PO (SPEC §6 check_orders); undefined when consistent or not checked.
 * A status-5 row without a local invoice id was completed before dlsync saw it, so it is held to
 * "shipped or completed" instead of "has an invoice".
 */
export function checkOrder(f: CheckFacts): Expectation | undefined {
  const status = f.dscoStatus ?? '(none)';
  switch (f.localStatus) {
    case undefined:
      return { kind: 'missing_local_record', expected: 'local record', actual: 'none' };
    case 2:
      return f.inLingxing ? undefined : { kind: 'not_in_lingxing', expected: 'Lingxing order exists', actual: 'not found' };
    case 3:
      return ['shipment_pending', 'shipped', 'completed'].includes(status)
        ? undefined
        : { kind: 'dsco_status_behind', expected: 'shipment_pending|shipped|completed', actual: status };
    case 4:
      return ['shipped', 'completed'].includes(status)
        ? undefined
        : { kind: 'dsco_status_behind', expected: 'shipped|completed', actual: status };
    case 5:
      if (!f.localInvoiceId) {
        return ['shipped', 'completed'].includes(status)
          ? undefined
          : { kind: 'dsco_status_behind', expected: 'shipped|completed', actual: status };
      }
      return f.hasInvoice ? undefined : { kind: 'missing_invoice', expected: 'DSCO invoice exists', actual: 'none' };
    case 6:
      return status === 'cancelled' ? undefined : { kind: 'not_cancelled', expected: 'cancelled', actual: status };
    default:
      return undefined;
  }
}
