import type { SubOrder } from './push-sub-orders.js';

/** Lingxing statuses after which a PO may be acknowledged: 5 to ship, 6 shipped. */
const READY = new Set([5, 6]);

/** `waiting`: Lingxing has the PO and is still working on it (not a problem, just not yet). */
export type Readiness = { ready: true } | { ready: false; waiting: boolean; reason: string };

/**
 * A PO is acknowledged only when Lingxing has it and every sub-order reached 5 or 6. The reason
 * names the statuses (not the order numbers) so equal situations add up under one reason in the
 * report.
 */
export function lingxingReadiness(subOrders: readonly Pick<SubOrder, 'status'>[] | undefined): Readiness {
  if (!subOrders || subOrders.length === 0) return { ready: false, waiting: false, reason: 'not in Lingxing' };
  if (subOrders.every((s) => READY.has(s.status))) return { ready: true };
  const statuses = [...new Set(subOrders.map((s) => s.status))].sort((a, b) => a - b);
  return { ready: false, waiting: true, reason: `waiting for Lingxing status 5/6 (statuses ${statuses.join(', ')})` };
}

/** What DSCO's own record says about acknowledging a PO. */
export type DscoAckState = 'to_acknowledge' | 'acknowledged' | 'cancelled';

/**
 * DSCO's truth, read before sending: an order DSCO already moved past "created" was
 * acknowledged (by an earlier run whose answer was lost, or by hand) and must not be sent again.
 */
export function dscoAckState(order: { dscoStatus?: string | undefined; dscoLifecycle?: string | undefined }): DscoAckState {
  if (order.dscoStatus === 'cancelled') return 'cancelled';
  if (order.dscoLifecycle === 'acknowledged' || order.dscoLifecycle === 'completed') return 'acknowledged';
  if (order.dscoStatus === 'shipment_pending' || order.dscoStatus === 'shipped') return 'acknowledged';
  return 'to_acknowledge';
}

/**
 * POs an accepted (202) acknowledge answer still reports as failed, by PO: DSCO names the PO
 * in the message (`order PO123 is cancelled`). Those stay at 2 for the next run to settle.
 */
export function rejectedInAnswer(
  messages: readonly { code?: string | undefined; severity?: string | undefined; description?: string | undefined }[] | undefined,
  pos: readonly string[],
): Map<string, string> {
  const rejected = new Map<string, string>();
  const wanted = new Set(pos);
  for (const m of messages ?? []) {
    if (m.severity !== undefined && m.severity !== 'error') continue;
    const words = (m.description ?? '').split(/[\s,;:'"()[\]{}]+/);
    for (const word of words) {
      if (wanted.has(word) && !rejected.has(word)) rejected.set(word, `${m.code ?? 'ERROR'}: ${m.description}`);
    }
  }
  return rejected;
}
