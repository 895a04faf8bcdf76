import { RuntimeConfigConflictError } from '../src/index.js';
import { useStore } from './fixtures.js';

const fx = useStore({ poolMax: 6 });

const config = (n: number) => ({ mapping: { shop: { '1001': String(n) }, sku: {} }, jobs: { sync_stock: { enabled: true } } });

async function rejection(promise: Promise<unknown>): Promise<RuntimeConfigConflictError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeConfigConflictError);
  return err as RuntimeConfigConflictError;
}

describe('runtimeConfig', () => {
  it('starts empty, then versions each save from 1', async () => {
    expect(await fx.store.runtimeConfig.latest()).toBeUndefined();

    expect(await fx.store.runtimeConfig.save(config(1), { expectedVersion: null, updatedBy: 'alice' })).toBe(1);
    expect(await fx.store.runtimeConfig.save(config(2), { expectedVersion: 1, updatedBy: 'bob' })).toBe(2);

    const latest = await fx.store.runtimeConfig.latest();
    expect(latest).toMatchObject({ version: 2, config: config(2), updated_by: 'bob' });
    expect(latest?.updated_at).toBeInstanceOf(Date);
    expect(await fx.store.runtimeConfig.get(1)).toMatchObject({ version: 1, config: config(1), updated_by: 'alice' });
    expect(await fx.store.runtimeConfig.get(3)).toBeUndefined();
  });

  it('refuses a stale expectedVersion and reports the live one', async () => {
    await fx.store.runtimeConfig.save(config(1), { expectedVersion: null, updatedBy: 'a' });
    await fx.store.runtimeConfig.save(config(2), { expectedVersion: 1, updatedBy: 'a' });

    const stale = await rejection(fx.store.runtimeConfig.save(config(9), { expectedVersion: 1, updatedBy: 'b' }));
    expect(stale).toMatchObject({ expected: 1, actual: 2 });
    expect(stale.message).toMatch(/expected version 1, live version is 2/);

    expect(await rejection(fx.store.runtimeConfig.save(config(9), { expectedVersion: null, updatedBy: 'b' }))).toMatchObject({
      expected: null,
      actual: 2,
    });
    expect(await rejection(fx.store.runtimeConfig.save(config(9), { expectedVersion: 5, updatedBy: 'b' }))).toMatchObject({
      expected: 5,
      actual: 2,
    });
    expect((await fx.store.runtimeConfig.latest())?.config).toEqual(config(2));
  });

  it('refuses expectedVersion on an empty table', async () => {
    expect(await rejection(fx.store.runtimeConfig.save(config(1), { expectedVersion: 1, updatedBy: 'a' }))).toMatchObject({
      expected: 1,
      actual: null,
    });
  });

  it('lets exactly one of several concurrent saves with the same expectedVersion win', async () => {
    for (const expectedVersion of [null, 1, 2, 3, 4]) {
      const results = await Promise.allSettled(
        [0, 1, 2, 3].map((i) => fx.store.runtimeConfig.save(config(i), { expectedVersion, updatedBy: `writer-${i}` })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toEqual([{ status: 'fulfilled', value: (expectedVersion ?? 0) + 1 }]);
      expect(lost).toHaveLength(3);
      for (const l of lost) expect(l.reason).toMatchObject({ expected: expectedVersion, actual: (expectedVersion ?? 0) + 1 });
    }
    expect((await fx.store.runtimeConfig.history({ limit: 100 })).map((r) => r.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it('history lists newest first up to limit', async () => {
    for (let v = 1; v <= 4; v++) await fx.store.runtimeConfig.save(config(v), { expectedVersion: v === 1 ? null : v - 1, updatedBy: 'a' });
    const history = await fx.store.runtimeConfig.history({ limit: 2 });
    expect(history.map((r) => [r.version, r.config])).toEqual([
      [4, config(4)],
      [3, config(3)],
    ]);
  });

  it('stores any JSON value as jsonb, arrays included', async () => {
    const value = [{ a: 'x"y\\z' }, null, 1];
    await fx.store.runtimeConfig.save(value, { expectedVersion: null, updatedBy: 'a' });
    expect((await fx.store.runtimeConfig.latest())?.config).toEqual(value);
  });

  it('rejects values that are not JSON and malformed versions without writing', async () => {
    await expect(fx.store.runtimeConfig.save(undefined, { expectedVersion: null, updatedBy: 'a' })).rejects.toThrow(
      /not JSON-serializable/,
    );
    await expect(fx.store.runtimeConfig.save({}, { expectedVersion: 0, updatedBy: 'a' })).rejects.toThrow(RangeError);
    expect(await fx.store.runtimeConfig.latest()).toBeUndefined();
  });
});
