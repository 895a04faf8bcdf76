import { sql } from 'kysely';
import { useTestEnv } from '@dlsync/infra/testing';
import { DscoApiError, type DscoAcknowledgeItem, type DscoInvoice, type DscoItemInventory, type DscoOrderShipments } from '@dlsync/dsco';
import { makeMemoryLogger } from '@dlsync/logger';
import { latestFailedWrites, listWritesByPo, makeStore, type OrderStatus, type Store, type WriteItemResult } from '@dlsync/store';
import {
  ACK_KIND,
  INVENTORY_KIND,
  INVOICE_KIND,
  SHIPMENT_KIND,
  makeVerifiedWrites,
  type SettledItem,
  type VerifiedWriteDeps,
  type VerifiedWriteOptions,
  type WriteHandlers,
  type WriteKindBase,
} from '../src/verified-writes/index.js';
import { makeScriptedAsyncDsco, type ScriptedAsyncDsco } from './verified-writes-fake-dsco.js';
import type { ApplyTimes } from '../src/verified-writes/apply-times.js';

const env = useTestEnv();
let store: Store;
let clockMs: number;
let dsco: ScriptedAsyncDsco;
let reported: Array<[string, string, string | undefined]>;
/** Row writes the emulated runner made; awaited after each engine call. */
const recorded: Promise<unknown>[] = [];

beforeAll(() => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
});
afterAll(() => store.close());
beforeEach(async () => {
  await sql`TRUNCATE dsco_order_sync, dsco_write`.execute(store.db);
  clockMs = Date.now();
  dsco = makeScriptedAsyncDsco(() => clockMs);
  reported = [];
});

async function orderAt(po: string, status: OrderStatus): Promise<void> {
  await store.orders.upsertPulled([
    {
      po_number: po,
      dsco_order_id: `id-${po}`,
      dsco_retailer_id: '1001',
      dsco_status: 'created',
      dsco_create_time: 1_750_000_000,
      mskus: 'SKU-A(1)',
      warehouse_id: 'WH1',
      shipment: 'GROUND',
      payload: { poNumber: po, dscoStatus: 'created', lineItems: [{ sku: 'SKU-A', quantity: 1 }] },
      pulledStatus: 1,
    },
  ]);
  await store.db.updateTable('dsco_order_sync').set({ status }).where('po_number', '=', po).execute();
}
const row = async (po: string) => (await store.orders.getByPo(po))!;

/** A DSCO answer that never arrived: the request reached DSCO (or not), the client timed out. */
const lostAnswer = () => new DscoApiError('DSCO POST: timed out', { method: 'POST', endpoint: '/x', code: 'ETIMEDOUT', retryable: false, inDoubt: true });

interface Engine<Item> {
  writes: ReturnType<typeof makeVerifiedWrites<Item>>;
  succeeded: SettledItem<Item>[];
  failed: SettledItem<Item>[];
}

/**
 * The engine for one kind over the scripted DSCO. `sleep` is a poll of the brief wait: it
 * moves the simulated clock and lets `onPoll` act as DSCO meanwhile. `advance` moves rows on
 * success the way the tasks do (a guarded transition).
 */
function engine<Item>(
  kind: WriteKindBase<Item>,
  opts: {
    lose?: 'answer' | 'request';
    advance?: [OrderStatus, OrderStatus];
    onPoll?: () => void;
    holds?: (s: SettledItem<Item>) => boolean;
    options?: VerifiedWriteOptions;
    signal?: AbortSignal;
  } = {},
): Engine<Item> {
  const succeeded: SettledItem<Item>[] = [];
  const failed: SettledItem<Item>[] = [];
  const deps: VerifiedWriteDeps = {
    store,
    readLog: (k, q) => dsco.readLog(k, q),
    now: () => new Date(clockMs),
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      clockMs += ms;
      opts.onPoll?.();
    },
    signal: opts.signal ?? new AbortController().signal,
    logger: makeMemoryLogger().logger,
    // As the runner does: the report, and every skip or failure reason written to its row.
    orderDone: (po, result, reason) => {
      reported.push([po, result, reason]);
      if (result !== 'ok' && reason && kind.rowStatus !== undefined) recorded.push(store.orders.recordSkips([{ po, reason }], kind.rowStatus, new Date(clockMs)));
    },
  };
  const handlers: WriteHandlers<Item> = {
    async succeeded(items) {
      succeeded.push(...items);
      if (opts.advance) await store.orders.transitionMany(items.map((s) => s.key), opts.advance[0], opts.advance[1]);
    },
    async failed(items) {
      failed.push(...items);
    },
    ...(opts.holds && { holdsDespiteFailure: async (s: SettledItem<Item>) => opts.holds!(s) }),
  };
  const writes = makeVerifiedWrites(
    deps,
    {
      ...kind,
      async send(items) {
        if (opts.lose === 'request') throw lostAnswer();
        const requestId = dsco.receive(kind.log, items);
        if (opts.lose === 'answer') throw lostAnswer();
        return { status: 'pending', requestId };
      },
    },
    handlers,
    { freshPolls: 3, pollMs: 1000, ...opts.options },
  );
  const settled = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const out = await fn(...args);
    await Promise.all(recorded.splice(0));
    return out;
  };
  return {
    writes: { ...writes, settleEarlier: settled(writes.settleEarlier), send: settled(writes.send), awaitFresh: settled(writes.awaitFresh) },
    succeeded,
    failed,
  };
}

const ack = (po: string): DscoAcknowledgeItem => ({ id: po, type: 'PO_NUMBER' });
const shipment = (po: string, tracking: string): DscoOrderShipments => ({
  poNumber: po,
  shipments: [{ trackingNumber: tracking, shipDate: '2025-03-01T00:00:00Z', lineItems: [{ sku: 'SKU-A', quantity: 1 }] }],
});
const invoice = (po: string): DscoInvoice => ({ invoiceId: po, poNumber: po, invoiceDate: '2025-03-01T00:00:00Z', totalAmount: 10, lineItems: [{ sku: 'SKU-A', quantity: 1, unitPrice: 10 }] });
const states = async (po: string) => (await listWritesByPo(store.db, po)).map((w) => w.state);
const trackingOf = (p: unknown) => ((p as DscoOrderShipments).shipments ?? []).map((s) => s.trackingNumber);

describe('verified writes: send, then settle from the change log', () => {
  it('records the write before the call, tracks it by requestId and advances rows only once DSCO says success', async () => {
    await orderAt('PO-1', 2);
    await orderAt('PO-2', 2);
    let polls = 0;
    const e = engine(ACK_KIND, { advance: [2, 3], onPoll: () => ++polls === 2 && dsco.applyAll() });

    expect((await e.writes.send([[ack('PO-1'), ack('PO-2')]])).map((w) => w.state)).toEqual(['pending']);
    const [write] = await listWritesByPo(store.db, 'PO-1');
    expect(write).toMatchObject({ kind: 'ack', state: 'pending', po_numbers: ['PO-1', 'PO-2'] });
    expect(write!.request_id).toEqual(expect.any(String));
    expect((await row('PO-1')).status).toBe(2); // a 202 alone moves nothing

    const tally = await e.writes.awaitFresh();
    expect(polls).toBe(2); // DSCO applied it during the second pause
    expect(tally).toMatchObject({ settled: 1, succeeded: 2, failed: 0 });
    expect(e.succeeded.map((s) => s.key).sort()).toEqual(['PO-1', 'PO-2']);
    expect((await row('PO-1')).status).toBe(3);
    const [settled] = await listWritesByPo(store.db, 'PO-2');
    expect(settled).toMatchObject({ state: 'success' });
    expect(settled!.settled_at).toBeInstanceOf(Date);
    expect((settled!.results as WriteItemResult[]).map((r) => r.status)).toEqual(['success', 'success']);
  });

  it('waits a bounded number of polls, 250 ms three times then doubling up to pollMs, then leaves the rest to the next run', async () => {
    await orderAt('PO-1', 2);
    const pauses: number[] = [];
    const writes = makeVerifiedWrites(
      { store, readLog: (k, q) => dsco.readLog(k, q), now: () => new Date(clockMs), sleep: async (ms) => void pauses.push(ms), signal: new AbortController().signal, logger: makeMemoryLogger().logger },
      { ...ACK_KIND, send: async (items) => ({ status: 'pending', requestId: dsco.receive('order', items) }) },
      { succeeded: async () => undefined },
      { freshPolls: 4, pollMs: 1000 },
    );
    await writes.send([[ack('PO-1')]]);
    expect(await writes.awaitFresh()).toMatchObject({ stillPending: 1 });
    expect(pauses).toEqual([250, 250, 250, 500]);
  });

  it('waits the apply time it learnt before the first read of a fresh write, and tells it what each read found', async () => {
    await orderAt('PO-1', 2);
    const pauses: number[] = [];
    const seen: Array<{ kind: string; completed: boolean; sentAt: Date }> = [];
    const applyTimes: ApplyTimes = {
      observe: (kind, _id, sentAt, completed) => void seen.push({ kind, completed, sentAt }),
      waitBeforeFirstRead: (kind) => (kind === 'ack' ? 300 : 0),
    };
    const writes = makeVerifiedWrites(
      { store, readLog: (k, q) => dsco.readLog(k, q), now: () => new Date(clockMs), sleep: async (ms) => void (pauses.push(ms), dsco.applyAll()), signal: new AbortController().signal, logger: makeMemoryLogger().logger, applyTimes },
      { ...ACK_KIND, send: async (items) => ({ status: 'pending', requestId: dsco.receive('order', items) }) },
      { succeeded: async () => undefined },
    );
    await writes.send([[ack('PO-1')]]);
    const readsBefore = dsco.reads.length;
    expect(await writes.awaitFresh()).toMatchObject({ settled: 1 });
    // One wait before any read, and the one read after it found the write applied.
    expect(pauses).toEqual([300]);
    expect(dsco.reads.length - readsBefore).toBe(1);
    expect(seen).toEqual([{ kind: 'ack', completed: true, sentAt: expect.any(Date) }]);
  });

  it('asks during the apply wait whether a batch waits behind it, and leaves the write to the next run once one does', async () => {
    await orderAt('PO-1', 2);
    const pauses: number[] = [];
    const inFlight: string[] = [];
    const applyTimes: ApplyTimes = { observe: () => undefined, waitBeforeFirstRead: () => 500 };
    const writes = makeVerifiedWrites(
      {
        store,
        readLog: (k, q) => dsco.readLog(k, q),
        now: () => new Date(clockMs),
        sleep: async (ms) => void pauses.push(ms),
        signal: new AbortController().signal,
        logger: makeMemoryLogger().logger,
        applyTimes,
        orderInFlight: (po) => void inFlight.push(po),
      },
      { ...ACK_KIND, send: async (items) => ({ status: 'pending', requestId: dsco.receive('order', items) }) },
      { succeeded: async () => undefined },
    );
    await writes.send([[ack('PO-1')]]);
    const readsBefore = dsco.reads.length;
    let asked = 0;
    // A full batch lands during the second slice of the 500 ms wait.
    expect(await writes.awaitFresh({ leaveWhen: async () => ++asked >= 3 })).toMatchObject({ settled: 0, stillPending: 1 });
    expect(pauses).toEqual([100, 100]);
    expect(dsco.reads.length - readsBefore).toBe(0);
    expect(inFlight).toEqual(['PO-1']);
  });

  it('leaves a still-pending write to the next run, which settles it before sending anything', async () => {
    await orderAt('PO-1', 2);
    const first = engine(ACK_KIND, { advance: [2, 3] });
    await first.writes.send([[ack('PO-1')]]);
    expect(await first.writes.awaitFresh()).toMatchObject({ settled: 0, stillPending: 1 });
    expect(await first.writes.openKeys(['PO-1', 'PO-9'])).toEqual(new Set(['PO-1']));
    const admitted = await first.writes.admit([ack('PO-1')]);
    expect(admitted.ready).toEqual([]);
    expect(admitted.held[0]).toMatchObject({ key: 'PO-1', why: 'open' });

    dsco.applyAll();
    const next = engine(ACK_KIND, { advance: [2, 3] });
    expect(await next.writes.settleEarlier()).toMatchObject({ settled: 1, succeeded: 1 });
    expect((await row('PO-1')).status).toBe(3);
    expect(await next.writes.openKeys(['PO-1'])).toEqual(new Set());
  });

  it('puts a failure reason on the row, backs it off, and stops re-sending the unchanged item after maxAttempts', async () => {
    await orderAt('PO-1', 3);
    dsco.verdict = () => ({ status: 'failure', code: 'INVALID_TRACKING', description: 'tracking number BAD is malformed' });
    const options = { maxAttempts: 2, backoff: { baseSeconds: 60, maxSeconds: 600 } };
    const e = engine(SHIPMENT_KIND, { onPoll: () => dsco.applyAll(), options });

    await e.writes.send([[shipment('PO-1', 'BAD')]]);
    await e.writes.awaitFresh();
    let r = await row('PO-1');
    expect(r.status).toBe(3);
    expect(r.last_error).toBe('DSCO refused the shipment: INVALID_TRACKING: tracking number BAD is malformed');
    expect(r.attempts).toBe(1);
    expect(r.next_attempt_at!.getTime()).toBe(clockMs + 60_000);
    expect(e.failed.map((f) => f.key)).toEqual(['PO-1']);
    expect(reported).toContainEqual(['PO-1', 'failed', r.last_error]);

    // Unchanged and within the backoff: held. A changed item (new tracking number) goes at once.
    let admitted = await e.writes.admit([shipment('PO-1', 'BAD')]);
    expect(admitted.held[0]).toMatchObject({ why: 'backoff' });
    expect((await e.writes.admit([shipment('PO-1', 'GOOD')])).ready).toHaveLength(1);

    clockMs += 61_000;
    admitted = await e.writes.admit([shipment('PO-1', 'BAD')]);
    expect(admitted.ready).toHaveLength(1);
    await e.writes.send([admitted.ready]);
    await e.writes.awaitFresh();
    r = await row('PO-1');
    expect(r.attempts).toBe(2);

    clockMs += 24 * 3600_000;
    admitted = await e.writes.admit([shipment('PO-1', 'BAD')]);
    expect(admitted.ready).toEqual([]);
    expect(admitted.held[0]!.why).toBe('exhausted');
    expect(admitted.held[0]!.reason).toMatch(/refused this unchanged shipment 2 times .*INVALID_TRACKING/);
    expect(dsco.receivedPayloads()).toHaveLength(2);
    expect(await states('PO-1')).toEqual(['failure', 'failure']);
  });

  it('settles an in-doubt write (answer lost) by the change-log window and never sends it twice', async () => {
    await orderAt('PO-1', 3);
    await orderAt('PO-2', 3);
    const runs = () => engine(SHIPMENT_KIND, { advance: [3, 4] });

    // Run 1: DSCO receives the batch, the answer is lost.
    const first = engine(SHIPMENT_KIND, { lose: 'answer', advance: [3, 4] });
    expect((await first.writes.send([[shipment('PO-1', '1Z1'), shipment('PO-2', '1Z2')]])).map((w) => w.state)).toEqual(['in_doubt']);
    expect(await states('PO-1')).toEqual(['in_doubt']);
    expect(reported).toContainEqual(['PO-1', 'failed', 'shipment send failed: ETIMEDOUT (outcome unknown)']);

    // Runs 2–4 while DSCO is still applying it (60 s): found by window, pending, nothing sent again.
    for (let i = 0; i < 3; i++) {
      clockMs += 20_000;
      const run = runs();
      await run.writes.settleEarlier();
      const admitted = await run.writes.admit([shipment('PO-1', '1Z1'), shipment('PO-2', '1Z2')]);
      expect(admitted.ready).toEqual([]);
      await run.writes.send([admitted.ready].filter((b) => b.length > 0));
    }
    expect(await states('PO-1')).toEqual(['pending']);
    const window = dsco.reads.find((q) => 'startDate' in q);
    expect(window).toBeDefined();

    dsco.applyAll();
    const last = runs();
    expect(await last.writes.settleEarlier()).toMatchObject({ settled: 1, succeeded: 2 });
    expect((await row('PO-2')).status).toBe(4);
    expect(dsco.receivedPayloads().flatMap(trackingOf)).toEqual(['1Z1', '1Z2']);
  });

  it('does not take another write of the same PO (an earlier tracking number) for an in-doubt shipment', async () => {
    await orderAt('PO-1', 3);
    const earlier = engine(SHIPMENT_KIND);
    await earlier.writes.send([[shipment('PO-1', '1Z-A')]]);
    dsco.applyAll();
    await earlier.writes.awaitFresh();
    const lost = engine(SHIPMENT_KIND, { lose: 'request' });
    await lost.writes.send([[shipment('PO-1', '1Z-B')]]);
    clockMs += 60_000;
    const next = engine(SHIPMENT_KIND);
    expect(await next.writes.settleEarlier()).toMatchObject({ inDoubt: 1, settled: 0 });
    expect(await states('PO-1')).toEqual(['in_doubt', 'success']);
  });

  it('concludes a write DSCO never received after lostAfterMs and lets its items go again', async () => {
    await orderAt('PO-1', 4);
    const first = engine(INVOICE_KIND, { lose: 'request' });
    await first.writes.send([[invoice('PO-1')]]);
    clockMs += 10 * 60_000;
    expect(await engine(INVOICE_KIND).writes.settleEarlier()).toMatchObject({ inDoubt: 1 });
    expect((await engine(INVOICE_KIND).writes.admit([invoice('PO-1')])).held[0]!.why).toBe('open');

    clockMs += 30 * 60_000;
    const later = engine(INVOICE_KIND);
    expect(await later.writes.settleEarlier()).toMatchObject({ lost: 1 });
    const [w] = await listWritesByPo(store.db, 'PO-1');
    expect(w).toMatchObject({ state: 'failure', error: 'not received by DSCO' });
    expect((w!.results as WriteItemResult[])[0]!.status).toBe('lost');
    expect((await row('PO-1')).last_error).toMatch(/DSCO did not receive the invoice/);
    // A lost write is not DSCO refusing the item: it may go again at once.
    expect((await later.writes.admit([invoice('PO-1')])).ready).toHaveLength(1);
  });

  it('treats a write left `sending` by a run that died as in doubt', async () => {
    await orderAt('PO-1', 2);
    await store.writes.record({ kind: 'ack', poNumbers: ['PO-1'], body: [ack('PO-1')] as never });
    const e = engine(ACK_KIND);
    expect((await e.writes.admit([ack('PO-1')])).held[0]!.why).toBe('open');
    expect(await e.writes.settleEarlier()).toMatchObject({ inDoubt: 1 });
    expect(await states('PO-1')).toEqual(['in_doubt']);
  });

  it('settles a refused invoice DSCO already holds as a success (duplicate invoiceId)', async () => {
    await orderAt('PO-1', 4);
    dsco.verdict = () => ({ status: 'failure', code: 'DUPLICATE_INVOICE', description: 'invoice PO-1 already exists' });
    const e = engine(INVOICE_KIND, { advance: [4, 5], onPoll: () => dsco.applyAll(), holds: (s) => s.result.codes?.includes('DUPLICATE_INVOICE') ?? false });
    await e.writes.send([[invoice('PO-1')]]);
    await e.writes.awaitFresh();
    expect((await row('PO-1')).status).toBe(5);
    expect(e.failed).toEqual([]);
    const [w] = await listWritesByPo(store.db, 'PO-1');
    expect(w!.state).toBe('success');
    expect((w!.results as WriteItemResult[])[0]!.reason).toMatch(/already holds it/);
  });

  it('splits a batch DSCO rejects as a whole (400) until the bad item stands alone', async () => {
    for (const po of ['PO-1', 'PO-2', 'PO-3']) await orderAt(po, 2);
    const bad = (items: DscoAcknowledgeItem[]) => items.some((i) => i.id === 'PO-2');
    const rejecting = makeVerifiedWrites(
      { store, readLog: (k, q) => dsco.readLog(k, q), now: () => new Date(clockMs), sleep: async (ms) => void ((clockMs += ms), dsco.applyAll()), signal: new AbortController().signal, logger: makeMemoryLogger().logger },
      {
        ...ACK_KIND,
        async send(items) {
          if (bad(items)) throw new DscoApiError('HTTP 400', { method: 'POST', endpoint: '/order/acknowledge', status: 400, code: 'HTTP_400', retryable: false, messages: [{ code: 'VALIDATION_FAILED', description: 'PO-2 unknown' }] });
          return { status: 'pending', requestId: dsco.receive('order', items) };
        },
      },
      { succeeded: async (items) => void (await store.orders.transitionMany(items.map((s) => s.key), 2, 3)) },
    );
    // The writes the batch became once split; the wholly rejected bodies were never applied.
    expect((await rejecting.send([[ack('PO-1'), ack('PO-2'), ack('PO-3')]])).map((w) => [w.items.map((i) => i.id), w.state])).toEqual([
      [['PO-1'], 'pending'],
      [['PO-2'], 'failure'],
      [['PO-3'], 'pending'],
    ]);
    await rejecting.awaitFresh();
    expect((await row('PO-1')).status).toBe(3);
    expect((await row('PO-3')).status).toBe(3);
    const po2 = await row('PO-2');
    expect(po2.status).toBe(2);
    expect(po2.last_error).toBe('DSCO refused the ack: HTTP 400: VALIDATION_FAILED: PO-2 unknown');
    expect(await states('PO-2')).toEqual(['failure', 'failure', 'failure']);
    expect(dsco.receivedPayloads()).toHaveLength(2);
  });

  it('settles inventory by SKU: a failed chunk confirms nothing and touches no order row', async () => {
    const item = (sku: string): DscoItemInventory => ({ sku, warehouses: [{ code: 'WH1', quantity: 3 }], quantityAvailable: 3 });
    dsco.verdict = (p) => ((p as DscoItemInventory).sku === 'SKU-X' ? { status: 'failure', code: 'ITEM_NOT_FOUND', description: 'no item SKU-X' } : { status: 'success' });
    const e = engine(INVENTORY_KIND, { onPoll: () => dsco.applyAll() });
    await e.writes.send([[item('SKU-A'), item('SKU-X')]]);
    await e.writes.awaitFresh();
    expect(e.succeeded.map((s) => s.key)).toEqual(['SKU-A']);
    expect(e.failed.map((s) => [s.key, s.result.reason])).toEqual([['SKU-X', 'ITEM_NOT_FOUND: no item SKU-X']]);
    const { rows } = await sql<{ skus: string[]; state: string }>`SELECT skus, state FROM dsco_write`.execute(store.db);
    expect(rows).toEqual([{ skus: ['SKU-A', 'SKU-X'], state: 'failure' }]);
    expect(reported).toEqual([]);
  });

  it('stops the brief wait when the run is aborted', async () => {
    await orderAt('PO-1', 2);
    const abort = new AbortController();
    const e = engine(ACK_KIND, { signal: abort.signal, onPoll: () => abort.abort(new Error('lock lost')) });
    await e.writes.send([[ack('PO-1')]]);
    await expect(e.writes.awaitFresh()).rejects.toThrow('lock lost');
    expect(await states('PO-1')).toEqual(['pending']);
  });
});

describe('verified writes: what a task keeps beside an item', () => {
  it('hands the meta kept at send time to the success handler of a later run', async () => {
    await orderAt('PO-1', 3);
    const first = engine(SHIPMENT_KIND);
    const withMeta = makeVerifiedWrites(
      { store, readLog: (k, q) => dsco.readLog(k, q), now: () => new Date(clockMs), sleep: async () => undefined, signal: new AbortController().signal, logger: makeMemoryLogger().logger },
      { ...SHIPMENT_KIND, send: async (items) => ({ status: 'pending', requestId: dsco.receive('order', items) }), metaOf: () => ({ covers: true }) },
      { succeeded: async () => undefined },
      { freshPolls: 0 },
    );
    await withMeta.send([[shipment('PO-1', '1Z1')]]);
    await withMeta.awaitFresh();
    dsco.applyAll();
    await first.writes.settleEarlier();
    expect(first.succeeded.map((s) => s.meta)).toEqual([{ covers: true }]);
  });
});

describe('verified writes: an unreadable change log', () => {
  it('leaves the write open and reports the order once, instead of failing the run', async () => {
    await orderAt('PO-1', 2);
    const e = engine(ACK_KIND);
    await e.writes.send([[ack('PO-1')]]);
    const down = new DscoApiError('DSCO GET /order/log: HTTP 503', { method: 'GET', endpoint: '/order/log', status: 503, code: 'HTTP_503', retryable: true });
    const next = makeVerifiedWrites(
      {
        store,
        readLog: async () => {
          throw down;
        },
        now: () => new Date(clockMs),
        sleep: async () => undefined,
        signal: new AbortController().signal,
        logger: makeMemoryLogger().logger,
        orderDone: (po, result, reason) => void reported.push([po, result, reason]),
      },
      { ...ACK_KIND, send: async () => ({ status: 'pending' }) },
      { succeeded: async () => undefined },
    );
    reported = [];
    expect(await next.settleEarlier()).toMatchObject({ unreadable: 1, settled: 0 });
    expect(await states('PO-1')).toEqual(['pending']);
    expect(reported).toEqual([['PO-1', 'waiting', 'DSCO change log unreadable (HTTP_503); its ack write settles later']]);
    expect(next.reported()).toEqual(new Set(['PO-1']));
  });
});

describe('failed writes by PO (check_orders and the attention view)', () => {
  it('lists a PO whose latest settled write of a kind failed, with its reason, until a later one succeeds', async () => {
    await orderAt('PO-1', 4);
    await orderAt('PO-2', 4);
    dsco.verdict = (p) => ((p as DscoInvoice).poNumber === 'PO-1' ? { status: 'failure', code: 'ORDER_NOT_SHIPPED', description: 'PO-1 is not shipped' } : { status: 'success' });
    const e = engine(INVOICE_KIND, { onPoll: () => dsco.applyAll() });
    await e.writes.send([[invoice('PO-1'), invoice('PO-2')]]);
    await e.writes.awaitFresh();
    const failed = await latestFailedWrites(store.db, ['PO-1', 'PO-2']);
    expect(failed).toEqual([expect.objectContaining({ po: 'PO-1', kind: 'invoice', reason: 'ORDER_NOT_SHIPPED: PO-1 is not shipped' })]);

    dsco.verdict = () => ({ status: 'success' });
    clockMs += 3600_000;
    const again = engine(INVOICE_KIND, { onPoll: () => dsco.applyAll() });
    await again.writes.send([(await again.writes.admit([invoice('PO-1')])).ready]);
    await again.writes.awaitFresh();
    expect(await latestFailedWrites(store.db, ['PO-1', 'PO-2'])).toEqual([]);
  });
});

describe('verified writes: a refusal at once (400) DSCO contradicts', () => {
  it('settles a single invoice refused as a duplicate with a 400 as a success once DSCO holds it', async () => {
    await orderAt('PO-1', 4);
    const writes = makeVerifiedWrites(
      { store, readLog: (k, q) => dsco.readLog(k, q), now: () => new Date(clockMs), sleep: async () => undefined, signal: new AbortController().signal, logger: makeMemoryLogger().logger },
      {
        ...INVOICE_KIND,
        send: async () => {
          throw new DscoApiError('HTTP 400', { method: 'POST', endpoint: '/invoice/batch/small', status: 400, code: 'HTTP_400', retryable: false, messages: [{ code: 'DUPLICATE_INVOICE', description: 'exists' }] });
        },
      },
      { succeeded: async (items) => void (await store.orders.transitionMany(items.map((s) => s.key), 4, 5)), holdsDespiteFailure: async () => true },
    );
    expect((await writes.send([[invoice('PO-1')]])).map((w) => w.state)).toEqual(['success']);
    expect((await row('PO-1')).status).toBe(5);
    expect(await states('PO-1')).toEqual(['success']);
  });
});
