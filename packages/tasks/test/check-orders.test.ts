import type { Report } from '@dlsync/runner';
import type { AddOrderInput } from '@dlsync/sandbox';
import type { OrderRow, OrderStatus } from '@dlsync/store';
import { formatMskus, parseDscoOrder, pulledStatus } from '@dlsync/tasks';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const TIMEOUT = 30_000;
const MINUTE = 60_000;
/** Endpoints check_orders may call: reads only. */
const READ_ENDPOINTS = ['dsco /order/page', 'dsco /order/', 'dsco /invoice', 'lingxing /pb/mp/order/v2/list'];

interface LocalState {
  status: OrderStatus;
  /** Set dsco_invoice_id on the way to 5. */
  invoiceId?: string;
}

/**
 * A DSCO order in the sandbox and, optionally, its local row at `local.status` — pulled as the
 * status DSCO implies (or as 1/6 when the test wants otherwise) and moved forward through the
 * guarded transitions, as the tasks would.
 */
async function seed(po: string, createdAt: Date, dsco: AddOrderInput | 'unknown to DSCO', local?: LocalState): Promise<void> {
  const raw =
    dsco === 'unknown to DSCO'
      ? { ...h.sandbox.world.addOrder({ poNumber: `${po}-TEMPLATE` }).order, poNumber: po, dscoCreateDate: createdAt.toISOString() }
      : h.sandbox.world.addOrder({ ...dsco, poNumber: po, dscoCreateDate: createdAt.toISOString() }).order;
  if (!local) return;
  const parsed = parseDscoOrder(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  const order = parsed.order;
  const pulledAs = local.status === 6 ? 6 : local.status === 5 && !local.invoiceId ? pulledStatus(order)! : 1;
  await h.store.orders.upsertPulled([
    {
      po_number: po,
      dsco_order_id: order.dscoOrderId ?? null,
      dsco_retailer_id: order.dscoRetailerId ?? null,
      dsco_status: order.dscoStatus ?? null,
      dsco_create_time: order.createTime,
      mskus: formatMskus(order),
      warehouse_id: order.shipWarehouseCode ?? null,
      shipment: order.shippingServiceLevelCode ?? null,
      payload: raw,
      pulledStatus: pulledAs,
    },
  ]);
  for (let from = pulledAs; from < local.status; from++) {
    const to = (from + 1) as OrderStatus;
    const patch = to === 5 && local.invoiceId ? { dsco_invoice_id: local.invoiceId } : undefined;
    if (!(await h.store.orders.transition(po, from as OrderStatus, to, patch))) throw new Error(`${po}: ${from} → ${to} failed`);
  }
}

async function createInLingxing(po: string): Promise<void> {
  const result = await h.lingxing.createOrders({
    platform_code: 10009,
    store_id: h.sandbox.world.suggestedMapping().shop['1000042101']!,
    orders: [
      {
        platform_order_no: po,
        receiver_country_code: 'US',
        receiver_name: 'Ada Lovelace',
        city: 'Austin',
        address_line1: '1 Main St',
        postal_code: '73301',
        state_or_region: 'TX',
        items: [{ msku: 'DL-1001', sku: 'LX-1001', quantity: 1, unit_price: 10 }],
      },
    ],
  });
  expect(result.success_details.map((s) => s.platform_order_no)).toEqual([po]);
}

async function createDscoInvoice(po: string): Promise<void> {
  await h.dsco.createInvoices([
    { invoiceId: po, poNumber: po, invoiceDate: new Date().toISOString(), currencyCode: 'USD', totalAmount: 10, lineItems: [{ quantity: 1, unitPrice: 10, sku: 'DL-1001' }] },
  ]);
  h.sandbox.clock.advance(1_000); // DSCO processes the async batch
  expect(await h.dsco.getInvoicesByPo(po)).toHaveLength(1);
}

/** Everything a write could change: every local row (with updated_at), runtime_config, the sandbox's writes. */
async function snapshotWritable(): Promise<{ rows: OrderRow[]; config: unknown; writes: Record<string, number> }> {
  const { items } = await h.store.orders.search({ limit: 1000 });
  const latest = await h.store.runtimeConfig.latest();
  const { tokens: _tokens, ...writes } = h.sandbox.state({ orders: false }).writes;
  return { rows: items, config: latest, writes: Object.fromEntries(Object.entries(writes).map(([k, v]) => [k, v.length])) };
}

function itemOf(report: Report, po: string): Report['items'][number] | undefined {
  return report.items.find((i) => i.po_number === po);
}

function expectReadsOnly(): void {
  for (const endpoint of Object.keys(h.calls())) expect(READ_ENDPOINTS).toContain(endpoint);
}

beforeAll(async () => {
  await h.setConfig({});
});

beforeEach(() => h.resetCalls());

describe('check_orders', () => {
  it(
    'reports each kind of mismatch with expected vs actual, and writes nothing',
    async () => {
      // Whole seconds: DSCO dates carry no milliseconds, and W1-AT-END must sit exactly on `end`.
      const start = new Date(Math.floor((Date.now() - 3 * 60 * MINUTE) / 1000) * 1000);
      const end = new Date(start.getTime() + 60 * MINUTE);
      const at = (minutes: number): Date => new Date(start.getTime() + minutes * MINUTE);
      const shipped = { dscoStatus: 'shipped', dscoLifecycle: 'acknowledged' } as const;
      const pending = { dscoStatus: 'shipment_pending', dscoLifecycle: 'acknowledged' } as const;

      await seed('W1-MISSING', at(1), { dscoStatus: 'created' });
      await seed('W1-NOT-LX', at(2), { dscoStatus: 'created' }, { status: 2 });
      await seed('W1-LX-OK', at(3), { dscoStatus: 'created' }, { status: 2 });
      await createInLingxing('W1-LX-OK');
      await seed('W1-BEHIND3', at(4), { dscoStatus: 'created' }, { status: 3 });
      await seed('W1-OK3', at(5), pending, { status: 3 });
      await seed('W1-BEHIND4', at(6), pending, { status: 4 });
      await seed('W1-OK4-COMPLETED', at(7), { dscoStatus: 'shipment_pending', dscoLifecycle: 'completed' }, { status: 4 });
      await seed('W1-NO-INVOICE', at(8), shipped, { status: 5, invoiceId: 'W1-NO-INVOICE' });
      await seed('W1-INVOICED', at(9), shipped, { status: 5, invoiceId: 'W1-INVOICED' });
      await createDscoInvoice('W1-INVOICED');
      await seed('W1-SHIPPED-FIRST', at(10), shipped, { status: 5 });
      await seed('W1-NOT-CANCELLED', at(11), { dscoStatus: 'created' }, { status: 6 });
      await seed('W1-CANCELLED', at(12), { dscoStatus: 'cancelled' }, { status: 6 });
      await seed('W1-PULLED', at(13), { dscoStatus: 'created' }, { status: 1 });
      await seed('W1-AT-END', end, { dscoStatus: 'created' }); // [start, end): excluded
      await seed('W1-BEFORE', at(-1), { dscoStatus: 'created' }); // excluded

      const before = await snapshotWritable();
      h.resetCalls();
      const report = await h.run('check_orders', { window: { start, end } });

      expect(report.status).toBe('partial');
      expect(report.details).toMatchObject({
        dsco_orders: 13,
        checked: 12,
        not_checked: 1,
        mismatches: { missing_local_record: 1, not_in_lingxing: 1, dsco_status_behind: 2, missing_invoice: 1, not_cancelled: 1 },
        invoice_reads: 2,
      });
      expect(report.counts).toEqual({ ok: 7, skipped: 0, failed: 6 });
      const list = report.details.mismatch_list as Record<string, unknown>[];
      expect(list).toEqual(
        expect.arrayContaining([
          { po_number: 'W1-MISSING', kind: 'missing_local_record', local_status: null, expected: 'local record', actual: 'none' },
          { po_number: 'W1-NOT-LX', kind: 'not_in_lingxing', local_status: 2, expected: 'Lingxing order exists', actual: 'not found' },
          { po_number: 'W1-BEHIND3', kind: 'dsco_status_behind', local_status: 3, expected: 'shipment_pending|shipped|completed', actual: 'created' },
          { po_number: 'W1-BEHIND4', kind: 'dsco_status_behind', local_status: 4, expected: 'shipped|completed', actual: 'shipment_pending' },
          { po_number: 'W1-NO-INVOICE', kind: 'missing_invoice', local_status: 5, expected: 'DSCO invoice exists', actual: 'none' },
          { po_number: 'W1-NOT-CANCELLED', kind: 'not_cancelled', local_status: 6, expected: 'cancelled', actual: 'created' },
        ]),
      );
      expect(list).toHaveLength(6);
      for (const m of list) expect(itemOf(report, m.po_number as string)).toMatchObject({ result: 'failed', reason: m.kind });
      for (const po of ['W1-LX-OK', 'W1-OK3', 'W1-OK4-COMPLETED', 'W1-INVOICED', 'W1-SHIPPED-FIRST', 'W1-CANCELLED']) {
        expect(itemOf(report, po)).toEqual({ po_number: po, result: 'ok' });
      }
      expect(itemOf(report, 'W1-PULLED')).toEqual({ po_number: 'W1-PULLED', result: 'ok', reason: 'not checked' });
      expect(itemOf(report, 'W1-AT-END')).toBeUndefined();
      expect(itemOf(report, 'W1-BEFORE')).toBeUndefined();
      // The mismatch's expected vs actual is in its `order done` log line too.
      expect(h.lines).toContainEqual(
        expect.objectContaining({ message: 'order done', po_number: 'W1-BEHIND4', result: 'failed', snapshot: { local_status: 4, expected: 'shipped|completed', actual: 'shipment_pending' } }),
      );

      // Batched reads: one Lingxing list for both status-2 rows, one invoice read per invoiced PO.
      expect(h.calls()['lingxing /pb/mp/order/v2/list']).toEqual({ ok: 1, error: 0 });
      expect(h.calls()['dsco /invoice']).toEqual({ ok: 2, error: 0 });
      expectReadsOnly();
      expect(await snapshotWritable()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    'checks exactly one PO with only_po_number, without a window',
    async () => {
      const createdAt = new Date(Date.now() - 10 * MINUTE);
      await seed('P1-BEHIND', createdAt, { dscoStatus: 'created' }, { status: 3 });
      await seed('P1-OTHER', createdAt, { dscoStatus: 'created' });
      const before = await snapshotWritable();
      h.resetCalls();
      const report = await h.run('check_orders', { onlyPoNumber: 'P1-BEHIND' });

      expect(report.items).toEqual([{ po_number: 'P1-BEHIND', result: 'failed', reason: 'dsco_status_behind' }]);
      expect(report.details).toMatchObject({ dsco_orders: 1, checked: 1, mismatches: { dsco_status_behind: 1 } });
      expect(h.calls()).toEqual({ 'dsco /order/': { ok: 1, error: 0 } });
      expect(await snapshotWritable()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    'reports an invoice DSCO finds different from the retailer cost (dscoExpectedOrderTotalDifference)',
    async () => {
      const createdAt = new Date(Date.now() - 10 * MINUTE);
      const lines = [{ sku: 'DL-1001', partnerSku: 'R101-1001', quantity: 1, consumerPrice: 10, expectedCost: 6 }];
      await seed('P3-BILLED', createdAt, { dscoStatus: 'shipped', dscoLifecycle: 'completed', lineItems: lines }, { status: 5, invoiceId: 'P3-BILLED' });
      await createInLingxing('P3-BILLED');
      await createDscoInvoice('P3-BILLED'); // billed at 10, the retailer's cost is 6
      const report = await h.run('check_orders', { onlyPoNumber: 'P3-BILLED' });
      expect(report.details.invoice_expected_differences).toEqual({ 'P3-BILLED': 4 });
      expect(report.items).toEqual([{ po_number: 'P3-BILLED', result: 'ok' }]);
    },
    TIMEOUT,
  );

  it(
    'reports a local row DSCO does not know with only_po_number',
    async () => {
      await seed('P2-GONE', new Date(Date.now() - 10 * MINUTE), 'unknown to DSCO', { status: 2 });
      const report = await h.run('check_orders', { onlyPoNumber: 'P2-GONE' });

      expect(report.items).toEqual([{ po_number: 'P2-GONE', result: 'failed', reason: 'not_in_dsco' }]);
      expect(report.details.mismatch_list).toEqual([{ po_number: 'P2-GONE', kind: 'not_in_dsco', local_status: 2, expected: 'DSCO order', actual: 'none' }]);
      const nowhere = await h.run('check_orders', { onlyPoNumber: 'P2-NOWHERE' });
      expect(nowhere.items).toEqual([{ po_number: 'P2-NOWHERE', result: 'skipped', reason: 'not found in DSCO nor locally' }]);
    },
    TIMEOUT,
  );

  it(
    'marks the POs of a Lingxing read that keeps failing as failed and still checks the others',
    async () => {
      const start = new Date(Date.now() - 5 * 60 * MINUTE);
      const end = new Date(start.getTime() + 10 * MINUTE);
      await seed('F1-AT-2', new Date(start.getTime() + MINUTE), { dscoStatus: 'created' }, { status: 2 });
      await seed('F1-BEHIND', new Date(start.getTime() + 2 * MINUTE), { dscoStatus: 'created' }, { status: 3 });
      h.sandbox.faults.set({ lingxing: { endpoints: { '/pb/mp/order/v2/list': { serverErrorRate: 1 } } } });
      try {
        const report = await h.run('check_orders', { window: { start, end } });
        expect(report.status).toBe('partial');
        expect(itemOf(report, 'F1-AT-2')).toMatchObject({ result: 'failed', reason: expect.stringMatching(/^check failed: lingxing /) });
        expect(itemOf(report, 'F1-BEHIND')).toMatchObject({ result: 'failed', reason: 'dsco_status_behind' });
        expect(report.details.mismatches).toEqual({ dsco_status_behind: 1 });
      } finally {
        h.sandbox.faults.clear();
      }
    },
    TIMEOUT,
  );

  it(
    'bounds per-PO invoice reads by size and skips the rest',
    async () => {
      const start = new Date(Date.now() - 7 * 60 * MINUTE);
      const end = new Date(start.getTime() + 10 * MINUTE);
      const shipped = { dscoStatus: 'shipped', dscoLifecycle: 'acknowledged' } as const;
      await seed('B1-INV-A', new Date(start.getTime() + MINUTE), shipped, { status: 5, invoiceId: 'B1-INV-A' });
      await seed('B1-INV-B', new Date(start.getTime() + 2 * MINUTE), shipped, { status: 5, invoiceId: 'B1-INV-B' });
      await h.setConfig({ jobs: { check_orders: { size: 1 } } });
      try {
        h.resetCalls();
        const report = await h.run('check_orders', { window: { start, end } });
        expect(h.calls()['dsco /invoice']).toEqual({ ok: 1, error: 0 });
        expect(report.details).toMatchObject({ invoice_reads: 1, invoice_reads_skipped: 1, mismatches: { missing_invoice: 1 } });
        expect(report.items.filter((i) => i.result === 'skipped')).toEqual([
          { po_number: expect.stringMatching(/^B1-INV-/), result: 'skipped', reason: 'invoice read limit (size) reached' },
        ]);
      } finally {
        await h.setConfig({});
      }
    },
    TIMEOUT,
  );

  it(
    'fails with a clear error without a window or a PO',
    async () => {
      const report = await h.run('check_orders');
      expect(report.status).toBe('failed');
      expect(report.error).toBe('check_orders needs a window [start, end) or only_po_number');
      expect(h.calls()).toEqual({});
    },
    TIMEOUT,
  );
});
