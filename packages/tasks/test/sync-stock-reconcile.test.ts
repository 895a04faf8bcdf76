import type { DscoItemInventory } from '@dlsync/dsco';
import type { Report } from '@dlsync/runner';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const TIMEOUT = 60_000;

interface StockLine {
  compared: boolean;
  unchanged: number | null;
  raised: number | null;
  lowered: number | null;
  absent: number | null;
  sent: number;
  confirmed: number;
}
const stockLine = (report: Report) => report.details.stock as StockLine;
const writes = () => h.sandbox.state({ orders: false }).writes.dscoInventory;
const sentIn = (from: number) => writes().slice(from).flatMap((w) => w.items as DscoItemInventory[]);
const widOf = (code: string) => h.sandbox.world.catalog.warehouses.find((w) => w.code === code)!.wid;
/** Rows of the sandbox's Lingxing inventory with a mapped sku, as `wid|localSku` keys. */
const mappedKeys = () => [...h.sandbox.world.catalog.inventory.keys()].filter((k) => /\|LX-10\d\d$/.test(k));

beforeEach(async () => {
  h.sandbox.reset();
  h.resetCalls();
  // SKUs repeat from test to test: an earlier test's open inventory write must not hold them back.
  await h.store.pool.query('TRUNCATE dsco_write');
});

describe('sync_stock reconciles with what DSCO holds', () => {
  it(
    'sends only the items whose quantity changed, and confirms them through the change log',
    async () => {
      await h.setConfig({});
      const first = await h.run('sync_stock');
      expect(first.status).toBe('ok');
      // DSCO held no quantities yet: what is above 0 is a raise; items DSCO does not have are not sent.
      const line = stockLine(first);
      expect(line).toMatchObject({ compared: true, lowered: 0 });
      expect(line.raised).toBeGreaterThan(0);
      expect(line.absent).toBeGreaterThan(0);
      expect(line.unchanged! + line.raised! + line.absent!).toBe(h.sandbox.world.catalog.inventory.size);
      expect(line.sent).toBe(sentIn(0).length);
      expect(line.confirmed).toBe(line.sent);

      const again = await h.run('sync_stock');
      expect(stockLine(again)).toMatchObject({ raised: 0, lowered: 0, sent: 0, confirmed: 0, absent: line.absent });
      expect(stockLine(again).unchanged).toBe(line.unchanged! + line.raised!);

      // One quantity goes up, another goes down (to 0); only their two items are sent.
      const [up, down] = mappedKeys().filter((k) => (h.sandbox.world.catalog.inventory.get(k) ?? 0) > 0);
      const inventory = h.sandbox.world.catalog.inventory;
      inventory.set(up!, inventory.get(up!)! + 7);
      const downWas = inventory.get(down!)!;
      inventory.set(down!, 0);
      const before = writes().length;
      const third = await h.run('sync_stock');
      expect(third.status).toBe('ok');
      const skuOf = (key: string) => key.split('|')[1]!.replace('LX-', 'DL-');
      expect(sentIn(before).map((i) => i.sku).sort()).toEqual([skuOf(up!), skuOf(down!)].sort());
      expect(stockLine(third)).toMatchObject({ raised: 1, lowered: 1, sent: 2, confirmed: 2 });

      const rows = await h.store.warehouseSync.listByRun(third.runId);
      const rowOf = (key: string) => rows.find((r) => `${r.wid}|${r.sku}` === key)!;
      expect(rowOf(up!)).toMatchObject({ quantity: inventory.get(up!), dsco_quantity: inventory.get(up!)! - 7, diff: 7, pushed: true });
      expect(rowOf(down!)).toMatchObject({ quantity: 0, dsco_quantity: downWas, diff: -downWas, pushed: true });
      const sentSkus = new Set([skuOf(up!), skuOf(down!)]);
      const others = rows.filter((r) => r.warehouse_code !== null && !sentSkus.has(r.partner_sku));
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((r) => !r.pushed)).toBe(true);
      // Where DSCO holds a quantity, it now equals Lingxing's for everything but the two changes.
      const known = rows.filter((r) => r.dsco_quantity !== null && ![up, down].includes(`${r.wid}|${r.sku}`));
      expect(known.length).toBeGreaterThan(0);
      expect(known.every((r) => r.diff === 0)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'never pushes a negative quantity, whatever the buffer holds back',
    async () => {
      await h.setConfig({ jobs: { sync_stock: { send: 'all', buffer: [{ warehouse: 'WH-EAST', subtract: 100_000 }, { sku: 'DL-10*', subtract: '50%' }] } } });
      const report = await h.run('sync_stock');
      expect(report.status).toBe('ok');
      const items = sentIn(0);
      expect(items.length).toBeGreaterThan(0);
      const inventory = h.sandbox.world.catalog.inventory;
      for (const item of items) {
        for (const w of item.warehouses) {
          expect(w.quantity).toBeGreaterThanOrEqual(0);
          const lingxing = inventory.get(`${widOf(w.code)}|${item.sku.replace('DL-', 'LX-')}`) ?? inventory.get(`${widOf(w.code)}|${item.sku}`)!;
          const expected = w.code === 'WH-EAST' ? 0 : /^DL-10/.test(item.sku) ? lingxing - Math.ceil(lingxing / 2) : lingxing;
          expect({ sku: item.sku, code: w.code, quantity: w.quantity }).toEqual({ sku: item.sku, code: w.code, quantity: expected });
        }
        expect(item.quantityAvailable).toBe(item.warehouses.reduce((s, w) => s + w.quantity, 0));
      }
      expect(stockLine(report)).toMatchObject({ compared: false, sent: items.length, confirmed: items.length });
    },
    TIMEOUT,
  );

  it(
    'a dry run compares and records the differences but sends nothing',
    async () => {
      await h.setConfig({ jobs: { sync_stock: { sync: false } } });
      const report = await h.run('sync_stock');
      expect(writes()).toEqual([]);
      expect(stockLine(report)).toMatchObject({ compared: true, sent: 0, confirmed: 0 });
      const rows = await h.store.warehouseSync.listByRun(report.runId);
      const mapped = rows.filter((r) => r.warehouse_code !== null);
      // DSCO holds none of these items yet: its quantity is unknown, so there is no diff to record.
      expect(mapped.every((r) => r.dsco_quantity === null && r.diff === null && !r.pushed)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'sends every item without comparing when there are more than compare_max_items',
    async () => {
      await h.setConfig({ jobs: { sync_stock: { compare_max_items: 3 } } });
      const report = await h.run('sync_stock');
      expect(report.details.compare_skipped).toMatch(/exceed jobs\.sync_stock\.compare_max_items \(3\)/);
      expect(h.calls()['dsco /inventory']).toBeUndefined();
      expect(stockLine(report)).toMatchObject({ compared: false, unchanged: null });
      expect(stockLine(report).sent).toBe(sentIn(0).length);
    },
    TIMEOUT,
  );
});
