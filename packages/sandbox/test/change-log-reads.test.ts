import { makeChangeLogReads, type StoredLog } from '../src/world/change-log-reads.js';
import { injectedFailure, invoiceFailure, trackingNumberFailure } from '../src/world/write-rules.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');

function reads(logs: StoredLog[], pageSize = 2) {
  let now = 0;
  const r = makeChangeLogReads({ logs: () => logs, now: () => now, scrollTtlMs: 300_000, pageSize: () => pageSize, apiName: (kind) => `${kind}Api` });
  return { r, advance: (ms: number) => void (now += ms) };
}

const log = (requestId: string, receivedAtMs: number, statuses: Array<'pending' | 'success' | 'failure'>, kind: StoredLog['kind'] = 'order'): StoredLog => ({
  requestId,
  kind,
  status: statuses.includes('pending') ? 'PROCESSING' : 'COMPLETED',
  receivedAtMs,
  logs: statuses.map((status, i) => ({ status, payload: { poNumber: `${requestId}-${i}` }, results: [] })),
});

describe('sandbox change-log reads', () => {
  it('answers a requestId query with the request status and spec-shaped entries, paged', () => {
    const { r } = reads([log('a', T0, ['success', 'failure', 'pending']), log('b', T0, ['success'])]);
    const first = r.first('order', { requestId: 'a' });
    expect(first.status).toBe('PROCESSING');
    expect(first.logs).toHaveLength(2);
    expect(first.logs[0]).toEqual({
      payload: { poNumber: 'a-0' },
      dateProcessed: new Date(T0).toISOString(),
      status: 'success',
      requestMethod: 'api',
      requestMethodDetail: 'orderApi',
      requestId: 'a',
      results: [],
    });
    const second = r.next(first.scrollId!)!;
    expect(second.logs.map((e) => e.payload)).toEqual([{ poNumber: 'a-2' }]);
    const end = r.next(second.scrollId!)!;
    expect(end.logs).toEqual([]);
    expect(end.scrollId).toBeUndefined();
  });

  it('selects by the [start, end) window of receive times, of its own kind only, and filters by status', () => {
    const { r } = reads([log('a', T0, ['success']), log('b', T0 + 60_000, ['failure', 'pending']), log('c', T0 + 120_000, ['success']), log('d', T0, ['success'], 'invoice')], 10);
    const page = r.first('order', { startMs: T0, endMs: T0 + 120_000 });
    expect(page.status).toBeUndefined();
    expect(page.logs.map((e) => e.requestId)).toEqual(['a', 'b', 'b']);
    expect(r.first('order', { startMs: T0, endMs: T0 + 200_000, status: 'success_or_failure' }).logs.map((e) => e.status)).toEqual(['success', 'failure', 'success']);
    expect(r.first('order', { startMs: T0, endMs: T0 + 200_000, status: 'pending' }).logs).toHaveLength(1);
  });

  it('expires an idle scroll (the client gets a 404) and answers an unknown requestId with an empty page', () => {
    const { r, advance } = reads([log('a', T0, ['success', 'success', 'success'])]);
    const first = r.first('order', { requestId: 'a' });
    advance(300_000);
    expect(r.next(first.scrollId!)).toBeUndefined();
    expect(r.first('order', { requestId: 'nope' })).toEqual({ logs: [] });
  });
});

describe('sandbox write rules', () => {
  it('refuses malformed tracking numbers', () => {
    expect(trackingNumberFailure('1Z999AA10123456784')).toBeUndefined();
    expect(trackingNumberFailure('1ZAAA')).toBeUndefined();
    expect(trackingNumberFailure('T1')?.code).toBe('INVALID_TRACKING_NUMBER');
    expect(trackingNumberFailure('1Z/BAD')?.code).toBe('INVALID_TRACKING_NUMBER');
    expect(trackingNumberFailure('1Z 999 AA1')?.code).toBe('INVALID_TRACKING_NUMBER');
  });

  it('refuses invoices for unknown, unshipped or cancelled orders and duplicate invoiceIds', () => {
    const inv = { invoiceId: 'PO1', poNumber: 'PO1' };
    expect(invoiceFailure(inv, undefined, false)?.code).toBe('ORDER_NOT_FOUND');
    expect(invoiceFailure(inv, { dscoStatus: 'shipment_pending' }, false)?.code).toBe('ORDER_NOT_SHIPPED');
    expect(invoiceFailure(inv, { dscoStatus: 'cancelled' }, false)?.code).toBe('ORDER_CANCELLED');
    expect(invoiceFailure(inv, { dscoStatus: 'shipped' }, true)?.code).toBe('DUPLICATE_INVOICE');
    expect(invoiceFailure(inv, { dscoStatus: 'shipped', dscoLifecycle: 'completed' }, false)).toBeUndefined();
  });

  it('injects failures at the given rate only', () => {
    expect(injectedFailure(0, () => 0, 'x')).toBeUndefined();
    expect(injectedFailure(0.05, () => 0.04, 'PO1')?.code).toBe('PROCESSING_FAILED');
    expect(injectedFailure(0.05, () => 0.05, 'PO1')).toBeUndefined();
  });
});
