import { makeMemoryLogger } from '@dlsync/logger';
import type { RateLimiter } from '@dlsync/remote';
import { makeStaticTokenSource } from '../src/auth.js';
import { changeLogSearchParams, changeLogSubject, DscoApiError, readChangeLog, type ChangeLogKind } from '../src/index.js';
import { makeScrubber } from '../src/scrub.js';
import { makeDscoTransport } from '../src/transport.js';
import { requestsTo, type FakeReply } from './fake-server.js';
import { FAST_RETRY, rejectionOf, TOKEN, useFakeDsco } from './helpers.js';

const fake = useFakeDsco();

function deps(limiterOf: (kind: ChangeLogKind) => RateLimiter | undefined = () => undefined) {
  const logger = makeMemoryLogger();
  const transport = makeDscoTransport({
    baseUrl: fake.server.url,
    tokens: makeStaticTokenSource(TOKEN),
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    now: () => Date.now(),
    logger: logger.logger,
    scrub: makeScrubber(() => [TOKEN]),
  });
  return { transport, limiterOf, logger: logger.logger, lines: logger.lines };
}

const entry = (po: string, status: string, extra: Record<string, unknown> = {}) => ({
  payload: { poNumber: po, shipments: [{ trackingNumber: `1Z${po}` }] },
  dateProcessed: '2025-03-01T12:00:01Z',
  status,
  requestMethod: 'api',
  requestId: 'req-1',
  results: [],
  ...extra,
});

/** Serves `all` in pages of `perPage` behind scroll ids `s1`, `s2`, …, then an empty page. */
function pagedLog(path: string, all: unknown[], perPage: number, extra: (page: number) => Partial<FakeReply> | undefined = () => undefined): void {
  fake.server.handle((req): FakeReply => {
    if (req.path !== `/api/v3${path}`) return { status: 404 };
    const scrollId = req.query.get('scrollId');
    const page = scrollId ? Number(scrollId.slice(1)) : 0;
    const override = extra(page);
    if (override) return { status: 200, ...override };
    return { status: 200, body: { scrollId: `s${page + 1}`, status: 'COMPLETED', logs: all.slice(page * perPage, (page + 1) * perPage) } };
  });
}

/** A `pagedLog` override: the second page (`s1`) answers `reply` the first time it is asked for. */
function onceAtSecondPage(reply: Partial<FakeReply>): (page: number) => Partial<FakeReply> | undefined {
  let answered = false;
  return (page) => {
    if (page !== 1 || answered) return undefined;
    answered = true;
    return reply;
  };
}

describe('change log query', () => {
  it('sends requestId, or startDate/endDate as RFC3339, and the status filter', () => {
    expect(changeLogSearchParams({ requestId: 'abc', status: 'success_or_failure' }).toString()).toBe('requestId=abc&status=success_or_failure');
    const window = changeLogSearchParams({ startDate: new Date('2025-03-01T12:00:00Z'), endDate: new Date('2025-03-01T12:10:00Z') });
    expect(Object.fromEntries(window)).toEqual({ startDate: '2025-03-01T12:00:00.000Z', endDate: '2025-03-01T12:10:00.000Z' });
  });

  it('refuses a query DSCO would refuse, with the reason', () => {
    expect(() => changeLogSearchParams({ requestId: '' })).toThrow('requestId must be a non-empty string');
    const t = new Date('2025-03-01T12:00:00Z');
    expect(() => changeLogSearchParams({ startDate: t, endDate: t })).toThrow(/must be before endDate/);
    expect(() => changeLogSearchParams({ startDate: new Date('x'), endDate: t })).toThrow('startDate and endDate must be valid dates');
  });
});

describe('readChangeLog', () => {
  it('follows scrollId until an empty page and parses every entry', async () => {
    const all = Array.from({ length: 5 }, (_, i) => entry(`PO-${i}`, i === 2 ? 'failure' : 'success'));
    all[2]!.results = [{ code: 'INVALID_TRACKING', severity: 'error', description: { field: 'trackingNumber', reason: 'malformed' } }] as never;
    pagedLog('/order/log', all, 2);
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' });
    expect(read.complete).toBe(true);
    expect(read.requestStatus).toBe('COMPLETED');
    expect(read.entries.map((e) => [changeLogSubject('order', e.payload).poNumber, e.status])).toEqual([
      ['PO-0', 'success'],
      ['PO-1', 'success'],
      ['PO-2', 'failure'],
      ['PO-3', 'success'],
      ['PO-4', 'success'],
    ]);
    expect(read.entries[2]!.results).toEqual([{ code: 'INVALID_TRACKING', severity: 'error', description: 'field: trackingNumber, reason: malformed' }]);
    const calls = requestsTo(fake.server, '/order/log');
    expect(calls.map((c) => c.query.toString())).toEqual(['requestId=req-1', 'scrollId=s1', 'scrollId=s2', 'scrollId=s3']);
  });

  it('reads a window of the invoice log with a status filter', async () => {
    pagedLog('/invoice/log', [{ ...entry('PO-9', 'failure'), payload: { invoiceId: 'PO-9', poNumber: 'PO-9' } }], 10);
    const read = await readChangeLog(deps(), 'invoice', {
      startDate: new Date('2025-03-01T11:59:00Z'),
      endDate: new Date('2025-03-01T12:30:00Z'),
      status: 'success_or_failure',
    });
    expect(read.entries).toHaveLength(1);
    expect(changeLogSubject('invoice', read.entries[0]!.payload)).toEqual({ shape: 'invoice', invoiceId: 'PO-9', poNumber: 'PO-9' });
    const [first] = requestsTo(fake.server, '/invoice/log');
    expect(first!.query.get('startDate')).toBe('2025-03-01T11:59:00.000Z');
    expect(first!.query.get('endDate')).toBe('2025-03-01T12:30:00.000Z');
    expect(first!.query.get('status')).toBe('success_or_failure');
  });

  it('reads an expired scroll again from its first page, so no entry is lost or doubled', async () => {
    const all = Array.from({ length: 4 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2, onceAtSecondPage({ status: 404, body: { messages: [{ code: 'NOT_FOUND' }] } }));
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' });
    expect(read.entries.map((e) => changeLogSubject('order', e.payload).poNumber)).toEqual(['PO-0', 'PO-1', 'PO-2', 'PO-3']);
  });

  it('never asks again for a scroll page DSCO may have served (its place is kept on DSCO\'s side): the query is read again', async () => {
    const all = Array.from({ length: 4 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2, onceAtSecondPage({ status: 502 }));
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 4 });
    expect(read.entries.map((e) => changeLogSubject('order', e.payload).poNumber)).toEqual(['PO-0', 'PO-1', 'PO-2', 'PO-3']);
    expect(requestsTo(fake.server, '/order/log').map((c) => c.query.toString())).toEqual(['requestId=req-1', 'scrollId=s1', 'requestId=req-1', 'scrollId=s1']);
  });

  it('asks again for a scroll page DSCO throttled (it served nothing)', async () => {
    const all = Array.from({ length: 4 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2, onceAtSecondPage({ status: 429 }));
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 4 });
    expect(read.entries).toHaveLength(4);
    expect(requestsTo(fake.server, '/order/log').map((c) => c.query.toString())).toEqual(['requestId=req-1', 'scrollId=s1', 'scrollId=s1']);
  });

  it('gives up after repeated scroll expiries with a typed error', async () => {
    pagedLog('/order/log', [entry('PO-0', 'success'), entry('PO-1', 'success')], 1, (page) => (page >= 1 ? { status: 404 } : undefined));
    const err = await rejectionOf(readChangeLog({ ...deps(), maxScrollRestarts: 1 }, 'order', { requestId: 'req-1' }));
    expect(err).toBeInstanceOf(DscoApiError);
    expect((err as DscoApiError).code).toBe('SCROLL_EXPIRED');
  });

  it('says the read is incomplete when it stops at its page limit', async () => {
    pagedLog('/inventory/log', Array.from({ length: 6 }, (_, i) => ({ ...entry('x', 'pending'), payload: { sku: `SKU-${i}` } })), 2);
    const read = await readChangeLog(deps(), 'inventory', { requestId: 'req-1' }, { maxPages: 2 });
    expect(read.complete).toBe(false);
    expect(read.entries.map((e) => changeLogSubject('inventory', e.payload).sku)).toEqual(['SKU-0', 'SKU-1', 'SKU-2', 'SKU-3']);
  });

  it('stops after the first page while the request is PROCESSING when asked, and reads every page once it is COMPLETED', async () => {
    let status = 'PROCESSING';
    const all = Array.from({ length: 6 }, (_, i) => entry(`PO-${i}`, status === 'PROCESSING' ? 'pending' : 'success'));
    pagedLog('/order/log', all, 2, (page) => ({ body: { scrollId: `s${page + 1}`, status, logs: all.slice(page * 2, (page + 1) * 2) } }));
    const { lines, ...d } = deps();
    const peek = await readChangeLog(d, 'order', { requestId: 'req-1' }, { stopWhileProcessing: true });
    expect(peek).toMatchObject({ complete: false, stoppedWhileProcessing: true, requestStatus: 'PROCESSING' });
    expect(peek.entries).toHaveLength(2);
    expect(requestsTo(fake.server, '/order/log')).toHaveLength(1);
    // Not a page-limit stop: nothing to warn about.
    expect(lines.filter((l) => JSON.stringify(l).includes('page limit'))).toEqual([]);

    status = 'COMPLETED';
    const full = await readChangeLog(d, 'order', { requestId: 'req-1' }, { stopWhileProcessing: true });
    expect(full.complete).toBe(true);
    expect(full.stoppedWhileProcessing).toBeUndefined();
    expect(full.entries).toHaveLength(6);
    // 1 peek, then 3 pages and the empty page that ends the scroll.
    expect(requestsTo(fake.server, '/order/log')).toHaveLength(5);
  });

  it('ends a COMPLETED request read at the entry count it expects, without the empty page; a PROCESSING or short one reads on', async () => {
    let status = 'COMPLETED';
    const all = Array.from({ length: 6 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2, (page) => ({ body: { scrollId: `s${page + 1}`, status, logs: all.slice(page * 2, (page + 1) * 2) } }));
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 6 });
    expect(read).toMatchObject({ complete: true, requestStatus: 'COMPLETED' });
    expect(read.entries).toHaveLength(6);
    expect(requestsTo(fake.server, '/order/log')).toHaveLength(3);
    // Fewer entries than expected: the scroll is read to its empty page.
    const short = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 7 });
    expect(short).toMatchObject({ complete: true });
    expect(requestsTo(fake.server, '/order/log')).toHaveLength(3 + 4);
    // Still processing: its entries may change, so the count says nothing.
    status = 'PROCESSING';
    await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 6 });
    expect(requestsTo(fake.server, '/order/log')).toHaveLength(3 + 4 + 4);
  });

  it('stops between pages when asked, keeping its place, and a continued read reads on from there to the expected count', async () => {
    const all = Array.from({ length: 6 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2);
    let pages = 0;
    const stopped = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 6, stopWhen: async () => ++pages >= 2 });
    // Asked before the second and third pages: the second was read, the third was not.
    expect(stopped).toMatchObject({ complete: false, resume: { scrollId: 's2', entriesRead: 4, requestStatus: 'COMPLETED' } });
    expect(stopped.entries).toHaveLength(4);
    const resumed = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 6, resumeFrom: stopped.resume! });
    expect(resumed).toMatchObject({ complete: true, requestStatus: 'COMPLETED' });
    expect(resumed.resume).toBeUndefined();
    expect(resumed.entries.map((e) => changeLogSubject('order', e.payload).poNumber)).toEqual(['PO-4', 'PO-5']);
    // Each page once: the 6 expected entries end the scroll without its empty page.
    expect(requestsTo(fake.server, '/order/log').map((c) => c.query.toString())).toEqual(['requestId=req-1', 'scrollId=s1', 'scrollId=s2']);
  });

  it('reads the query again from its first page when the page to continue at expired', async () => {
    const all = Array.from({ length: 4 }, (_, i) => entry(`PO-${i}`, 'success'));
    pagedLog('/order/log', all, 2, (page) => (page === 9 ? { status: 404 } : undefined));
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' }, { expectedEntries: 4, resumeFrom: { scrollId: 's9', entriesRead: 2, requestStatus: 'COMPLETED' } });
    expect(read).toMatchObject({ complete: true });
    expect(read.entries.map((e) => changeLogSubject('order', e.payload).poNumber)).toEqual(['PO-0', 'PO-1', 'PO-2', 'PO-3']);
    expect(requestsTo(fake.server, '/order/log').map((c) => c.query.toString())).toEqual(['scrollId=s9', 'requestId=req-1', 'scrollId=s1']);
  });

  it('keeps entries without a status out and counts them; a first-page 404 is an error', async () => {
    pagedLog('/order/log', [entry('PO-0', 'success'), { payload: { poNumber: 'PO-1' } }], 10);
    const read = await readChangeLog(deps(), 'order', { requestId: 'req-1' });
    expect(read.entries).toHaveLength(1);
    expect(read.rejected).toBe(1);
    fake.server.handle(() => ({ status: 404, body: { messages: [{ code: 'NOT_FOUND' }] } }));
    const err = await rejectionOf(readChangeLog(deps(), 'order', { requestId: 'nope' }));
    expect((err as DscoApiError).status).toBe(404);
  });

  it('takes the endpoint limiter before every page', async () => {
    pagedLog('/order/log', [entry('PO-0', 'success')], 1);
    const taken: string[] = [];
    const limiter = { take: async () => void taken.push('order') };
    await readChangeLog(deps((kind) => (kind === 'order' ? (limiter as never) : undefined)), 'order', { requestId: 'req-1' });
    expect(taken).toEqual(['order', 'order']);
  });
});

describe('changeLogSubject', () => {
  it('tells the order log shapes apart', () => {
    expect(changeLogSubject('order', { id: 'PO-1', type: 'PO_NUMBER', supplierOrderNumber: '123' })).toEqual({ shape: 'acknowledge', poNumber: 'PO-1' });
    expect(changeLogSubject('order', { id: '77', type: 'DSCO_ORDER_ID' })).toEqual({ shape: 'acknowledge' });
    expect(changeLogSubject('order', { id: 'PO-1', type: 'PO_NUMBER', lineItems: [] })).toEqual({ shape: 'cancel', poNumber: 'PO-1' });
    expect(changeLogSubject('order', { poNumber: 'PO-2', shipments: [{ trackingNumber: 'T1' }, {}] })).toEqual({
      shape: 'shipment',
      poNumber: 'PO-2',
      trackingNumbers: ['T1'],
    });
    expect(changeLogSubject('order', { poNumber: 'PO-3', lineItems: [] })).toEqual({ shape: 'order', poNumber: 'PO-3' });
    expect(changeLogSubject('inventory', null)).toEqual({ shape: 'unknown' });
  });
});
