import type { AcknowledgeItem, InventoryInput, InvoiceInput, ShipmentBatchItem, ShipmentLineInput } from '../dsco/request-schemas.js';
import type { ChangeLogEntry, ChangeLogs } from './change-logs.js';
import type { DscoOrders } from './dsco-orders.js';
import type { Recorder } from './recorder.js';
import { invoiceFailure, trackingNumberFailure, type ItemFailure } from './write-rules.js';
import { toIso } from './seed-orders.js';
import type { DscoLineItem, WorldOrder } from './types.js';

/** An invoice as `GET /invoice` returns it. */
export interface StoredInvoice extends InvoiceInput {
  dscoOrderId: string;
  dscoRetailerId: string;
  createDate: string;
  /** What the retailer expects to pay: Σ quantity × expectedCost, when every line has a cost. */
  dscoExpectedOrderTotalAmount?: number;
  /** totalAmount − dscoExpectedOrderTotalAmount: DSCO's report that an invoice differs from the cost. */
  dscoExpectedOrderTotalDifference?: number;
}

const cents = (amount: number): number => Math.round(amount * 100);

/**
 * DSCO compares an invoice with the retailer's cost of the order (expectedCost per line) and
 * reports the gap; undefined when a line has no cost to compare with.
 */
function expectedTotals(order: WorldOrder, invoice: InvoiceInput): Pick<StoredInvoice, 'dscoExpectedOrderTotalAmount' | 'dscoExpectedOrderTotalDifference'> {
  let expected = 0;
  for (const line of invoice.lineItems) {
    const target = findLine(order, line);
    if (target?.expectedCost === undefined) return {};
    expected += cents(target.expectedCost) * line.quantity;
  }
  return { dscoExpectedOrderTotalAmount: expected / 100, dscoExpectedOrderTotalDifference: (cents(invoice.totalAmount) - expected) / 100 };
}

export interface AcknowledgeOutcome {
  status: 'success' | 'failure';
  requestId: string;
  eventDate: string;
  messages: Array<{ code: string; severity: 'error'; description: string }>;
}

export interface DscoSideDeps {
  orders: DscoOrders;
  changeLogs: ChangeLogs;
  recorder: Recorder;
  /** Wall time: DSCO stamps updates with it, because `until` is checked against wall time. */
  wallNow: () => number;
  /** Supplier skus DSCO knows (inventory is keyed by them; for skipItemsThatDontExist). */
  knownSku: (sku: string) => boolean;
  /** An injected failure for an item about to be applied (the `asyncFailureRate` fault), if rolled. (Default: none) */
  asyncFailure?: (what: string) => ItemFailure | undefined;
}

/** The mutable DSCO state behind the write endpoints. */
export interface DscoSide {
  acknowledge(items: AcknowledgeItem[]): AcknowledgeOutcome;
  submitShipments(batch: ShipmentBatchItem[]): string;
  submitInvoices(batch: InvoiceInput[]): string;
  submitInventory(items: InventoryInput[], skipItemsThatDontExist: boolean): string;
  invoicesFor(key: 'poNumber' | 'invoiceId', value: string): StoredInvoice[];
  allInvoices(): StoredInvoice[];
  inventory(): Map<string, InventoryInput>;
  reset(): void;
}

const ok = (key: string, description = 'ok'): ChangeLogEntry => ({ status: 'success', key, results: [{ code: 'SUCCESS', severity: 'info', description }] });
const fail = (key: string, code: string, description: string): ChangeLogEntry => ({ status: 'failure', key, results: [{ code, severity: 'error', description }] });

/**
 * The order line a shipment line names: by dscoItemId, else by the supplier `sku` (DSCO's own
 * key) or the retailer's `partnerSku`, each compared with its own field, narrowed by lineNumber.
 */
function findLine(order: WorldOrder, line: ShipmentLineInput | InvoiceInput['lineItems'][number]): DscoLineItem | undefined {
  const items = order.order.lineItems;
  if (line.dscoItemId) return items.find((l) => l.dscoItemId === line.dscoItemId);
  const bySku = (l: DscoLineItem): boolean =>
    (line.sku !== undefined && l.sku === line.sku) || (line.sku === undefined && line.partnerSku !== undefined && l.partnerSku === line.partnerSku);
  if (line.lineNumber !== undefined) {
    const numbered = items.find((l) => l.lineNumber === line.lineNumber && bySku(l));
    if (numbered) return numbered;
  }
  return items.find(bySku);
}

export function makeDscoSide(deps: DscoSideDeps): DscoSide {
  const { orders, changeLogs, recorder, wallNow } = deps;
  const shipped = new Map<string, number>(); // `${po}|${dscoItemId}` → quantity shipped
  const invoicesByPo = new Map<string, StoredInvoice[]>();
  const invoicesById = new Map<string, StoredInvoice>();
  let inventory = new Map<string, InventoryInput>();

  const touch = (order: WorldOrder): void => {
    order.updatedAtMs = wallNow();
    order.order.dscoLastUpdateDate = toIso(order.updatedAtMs);
  };

  const applyShipment = (order: WorldOrder, shipment: ShipmentBatchItem['shipments'][number]): ChangeLogEntry => {
    const po = order.order.poNumber;
    if (order.order.dscoStatus === 'cancelled') return fail(po, 'ORDER_CANCELLED', `order ${po} is cancelled`);
    const injected = deps.asyncFailure?.(`shipment ${shipment.trackingNumber} of ${po}`);
    if (injected) return fail(po, injected.code, injected.description);
    const matches: Array<[DscoLineItem, number]> = [];
    for (const line of shipment.lineItems) {
      const target = findLine(order, line);
      if (!target) return fail(po, 'LINE_ITEM_NOT_FOUND', `no line item of ${po} matches ${line.dscoItemId ?? line.partnerSku ?? line.sku}`);
      matches.push([target, line.quantity]);
    }
    const badTracking = trackingNumberFailure(shipment.trackingNumber);
    if (badTracking) return fail(po, badTracking.code, badTracking.description);
    for (const [target, quantity] of matches) {
      const key = `${po}|${target.dscoItemId}`;
      shipped.set(key, (shipped.get(key) ?? 0) + quantity);
      if ((shipped.get(key) ?? 0) >= target.quantity) target.status = 'shipped';
    }
    (order.order.packages ??= []).push({
      trackingNumber: shipment.trackingNumber,
      shipDate: shipment.shipDate,
      shipCarrier: shipment.shipCarrier ?? order.order.shipCarrier,
      shipMethod: shipment.shipMethod ?? order.order.shipMethod,
      items: matches.map(([l, quantity]) => ({ dscoItemId: l.dscoItemId, lineNumber: l.lineNumber, partnerSku: l.partnerSku, quantity })),
    });
    if (order.order.lineItems.every((l) => (shipped.get(`${po}|${l.dscoItemId}`) ?? 0) >= l.quantity || l.status === 'shipped')) {
      order.order.dscoStatus = 'shipped';
      order.order.dscoLifecycle = 'completed';
    }
    touch(order);
    return ok(po, `shipment ${shipment.trackingNumber} recorded`);
  };

  return {
    acknowledge(items) {
      const ids = items.map((i) => String(i.id));
      const log = changeLogs.open('order', ids, items);
      const eventDate = toIso(wallNow());
      const messages: AcknowledgeOutcome['messages'] = [];
      log.logs = items.map((item, i) => {
        const id = ids[i] as string;
        const order = item.type === 'PO_NUMBER' ? orders.get(id) : undefined;
        let entry: ChangeLogEntry;
        let injected: ItemFailure | undefined;
        if (!order) entry = fail(id, 'ORDER_NOT_FOUND', `no order with ${item.type} ${id}`);
        else if (order.order.dscoStatus === 'cancelled') entry = fail(id, 'ORDER_CANCELLED', `order ${id} is cancelled`);
        else if ((injected = deps.asyncFailure?.(`the acknowledgement of ${id}`))) entry = fail(id, injected.code, injected.description);
        else {
          const changed = order.order.dscoStatus === 'created' || (item.supplierOrderNumber !== undefined && item.supplierOrderNumber !== order.order.supplierOrderNumber);
          if (item.supplierOrderNumber) order.order.supplierOrderNumber = item.supplierOrderNumber;
          if (order.order.dscoStatus === 'created') {
            order.order.dscoStatus = 'shipment_pending';
            order.order.dscoLifecycle = 'acknowledged';
          }
          if (changed) touch(order);
          entry = ok(id, 'acknowledged');
        }
        if (entry.status === 'failure') messages.push({ code: entry.results[0]?.code ?? 'FAILURE', severity: 'error', description: entry.results[0]?.description ?? '' });
        recorder.writes.dscoAcks.push({
          at: recorder.nowIso(),
          requestId: log.requestId,
          poNumber: id,
          ...(item.supplierOrderNumber ? { supplierOrderNumber: item.supplierOrderNumber } : {}),
          result: entry.status,
          description: entry.results[0]?.description,
        });
        return { ...entry, payload: item };
      });
      log.status = 'COMPLETED';
      return { status: messages.length === 0 ? 'success' : 'failure', requestId: log.requestId, eventDate, messages };
    },

    submitShipments(batch) {
      const log = changeLogs.open('order', batch.map((b) => b.poNumber), batch);
      const writes = batch.flatMap((item) =>
        item.shipments.map((s) => {
          const write = { at: recorder.nowIso(), requestId: log.requestId, poNumber: item.poNumber, trackingNumber: s.trackingNumber, shipDate: s.shipDate, lineItems: s.lineItems, result: 'pending' as const };
          recorder.writes.dscoShipments.push(write);
          return recorder.writes.dscoShipments[recorder.writes.dscoShipments.length - 1] as (typeof recorder.writes.dscoShipments)[number];
        }),
      );
      changeLogs.schedule(log, () => {
        let w = 0;
        return batch.map((item) => {
          const order = orders.get(item.poNumber);
          const entries = item.shipments.map((s) => (order ? applyShipment(order, s) : fail(item.poNumber, 'ORDER_NOT_FOUND', `no order with PO_NUMBER ${item.poNumber}`)));
          for (const entry of entries) {
            const write = writes[w++];
            if (write) Object.assign(write, { result: entry.status, description: entry.results[0]?.description });
          }
          const failed = entries.find((e) => e.status === 'failure');
          return failed ?? { status: 'success', key: item.poNumber, results: entries.flatMap((e) => e.results) };
        });
      });
      return log.requestId;
    },

    submitInvoices(batch) {
      const log = changeLogs.open('invoice', batch.map((b) => b.invoiceId), batch);
      const writes = batch.map((invoice) => {
        recorder.writes.dscoInvoices.push({ at: recorder.nowIso(), requestId: log.requestId, invoiceId: invoice.invoiceId, poNumber: invoice.poNumber, totalAmount: invoice.totalAmount, invoiceDate: invoice.invoiceDate, lineItems: invoice.lineItems, result: 'pending' });
        return recorder.writes.dscoInvoices[recorder.writes.dscoInvoices.length - 1] as (typeof recorder.writes.dscoInvoices)[number];
      });
      changeLogs.schedule(log, () =>
        batch.map((invoice, i) => {
          const order = orders.get(invoice.poNumber);
          let entry: ChangeLogEntry;
          const refused = invoiceFailure(invoice, order?.order, invoicesById.has(invoice.invoiceId)) ?? deps.asyncFailure?.(`invoice ${invoice.invoiceId}`);
          if (refused || !order) entry = fail(invoice.invoiceId, refused?.code ?? 'ORDER_NOT_FOUND', refused?.description ?? '');
          else {
            const stored: StoredInvoice = {
              ...invoice,
              dscoOrderId: order.order.dscoOrderId,
              dscoRetailerId: order.order.dscoRetailerId,
              createDate: toIso(wallNow()),
              ...expectedTotals(order, invoice),
            };
            invoicesById.set(invoice.invoiceId, stored);
            const list = invoicesByPo.get(invoice.poNumber) ?? [];
            list.push(stored);
            invoicesByPo.set(invoice.poNumber, list);
            entry = ok(invoice.invoiceId, 'invoice created');
          }
          const write = writes[i];
          if (write) Object.assign(write, { result: entry.status, description: entry.results[0]?.description });
          return entry;
        }),
      );
      return log.requestId;
    },

    submitInventory(items, skipItemsThatDontExist) {
      const log = changeLogs.open('inventory', items.map((i) => i.sku), items);
      recorder.writes.dscoInventory.push({ at: recorder.nowIso(), requestId: log.requestId, skipItemsThatDontExist, items, result: 'pending' });
      const write = recorder.writes.dscoInventory[recorder.writes.dscoInventory.length - 1] as (typeof recorder.writes.dscoInventory)[number];
      changeLogs.schedule(log, () => {
        const entries = items.map((item): ChangeLogEntry => {
          const injected = deps.asyncFailure?.(`inventory of ${item.sku}`);
          if (injected) return fail(item.sku, injected.code, injected.description);
          if (!deps.knownSku(item.sku)) {
            return skipItemsThatDontExist
              ? { status: 'success', key: item.sku, results: [{ code: 'ITEM_SKIPPED', severity: 'warn', description: `item ${item.sku} does not exist; skipped` }] }
              : fail(item.sku, 'ITEM_NOT_FOUND', `item ${item.sku} does not exist`);
          }
          inventory.set(item.sku, item);
          return ok(item.sku, 'inventory updated');
        });
        write.result = entries.some((e) => e.status === 'failure') ? 'failure' : 'success';
        return entries;
      });
      return log.requestId;
    },

    invoicesFor(key, value) {
      if (key === 'invoiceId') {
        const invoice = invoicesById.get(value);
        return invoice ? [invoice] : [];
      }
      return invoicesByPo.get(value) ?? [];
    },
    allInvoices: () => [...invoicesById.values()],
    inventory: () => inventory,
    reset() {
      shipped.clear();
      invoicesByPo.clear();
      invoicesById.clear();
      inventory = new Map();
    },
  };
}
