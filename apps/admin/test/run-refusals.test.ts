import { useTestEnv } from '@dlsync/infra/testing';
import { ALICE, makeAdminFixture, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();
let fx: AdminFixture;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv);
});
afterAll(() => fx.close());

describe('run requests through the API', () => {
  it('refuses check_orders without a window or PO with 400 and the reason, queueing nothing', async () => {
    const res = await fx.request('/api/tasks/check_orders/runs', { method: 'POST', headers: { ...ALICE, origin: fx.url }, body: {} });
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('check_orders: window: check_orders needs a window (start and end) or a PO number');
    expect(await fx.queues.check_orders.count()).toBe(0);
  });

  it('answers a repeated run request with the job already waiting', async () => {
    const post = () => fx.request('/api/tasks/invoice_to_dsco/runs', { method: 'POST', headers: { ...ALICE, origin: fx.url }, body: { po_number: 'PO-1' } });
    const [a, b] = [await post(), await post()];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.json<{ jobId: string }>().jobId).toBe(a.json<{ jobId: string }>().jobId);
    expect(await fx.queues.invoice_to_dsco.getWaitingCount()).toBe(1);
  });
});
