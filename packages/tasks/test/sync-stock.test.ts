import type { TaskRegistry } from '@dlsync/runner';
import type { Sandbox } from '@dlsync/sandbox';
import type { WarehouseSyncRow } from '@dlsync/store';
import { DSCO_BODY_BUDGET_BYTES, jsonBytes, type DscoItemInventory } from '@dlsync/dsco';
import { syncStock, taskRegistry } from '@dlsync/tasks';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const INVENTORY_WRITE = 'dsco /inventory/batch/small';
const TIMEOUT = 30_000;
/** These tests check what a full send looks like; sending only changed items is in sync-stock-reconcile.test.ts. */
const SEND_ALL = { jobs: { sync_stock: { send: 'all' as const } } };

/** Every `wid|localSku` → quantity the sandbox's Lingxing holds. */
function worldInventory(sandbox: Sandbox): { wid: string; sku: string; quantity: number }[] {
  return [...sandbox.world.catalog.inventory].map(([key, quantity]) => {
    const [wid = '', sku = ''] = key.split('|');
    return { wid, sku, quantity };
  });
}

/**
 * What DSCO should receive, computed from the world independently of the task: per partnerSku
 * (local sku reversed through the suggested mapping, else unchanged) the quantity per warehouse code.
 */
function expectedItems(sandbox: Sandbox, wids: readonly string[]): Map<string, Record<string, number>> {
  const mapping = sandbox.world.suggestedMapping();
  const partnerOf = new Map(Object.entries(mapping.sku).map(([partner, local]) => [local, partner]));
  const codeOf = new Map(Object.entries(mapping.warehouse).map(([code, wid]) => [wid, code]));
  const items = new Map<string, Record<string, number>>();
  for (const row of worldInventory(sandbox)) {
    if (!wids.includes(row.wid)) continue;
    const partnerSku = partnerOf.get(row.sku) ?? row.sku;
    const warehouses = items.get(partnerSku) ?? {};
    warehouses[codeOf.get(row.wid)!] = row.quantity;
    items.set(partnerSku, warehouses);
  }
  return items;
}

/** The inventory batches the sandbox received (it records bodies untyped). */
function inventoryWrites(sandbox: Sandbox): { requestId: string; skipItemsThatDontExist: boolean; items: DscoItemInventory[] }[] {
  return sandbox.state({ orders: false }).writes.dscoInventory.map((w) => ({ ...w, items: w.items as DscoItemInventory[] }));
}

function sentItems(sandbox: Sandbox): Map<string, Record<string, number>> {
  const sent = new Map<string, Record<string, number>>();
  for (const write of inventoryWrites(sandbox)) {
    for (const item of write.items) {
      expect(sent.has(item.sku)).toBe(false); // one ItemInventory per partnerSku per run
      const warehouses = Object.fromEntries(item.warehouses.map((w) => [w.code, w.quantity]));
      expect(item.quantityAvailable).toBe(Object.values(warehouses).reduce((s, q) => s + q, 0));
      sent.set(item.sku, warehouses);
    }
  }
  return sent;
}

/** The sandbox's warehouse ids (18-digit, as Lingxing's are), all or by DSCO code. */
function allWids(): string[] {
  return h.sandbox.world.catalog.warehouses.map((w) => w.wid);
}
function widOf(code: string): string {
  return h.sandbox.world.catalog.warehouses.find((w) => w.code === code)!.wid;
}

function rowKey(r: Pick<WarehouseSyncRow, 'wid' | 'sku'>): string {
  return `${r.wid}|${r.sku}`;
}

beforeEach(async () => {
  h.sandbox.reset();
  h.resetCalls();
  // SKUs repeat from test to test: an earlier test's open inventory write must not hold them back.
  await h.store.pool.query('TRUNCATE dsco_write');
});

describe('sync_stock', () => {
  it(
    'dry run (sync: false) sends nothing and records every row as not pushed',
    async () => {
      await h.setConfig({ jobs: { sync_stock: { sync: false } } });
      const report = await h.run('sync_stock');

      expect(report.status).toBe('ok');
      expect(report.details).toMatchObject({ dry_run: true, chunks_sent: 0, unmapped_rows: 0 });
      expect(h.calls()[INVENTORY_WRITE]).toBeUndefined();
      expect(h.sandbox.state({ orders: false }).writes.dscoInventory).toEqual([]);

      const rows = await h.store.warehouseSync.listByRun(report.runId);
      const world = worldInventory(h.sandbox);
      expect(rows.map(rowKey).sort()).toEqual(world.map(rowKey).sort());
      expect(rows.every((r) => r.pushed === false && r.dsco_request_id === null)).toBe(true);
      expect(report.details.rows_recorded).toBe(world.length);
    },
    TIMEOUT,
  );

  it(
    'sends one item per partnerSku with per-warehouse quantities and records rows with the request id',
    async () => {
      await h.setConfig(SEND_ALL);
      const report = await h.run('sync_stock');
      expect(report.status).toBe('ok');

      const writes = inventoryWrites(h.sandbox);
      expect(writes).toHaveLength(1);
      const write = writes[0]!;
      expect(write.skipItemsThatDontExist).toBe(true);
      expect(sentItems(h.sandbox)).toEqual(expectedItems(h.sandbox, allWids()));
      expect(report.details).toMatchObject({ dry_run: false, chunks_sent: 1, chunks_failed: 0, request_ids: [write.requestId] });

      const rows = await h.store.warehouseSync.listByRun(report.runId);
      expect(rows).toHaveLength(worldInventory(h.sandbox).length);
      expect(rows.every((r) => r.pushed && r.dsco_request_id === write.requestId)).toBe(true);
      const quantities = new Map(worldInventory(h.sandbox).map((r) => [rowKey(r), r.quantity]));
      const codes = h.sandbox.world.suggestedMapping().warehouse;
      for (const row of rows) {
        expect(row.quantity).toBe(quantities.get(rowKey(row)));
        expect(codes[row.warehouse_code!]).toBe(row.wid);
      }
      // Mapped local skus are recorded under their partnerSku; others pass through.
      const mapped = rows.filter((r) => /^LX-10\d\d$/.test(r.sku));
      expect(mapped.length).toBeGreaterThan(0);
      for (const row of mapped) expect(row.partner_sku).toBe(row.sku.replace('LX-', 'DL-'));
      for (const row of rows.filter((r) => !/^LX-10\d\d$/.test(r.sku))) expect(row.partner_sku).toBe(row.sku);

      // Once DSCO processed the batch, its inventory is what Lingxing holds (unknown items skipped).
      h.sandbox.clock.advance(1_000);
      const dscoInventory = h.sandbox.state({ orders: false }).dscoInventory;
      expect(dscoInventory.length).toBeGreaterThan(0);
      for (const item of dscoInventory) expect(item).toEqual(write.items.find((i) => i.sku === item.sku));
    },
    TIMEOUT,
  );

  it(
    'sends 520+ items in bodies sized by bytes (one body here, far under 5 MB), each row recorded with its request',
    async () => {
      const extra = Array.from({ length: 520 }, (_, i) => `LX-BULK-${String(i).padStart(4, '0')}`);
      for (const sku of extra) h.sandbox.world.catalog.inventory.set(`${widOf('WH-EAST')}|${sku}`, 3);
      try {
        await h.setConfig(SEND_ALL);
        const report = await h.run('sync_stock');
        expect(report.status).toBe('ok');

        const writes = inventoryWrites(h.sandbox);
        // DSCO bounds a small batch by its 5 MB body, not an item count: 600 items fit one body.
        expect(writes.length).toBe(Math.ceil(jsonBytes(writes.flatMap((w) => w.items)) / DSCO_BODY_BUDGET_BYTES));
        expect(writes.every((w) => jsonBytes(w.items) <= DSCO_BODY_BUDGET_BYTES)).toBe(true);
        expect(sentItems(h.sandbox)).toEqual(expectedItems(h.sandbox, allWids()));
        expect(report.details.request_ids).toEqual(writes.map((w) => w.requestId));

        const chunkOf = new Map(writes.flatMap((w) => w.items.map((i) => [i.sku, w.requestId] as const)));
        const rows = await h.store.warehouseSync.listByRun(report.runId);
        for (const row of rows) expect(row.dsco_request_id).toBe(chunkOf.get(row.partner_sku));
      } finally {
        for (const sku of extra) h.sandbox.world.catalog.inventory.delete(`${widOf('WH-EAST')}|${sku}`);
      }
    },
    TIMEOUT,
  );

  it(
    'marks the rows of a chunk whose outcome is in doubt as not pushed and reports the chunk failed',
    async () => {
      await h.setConfig(SEND_ALL);
      h.sandbox.faults.set({ dsco: { endpoints: { '/inventory/batch/small': { serverErrorRate: 1 } } } });
      const report = await h.run('sync_stock');

      expect(report.status).toBe('partial');
      expect(report.items).toContainEqual(expect.objectContaining({ result: 'failed', reason: expect.stringMatching(/^HTTP_5\d\d \(in doubt\)$/), chunk: 1 }));
      expect(report.details).toMatchObject({ chunks_sent: 0, chunks_failed: 1 });
      // A write in doubt is never repeated by the client.
      expect(h.calls()[INVENTORY_WRITE]).toEqual({ ok: 0, error: 1 });
      const rows = await h.store.warehouseSync.listByRun(report.runId);
      expect(rows).toHaveLength(worldInventory(h.sandbox).length);
      expect(rows.every((r) => !r.pushed && r.dsco_request_id === null)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'records and reports rows of a wid missing from mapping.warehouse but never sends them',
    async () => {
      const warehouse = { 'WH-EAST': widOf('WH-EAST'), 'WH-WEST': widOf('WH-WEST') };
      const centralWid = widOf('WH-CENTRAL');
      await h.setConfig({ ...SEND_ALL, mapping: { ...h.sandbox.world.suggestedMapping(), warehouse } });
      // Lingxing answers for a warehouse the mapping does not cover (as when a wid is unmapped
      // after it was requested): the sandbox is asked for the central warehouse too, through the real client.
      const tasks: TaskRegistry = {
        ...taskRegistry,
        sync_stock: (ctx) =>
          syncStock({
            ...ctx,
            lingxing: { ...ctx.lingxing, allInventory: (wids, options) => ctx.lingxing.allInventory([...wids, centralWid], options) },
          }),
      };
      const report = await h.run('sync_stock', {}, tasks);

      const central = worldInventory(h.sandbox).filter((r) => r.wid === centralWid);
      expect(central.length).toBeGreaterThan(0);
      expect(report.status).toBe('ok');
      expect(report.details).toMatchObject({ unmapped_rows: central.length, unmapped_wids: { [centralWid]: central.length } });
      expect(report.items).toContainEqual(expect.objectContaining({ result: 'skipped', wid: centralWid, rows: central.length }));

      expect(sentItems(h.sandbox)).toEqual(expectedItems(h.sandbox, [widOf('WH-EAST'), widOf('WH-WEST')]));
      const rows = await h.store.warehouseSync.listByRun(report.runId);
      const unmapped = rows.filter((r) => r.wid === centralWid);
      expect(unmapped.map(rowKey).sort()).toEqual(central.map(rowKey).sort());
      expect(unmapped.every((r) => !r.pushed && r.warehouse_code === null && r.dsco_request_id === null)).toBe(true);
      expect(rows.filter((r) => r.wid !== centralWid).every((r) => r.pushed)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'skips a row without a usable product_valid_num (missing or not a number) with a reason, never sending it as 0',
    async () => {
      const [missing, garbled] = worldInventory(h.sandbox).filter((r) => r.wid === widOf('WH-EAST') && /^LX-10\d\d$/.test(r.sku));
      h.sandbox.world.catalog.inventoryQuirks.set(rowKey(missing!), 'missing');
      h.sandbox.world.catalog.inventoryQuirks.set(rowKey(garbled!), 'not_a_number');
      try {
        await h.setConfig(SEND_ALL);
        const report = await h.run('sync_stock');
        expect(report.error).toBeUndefined();
        expect(report.status).toBe('ok');
        expect(report.details).toMatchObject({ skipped_rows: 2 });
        const reason = 'product_valid_num missing or not a number';
        expect(report.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ result: 'skipped', reason, wid: missing!.wid, sku: missing!.sku }),
            expect.objectContaining({ result: 'skipped', reason, wid: garbled!.wid, sku: garbled!.sku }),
          ]),
        );
        // The skipped rows' warehouse is absent from their items (not reported as 0); the others are sent as usual.
        const sent = sentItems(h.sandbox);
        for (const row of [missing!, garbled!]) expect(sent.get(row.sku.replace('LX-', 'DL-'))?.['WH-EAST']).toBeUndefined();
        const expected = expectedItems(h.sandbox, allWids());
        for (const row of [missing!, garbled!]) {
          const key = row.sku.replace('LX-', 'DL-');
          const { 'WH-EAST': _skipped, ...rest } = expected.get(key)!;
          if (Object.keys(rest).length > 0) expected.set(key, rest);
          else expected.delete(key);
        }
        expect(sent).toEqual(expected);
        const rows = await h.store.warehouseSync.listByRun(report.runId);
        expect(rows.map(rowKey)).not.toContain(rowKey(missing!));
        expect(rows.map(rowKey)).not.toContain(rowKey(garbled!));
      } finally {
        h.sandbox.world.catalog.inventoryQuirks.clear();
      }
    },
    TIMEOUT,
  );

  it(
    'fails without calling anyone when mapping.warehouse is empty',
    async () => {
      await h.setConfig({ mapping: { ...h.sandbox.world.suggestedMapping(), warehouse: {} } });
      const report = await h.run('sync_stock');

      expect(report.status).toBe('failed');
      expect(report.error).toBe('mapping.warehouse is empty');
      expect(h.calls()).toEqual({});
      expect(await h.store.warehouseSync.listByRun(report.runId)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses to run when a reverse map is not one-to-one and names the conflicting keys',
    async () => {
      const mapping = h.sandbox.world.suggestedMapping();
      await h.setConfig({ mapping: { ...mapping, sku: { ...mapping.sku, 'DL-ALIAS': 'LX-1001' } } });
      const report = await h.run('sync_stock');

      expect(report.status).toBe('failed');
      expect(report.error).toContain('mapping.sku is not one-to-one');
      expect(report.error).toContain('LX-1001 ← DL-1001, DL-ALIAS');
      expect(report.details.mapping_conflicts).toEqual({ map: 'sku', conflicts: [{ value: 'LX-1001', keys: ['DL-1001', 'DL-ALIAS'] }] });
      expect(h.calls()).toEqual({});
      expect(await h.store.warehouseSync.listByRun(report.runId)).toEqual([]);
    },
    TIMEOUT,
  );
});
