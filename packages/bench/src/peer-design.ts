/**
 * The original design's lifecycle, for comparison: the same pull and batched create, but the
 * lookups the original made per order — Lingxing's WMS list once per PO for the shipment and
 * again for the invoice, DSCO's order state read per PO before shipping, one acknowledge call
 * per PO — through the real clients against the same sandbox. Order state lives in memory (the
 * original kept it in a table; memory only flatters this side). Every stage loops over what is
 * at its input, like cron runs, until every order is invoiced.
 */
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient, CreateOrderInput } from '@dlsync/lingxing';
import type { MappingResolver } from '@dlsync/mapping';
import { forEachConcurrent } from '@dlsync/remote';
import { buildInvoice, buildLingxingOrder, coversOrder, parseDscoOrder, planShipments, type DscoOrder, type WmsRecord } from '@dlsync/tasks';

export interface PeerDeps {
  dsco: DscoClient;
  lingxing: LingxingClient;
  mapping: MappingResolver;
  platformCode: number;
  /** Zone of Lingxing's WMS times. */
  timezone: string;
}

export interface PeerOptions {
  orders: number;
  /** Per-order calls of one stage in flight at once (the clients' limiters pace them). (Default: 8) */
  concurrency: number;
  timeoutMs: number;
  /** Pull the orders created since then (the day's orders, as ours reads them from its watermark). */
  createdSince: Date;
}

interface PeerOrder {
  order: DscoOrder;
  status: 1 | 2 | 3 | 4 | 5;
  globalOrderNo?: string;
  busy?: boolean;
}

export interface PeerResult {
  elapsedSeconds: number;
  completed: number;
  /** Problems met (a stage's failed call, an order it could not handle), first few. */
  problems: string[];
}

/** Create bodies of at most this many orders (the original's batch create). */
const CREATE_MAX = 200;

export async function runPeerDesign(deps: PeerDeps, options: PeerOptions): Promise<PeerResult> {
  const orders = new Map<string, PeerOrder>();
  const problems: string[] = [];
  const note = (message: string): void => void (problems.length < 20 && problems.push(message));
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const at = (status: PeerOrder['status']): PeerOrder[] => [...orders.values()].filter((o) => o.status === status && !o.busy);
  const done = (): boolean => orders.size >= options.orders && at(5).length === orders.size;
  const sids = deps.mapping.storeIds();

  const pull = async (): Promise<void> => {
    for await (const page of deps.dsco.iterateOrders({ createdSince: options.createdSince, until: new Date() })) {
      for (const raw of page.orders) {
        const parsed = parseDscoOrder(raw);
        if (parsed.ok && !orders.has(parsed.order.poNumber)) orders.set(parsed.order.poNumber, { order: parsed.order, status: 1 });
      }
    }
  };

  const push = async (): Promise<void> => {
    const byStore = new Map<string, { o: PeerOrder; body: CreateOrderInput }[]>();
    for (const o of at(1)) {
      const built = buildLingxingOrder(o.order, deps.mapping);
      if (!built.ok) {
        note(`${o.order.poNumber}: ${built.reason}`);
        continue;
      }
      const list = byStore.get(built.storeId) ?? [];
      if (list.length < CREATE_MAX) list.push({ o, body: { ...built.order } });
      byStore.set(built.storeId, list);
    }
    for (const [storeId, list] of byStore) {
      const result = await deps.lingxing.createOrders({ platform_code: deps.platformCode, store_id: storeId, orders: list.map((l) => l.body) });
      const created = new Map(result.success_details.map((s) => [s.platform_order_no, s.global_order_no]));
      for (const { o } of list) {
        const no = created.get(o.order.poNumber);
        if (no !== undefined) Object.assign(o, { status: 2, globalOrderNo: String(no) });
      }
    }
  };

  const ack = async (): Promise<void> => {
    const waiting = at(2);
    if (waiting.length === 0) return;
    const listed = await deps.lingxing.listOrdersByPo(waiting.map((o) => o.order.poNumber), { include_delete: false, store_id: sids });
    // Every sub-order of the PO at 5 (to ship) or 6 (shipped).
    const statuses = new Map<string, number[]>();
    for (const l of listed) for (const p of l.platform_info) statuses.set(p.platform_order_no, [...(statuses.get(p.platform_order_no) ?? []), l.status]);
    const ready = new Set([...statuses].filter(([, s]) => s.every((x) => x === 5 || x === 6)).map(([po]) => po));
    // One acknowledge per PO, as the original sent them.
    await perOrder(waiting.filter((o) => ready.has(o.order.poNumber)), async (o) => {
      await deps.dsco.acknowledge([{ poNumber: o.order.poNumber, ...(o.globalOrderNo ? { supplierOrderNumber: o.globalOrderNo } : {}) }]);
      o.status = 3;
    });
  };

  const wmsOf = async (po: string): Promise<WmsRecord[]> => (await deps.lingxing.wmsOrdersByPo([po], sids)) as WmsRecord[];

  const ship = async (): Promise<void> => {
    const outgoing: { o: PeerOrder; shipments: ReturnType<typeof planShipments>['toSend'] }[] = [];
    await perOrder(at(3), async (o) => {
      const state = await deps.dsco.getOrderByPo(o.order.poNumber);
      if (state?.dscoStatus === 'shipped' || state?.dscoStatus === 'completed') o.status = 4;
      if (state?.dscoStatus !== 'shipment_pending') return;
      const plan = planShipments(o.order, await wmsOf(o.order.poNumber), new Set(), deps.mapping.dscoSkuOf, deps.timezone);
      if (plan.toSend.length > 0 && coversOrder(o.order, plan.shippedQty)) outgoing.push({ o, shipments: plan.toSend });
    });
    if (outgoing.length === 0) return;
    await deps.dsco.createShipments(outgoing.map((x) => ({ poNumber: x.o.order.poNumber, shipments: x.shipments })));
    for (const x of outgoing) x.o.status = 4;
  };

  const invoice = async (): Promise<void> => {
    const outgoing: { o: PeerOrder; invoice: Parameters<DscoClient['createInvoices']>[0][number] }[] = [];
    await perOrder(at(4), async (o) => {
      const plan = planShipments(o.order, await wmsOf(o.order.poNumber), new Set(), deps.mapping.dscoSkuOf, deps.timezone);
      if (!plan.lastShipDate) return;
      const built = buildInvoice(o.order, plan.lastShipDate);
      if (built.ok) outgoing.push({ o, invoice: built.invoice });
      else note(`${o.order.poNumber}: ${built.reason}`);
    });
    if (outgoing.length === 0) return;
    await deps.dsco.createInvoices(outgoing.map((x) => x.invoice));
    for (const x of outgoing) x.o.status = 5;
  };

  /** Runs `work` per order, `concurrency` at a time, marking them busy so no other pass takes them. */
  async function perOrder(list: PeerOrder[], work: (o: PeerOrder) => Promise<void>): Promise<void> {
    for (const o of list) o.busy = true;
    try {
      await forEachConcurrent(list, options.concurrency, async (o) => {
        try {
          await work(o);
        } catch (err) {
          note(`${o.order.poNumber}: ${(err as Error).message}`);
        }
      });
    } finally {
      for (const o of list) o.busy = false;
    }
  }

  /** A stage as a loop of passes, like a cron that finds a backlog, until every order is done. */
  async function loop(name: string, pass: () => Promise<void>): Promise<void> {
    while (!done() && performance.now() < deadline) {
      try {
        await pass();
      } catch (err) {
        note(`${name}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  await pull();
  await Promise.all([loop('push', push), loop('ack', ack), loop('ship', ship), loop('invoice', invoice)]);
  return { elapsedSeconds: (performance.now() - started) / 1000, completed: at(5).length, problems };
}
