import type { OrderRow } from '@dlsync/store';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();

async function snapshot(): Promise<Map<string, Pick<OrderRow, 'status' | 'updated_at' | 'lingxing_order_nos'>>> {
  const rows = await h.store.db.selectFrom('dsco_order_sync').select(['po_number', 'status', 'updated_at', 'lingxing_order_nos']).execute();
  return new Map(rows.map(({ po_number, ...rest }) => [po_number, rest]));
}

/** Every row but `po` is exactly as before; `po` changed. */
async function expectOnlyChanged(before: Awaited<ReturnType<typeof snapshot>>, po: string): Promise<void> {
  const after = await snapshot();
  expect(after.size).toBe(before.size);
  for (const [other, row] of after) {
    if (other === po) expect(row).not.toEqual(before.get(other));
    else expect({ po: other, ...row }).toEqual({ po: other, ...before.get(other) });
  }
}

/** Remote calls since the last reset, token calls left out. */
const businessCalls = () => Object.fromEntries(Object.entries(h.calls()).filter(([key]) => !/auth-server|oauth2/.test(key)));

beforeAll(async () => {
  await h.setConfig();
  h.sandbox.world.seedOrders({ count: 50, mix: { cancelled: 0, already_shipped: 0, acknowledged: 0, missing_price: 0, missing_address: 0 } });
  const pulled = await h.run('pull_dsco_orders');
  expect(pulled.details).toMatchObject({ inserted: 50 });
});

describe('only_po_number', () => {
  it('push and ack of one PO touch that PO only, in DSCO, Lingxing and the database', async () => {
    const pos = [...(await snapshot()).keys()].sort();
    const [pushTarget, ackTarget] = [pos[17]!, pos[33]!];

    let before = await snapshot();
    h.resetCalls();
    const push = await h.run('push_to_lingxing', { onlyPoNumber: pushTarget });
    expect(push.items).toEqual([{ po_number: pushTarget, result: 'ok' }]);
    expect(h.sandbox.state().writes.lingxingCreates.map((w) => w.platformOrderNo)).toEqual([pushTarget]);
    expect(businessCalls()).toEqual({
      'lingxing /pb/mp/order/v2/list': { ok: 1, error: 0 },
      'lingxing /pb/mp/order/v2/create': { ok: 1, error: 0 },
    });
    await expectOnlyChanged(before, pushTarget);
    expect((await h.store.orders.getByPo(pushTarget))?.status).toBe(2);

    // Everything else to 2 and past Lingxing's to-ship delay: all 50 are eligible for ack.
    await h.run('push_to_lingxing');
    expect((await h.store.orders.countByStatus())[2]).toBe(50);
    h.sandbox.clock.advance(301_000);

    before = await snapshot();
    h.resetCalls();
    const ack = await h.run('ack_to_dsco', { onlyPoNumber: ackTarget });
    expect(ack.items).toEqual([expect.objectContaining({ po_number: ackTarget, result: 'ok', reason: 'acknowledged' })]);
    expect(h.sandbox.state().writes.dscoAcks.map((w) => w.poNumber)).toEqual([ackTarget]);
    expect(businessCalls()).toEqual({
      'lingxing /pb/mp/order/v2/list': { ok: 1, error: 0 },
      'dsco /order/': { ok: 1, error: 0 },
      'dsco /order/acknowledge': { ok: 1, error: 0 },
      // The acknowledgement settles from its change log: one page, which holds its one entry.
      'dsco /order/log': { ok: 1, error: 0 },
    });
    await expectOnlyChanged(before, ackTarget);
    expect((await h.store.orders.getByPo(ackTarget))?.status).toBe(3);
  }, 60_000);
});
