import { makeWarehouseSyncRepository, type NewWarehouseSyncRow } from '../src/index.js';
import { useStore } from './fixtures.js';

const fx = useStore();

const stockRow = (runId: string, i: number, overrides: Partial<NewWarehouseSyncRow> = {}): NewWarehouseSyncRow => ({
  run_id: runId,
  warehouse_code: `WH${i % 3}`,
  wid: String(i % 3),
  sku: `LX-${i}`,
  partner_sku: `P-${i}`,
  quantity: i,
  pushed: true,
  dsco_request_id: 'req-1',
  ...overrides,
});

describe('warehouseSync', () => {
  it('inserts many rows in batches within one transaction sharing synced_at', async () => {
    const repo = makeWarehouseSyncRepository(fx.store.db, { insertBatchSize: 400 });
    const rows = Array.from({ length: 1001 }, (_, i) => stockRow('run-a', i));

    expect(await repo.insertMany(rows)).toBe(1001);

    const stored = await repo.listByRun('run-a');
    expect(stored).toHaveLength(1001);
    expect(stored.map((r) => r.sku)).toEqual(rows.map((r) => r.sku));
    expect(new Set(stored.map((r) => r.synced_at.getTime())).size).toBe(1);
    expect(stored[5]).toMatchObject({ wid: '2', partner_sku: 'P-5', quantity: 5, pushed: true, dsco_request_id: 'req-1' });
    expect(await repo.insertMany([])).toBe(0);
  });

  it('writes nothing when any batch fails', async () => {
    const repo = makeWarehouseSyncRepository(fx.store.db, { insertBatchSize: 2 });
    const rows = [stockRow('run-bad', 1), stockRow('run-bad', 2), stockRow('run-bad', 3, { quantity: 1.5 })];
    await expect(repo.insertMany(rows)).rejects.toThrow();
    expect(await repo.listByRun('run-bad')).toEqual([]);
  });

  it('lists runs newest first with their counts', async () => {
    const older = new Date('2025-03-01T00:00:00Z');
    const newer = new Date('2025-03-01T01:00:00Z');
    await fx.store.warehouseSync.insertMany([
      stockRow('run-old', 0, { synced_at: older }),
      stockRow('run-old', 1, { synced_at: older, pushed: false, dsco_request_id: null }),
    ]);
    await fx.store.warehouseSync.insertMany(
      Array.from({ length: 5 }, (_, i) => stockRow('run-new', i, { synced_at: newer, pushed: false, dsco_request_id: null })),
    );

    expect(await fx.store.warehouseSync.listRuns({ limit: 10 })).toEqual([
      { run_id: 'run-new', synced_at: newer, rows: 5, pushed: 0, warehouses: 3 },
      { run_id: 'run-old', synced_at: older, rows: 2, pushed: 1, warehouses: 2 },
    ]);
    expect((await fx.store.warehouseSync.listRuns({ limit: 1 })).map((r) => r.run_id)).toEqual(['run-new']);
  });
});
