import fc from 'fast-check';
import { useTaskHarness } from './harness.js';

// Generated malformed DSCO orders, mixed with good ones, through the real pull and push tasks
// against the sandbox: no run fails or throws, every bad order is skipped with a reason (at
// pull or at push), and the good orders of the same batches still reach Lingxing.

const h = useTaskHarness({ seed: 5 });

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

/** A change that may break an order: a field replaced by junk, or a known bad shape. */
const breakage = fc.oneof(
  fc.record({ field: fc.constantFrom('dscoCreateDate', 'dscoStatus', 'shipping', 'lineItems', 'dscoRetailerId', 'shipWarehouseCode', 'message'), value: junk }),
  fc.record({ field: fc.constant('lineItems'), value: fc.constant([{ partnerSku: 'DL-1001', quantity: -2, consumerPrice: 1 }]) }),
  fc.record({ field: fc.constant('lineItems'), value: fc.constant([{ partnerSku: 'DL-1001', quantity: 'three', consumerPrice: 1 }]) }),
  fc.record({ field: fc.constant('lineItems'), value: fc.constant([{ partnerSku: 'DL-1001', quantity: 1e9, consumerPrice: 1 }]) }),
  fc.record({ field: fc.constant('message'), value: fc.constant('x'.repeat(1024 * 1024)) }),
  fc.record({ field: fc.constant('dscoCreateDate'), value: fc.constantFrom('not a date', '2026-02-30T25:61:00Z', '') }),
);

describe('pull and push over generated bad orders', () => {
  it('never fail a run; bad orders are skipped with a reason; good ones go through', async () => {
    await h.setConfig();
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(breakage, { minLength: 1, maxLength: 4 }), async (breakages) => {
        round++;
        const good = [0, 1].map(() => h.sandbox.world.addOrder({ lineItems: [{ partnerSku: 'DL-1001', quantity: 1, consumerPrice: 9.99 }] }).order.poNumber);
        const bad = breakages.map(({ field, value }) => {
          const wo = h.sandbox.world.addOrder({ lineItems: [{ partnerSku: 'DL-1002', quantity: 1, consumerPrice: 5 }] });
          // Straight onto the stored order: the sandbox serves it as it is, like a broken feed.
          (wo.order as unknown as Record<string, unknown>)[field] = value;
          return wo.order.poNumber;
        });
        // Every round also carries one order each stage must refuse, whatever was generated.
        const badAtPull = h.sandbox.world.addOrder({ lineItems: [{ partnerSku: 'DL-1003', quantity: 1, consumerPrice: 2 }] });
        (badAtPull.order as unknown as Record<string, unknown>).lineItems = [{ partnerSku: 'DL-1003', quantity: -1 }];
        const badAtPush = h.sandbox.world.addOrder({
          shipping: { name: 'No City', address1: '1 Main St', state: 'TX', postal: '73301', country: 'US' },
          lineItems: [{ partnerSku: 'DL-1004', quantity: 1, consumerPrice: 3 }],
        });
        const pull = await h.run('pull_dsco_orders', { trigger: 'schedule' });
        const push = await h.run('push_to_lingxing', { trigger: 'schedule' });
        expect({ round, pull: pull.status, push: push.status }).toEqual({ round, pull: expect.not.stringMatching(/failed|locked/), push: expect.not.stringMatching(/failed|locked/) });
        const rows = new Map((await h.store.orders.getByPos([...good, ...bad])).map((r) => [r.po_number, r]));
        for (const po of good) expect({ po, status: rows.get(po)?.status }).toEqual({ po, status: 2 });
        const outcome = new Map([...pull.items, ...push.items].map((i) => [i.po_number, i]));
        expect(rows.has(badAtPull.order.poNumber) ? 'stored' : pull.items.find((i) => i.po_number === badAtPull.order.poNumber)?.reason).toMatch(/^malformed order: lineItems/);
        expect(push.items.find((i) => i.po_number === badAtPush.order.poNumber)).toMatchObject({ result: 'skipped', reason: 'missing address fields: city' });
        for (const po of bad) {
          const row = rows.get(po);
          if (row?.status === 2) continue; // the breakage happened to be harmless (e.g. a junk message)
          const item = outcome.get(po);
          expect({ po, result: item?.result }).toEqual({ po, result: 'skipped' });
          expect(String(item?.reason ?? '')).not.toBe('');
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
