import type { OrderStatus, Store } from '@dlsync/store';

export interface OrdersProgress {
  byStatus: Record<OrderStatus, number>;
  eligibleDone: number;
  /** Eligible orders not at 5 yet (status undefined: not pulled). */
  pending: { po: string; status?: OrderStatus }[];
}

export interface WaitForOrdersOptions {
  store: Store;
  /** POs that must reach status 5. */
  eligible: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** (Default: 1000) */
  pollMs?: number;
  /** Called every `reportEveryMs` (Default: 5000) with the current progress. */
  onProgress?: (p: OrdersProgress) => void;
  reportEveryMs?: number;
}

async function readProgress(store: Store, eligible: readonly string[]): Promise<OrdersProgress> {
  const [byStatus, rows] = await Promise.all([store.orders.countByStatus(), store.orders.getByPos(eligible)]);
  const status = new Map(rows.map((r) => [r.po_number, r.status]));
  const pending = eligible.filter((po) => status.get(po) !== 5).map((po) => ({ po, ...(status.has(po) ? { status: status.get(po)! } : {}) }));
  return { byStatus, eligibleDone: eligible.length - pending.length, pending };
}

/** Polls the order table until every eligible PO is at 5, the timeout passes or `signal` fires. */
export async function waitForOrders(options: WaitForOrdersOptions): Promise<OrdersProgress> {
  const deadline = Date.now() + options.timeoutMs;
  const reportEvery = options.reportEveryMs ?? 5_000;
  let lastReport = Date.now();
  for (;;) {
    const progress = await readProgress(options.store, options.eligible);
    const finished = progress.pending.length === 0 || Date.now() >= deadline || options.signal?.aborted;
    if (finished || Date.now() - lastReport >= reportEvery) {
      options.onProgress?.(progress);
      lastReport = Date.now();
    }
    if (finished) return progress;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1_000));
  }
}
