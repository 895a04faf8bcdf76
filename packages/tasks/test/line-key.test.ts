import type { RuntimeConfigInput } from '@dlsync/config';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness({ asyncDelayMs: 0 });
const RETAILER = '1000042101';

/** Lingxing items, DSCO shipment, invoice and inventory lines of one PO after the whole pipeline ran. */
async function runPipeline(line: { sku: string; partnerSku: string }, config: RuntimeConfigInput = {}) {
  const po = h.sandbox.world.addOrder({ dscoRetailerId: RETAILER, lineItems: [{ ...line, quantity: 1, consumerPrice: 10, expectedCost: 6 }] }).order.poNumber;
  await h.setConfig(config);
  await h.run('pull_dsco_orders');
  await h.run('push_to_lingxing');
  h.sandbox.clock.advance(301_000); // Lingxing: to ship
  await h.run('ack_to_dsco');
  h.sandbox.clock.advance(1_800_000); // WMS: shipped
  await h.run('ship_to_dsco');
  await h.run('invoice_to_dsco');
  await h.run('sync_stock');
  const state = h.sandbox.state({ poNumber: po });
  return {
    po,
    row: await h.store.orders.getByPo(po),
    lingxingItems: h.sandbox.world.lingxing.byPo(po).flatMap((o) => o.items),
    shipmentLines: state.writes.dscoShipments.flatMap((s) => s.lineItems),
    invoiceLines: state.writes.dscoInvoices.flatMap((i) => i.lineItems),
    inventorySkus: h.sandbox.state({ orders: false }).writes.dscoInventory.flatMap((w) => w.items.map((i) => (i as { sku: string }).sku)),
  };
}

beforeEach(async () => {
  h.sandbox.reset();
  await h.store.pool.query('TRUNCATE dsco_order_sync');
});

describe('the DSCO line key', () => {
  it('is the supplier sku by default: Lingxing msku, mapping key, shipment/invoice/inventory sku (partnerSku as an extra)', async () => {
    const out = await runPipeline({ sku: 'DL-1001', partnerSku: 'R101-1001' });
    expect(out.row?.mskus).toBe('DL-1001(1)');
    expect(out.lingxingItems).toEqual([expect.objectContaining({ msku: 'DL-1001', sku: 'LX-1001' })]);
    expect(out.shipmentLines).toEqual([expect.objectContaining({ sku: 'DL-1001', partnerSku: 'R101-1001', quantity: 1 })]);
    expect(out.invoiceLines).toEqual([expect.objectContaining({ sku: 'DL-1001', partnerSku: 'R101-1001', unitPrice: 10 })]);
    expect(out.inventorySkus).toContain('DL-1001');
    expect(out.inventorySkus).not.toContain('R101-1001');
    expect(out.row?.status).toBe(5);
  }, 60_000);

  it('is partnerSku with dsco.line_key: partner_sku (Lingxing msku, mapping key, partnerSku on shipment/invoice lines), and unit_price: expected_cost bills the cost', async () => {
    const mapping = h.sandbox.world.suggestedMapping();
    const out = await runPipeline(
      { sku: 'DL-1002', partnerSku: 'R101-1002' },
      {
        dsco: { line_key: 'partner_sku' },
        // Keyed by partnerSku: the supplier-sku key of the same product goes, or the reverse map would be ambiguous.
        mapping: { ...mapping, sku: { ...Object.fromEntries(Object.entries(mapping.sku).filter(([k]) => k !== 'DL-1002')), 'R101-1002': 'LX-1002' } },
        jobs: { invoice_to_dsco: { unit_price: 'expected_cost' } },
      },
    );
    expect(out.row?.mskus).toBe('R101-1002(1)');
    expect(out.lingxingItems).toEqual([expect.objectContaining({ msku: 'R101-1002', sku: 'LX-1002' })]);
    // The key travels in its own field (partnerSku); the supplier sku rides along so DSCO matches either way.
    expect(out.shipmentLines).toEqual([expect.objectContaining({ partnerSku: 'R101-1002', sku: 'DL-1002', quantity: 1 })]);
    expect(out.invoiceLines).toEqual([expect.objectContaining({ partnerSku: 'R101-1002', sku: 'DL-1002', unitPrice: 6 })]);
    expect(out.row?.status).toBe(5);
  }, 60_000);
});
