import fc from 'fast-check';
import { sql } from 'kysely';
import { emptyBody, fillBodies, jsonBytes, packByBytes, type DscoInvoice } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { listWritesByPo, makeStore, type Store } from '@dlsync/store';
import { INVOICE_KIND, makeVerifiedWrites } from '../src/verified-writes/index.js';
import { makeScriptedAsyncDsco } from './verified-writes-fake-dsco.js';

const identity = <T>(x: T): T => x;

/** Fills one body across `chunks` the way a run's chunks would, then flushes the open one. */
function fillAcross<T>(chunks: readonly T[][], budget: number): { batches: T[][]; oversize: T[] } {
  let open = emptyBody<T>();
  const batches: T[][] = [];
  const oversize: T[] = [];
  for (const chunk of chunks) {
    const packed = fillBodies(open, chunk, identity, budget);
    batches.push(...packed.full);
    oversize.push(...packed.oversize);
    open = packed.open;
  }
  if (open.items.length > 0) batches.push(open.items);
  return { batches, oversize };
}

describe('fillBodies (the queue packing, pure)', () => {
  it('gives exactly the bodies packByBytes gives for all the items at once, however they are chunked', () => {
    const item = fc.record({ po: fc.string({ maxLength: 30 }), n: fc.nat() });
    fc.assert(
      fc.property(fc.array(fc.array(item, { maxLength: 20 }), { maxLength: 8 }), fc.integer({ min: 10, max: 400 }), (chunks, budget) => {
        expect(fillAcross(chunks, budget)).toEqual(packByBytes(chunks.flat(), identity, budget));
      }),
    );
  });

  it('closes a body only when the next item would not fit, counts brackets and commas, and sets aside an item too large for any body', () => {
    const a = 'a'.repeat(10); // "aaaaaaaaaa" is 12 bytes of JSON
    expect(jsonBytes(a)).toBe(12);
    // [a,a] = 2 + 12 + 1 + 12 = 27 bytes: fits 27, not 26
    let packed = fillBodies(emptyBody<string>(), [a, a], identity, 27);
    expect(packed).toEqual({ full: [], open: { items: [a, a], bytes: 27 }, oversize: [] });
    packed = fillBodies(packed.open, [a], identity, 27);
    expect(packed.full).toEqual([[a, a]]);
    expect(packed.open).toEqual({ items: [a], bytes: 14 });

    const huge = 'x'.repeat(30);
    const withHuge = fillBodies(emptyBody<string>(), [a, huge, a], identity, 27);
    expect(withHuge.oversize).toEqual([huge]);
    expect(withHuge.open.items).toEqual([a, a]);
  });
});

describe('verified writes: enqueue and flush', () => {
  const env = useTestEnv();
  let store: Store;
  beforeAll(() => {
    store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
  });
  afterAll(() => store.close());
  beforeEach(() => sql`TRUNCATE dsco_order_sync, dsco_write`.execute(store.db));

  const invoice = (po: string): DscoInvoice => ({ invoiceId: po, poNumber: po, invoiceDate: '2025-03-01T00:00:00Z', totalAmount: 10, lineItems: [{ sku: 'SKU-A', quantity: 1, unitPrice: 10 }] });

  it('sends a body as soon as queued items fill it, the rest on flush, each body one recorded write that settles', async () => {
    const clockMs = Date.now();
    const dsco = makeScriptedAsyncDsco(() => clockMs);
    const bodies: string[][] = [];
    const invoices = Array.from({ length: 9 }, (_, i) => invoice(`Q-${i}`));
    // Room for four of these invoices per body.
    const budget = jsonBytes(invoices.slice(0, 4)) + 2;
    const writes = makeVerifiedWrites(
      {
        store,
        readLog: (k, q) => dsco.readLog(k, q),
        now: () => new Date(clockMs),
        sleep: async () => dsco.applyAll(),
        signal: new AbortController().signal,
        logger: makeMemoryLogger().logger,
      },
      {
        ...INVOICE_KIND,
        async send(items) {
          bodies.push(items.map((i) => i.poNumber));
          return { status: 'pending', requestId: dsco.receive('invoice', items) };
        },
      },
      { succeeded: async () => undefined },
      { bodyBudgetBytes: budget, freshPolls: 3 },
    );

    const first = await writes.enqueue(invoices.slice(0, 3));
    expect(first).toEqual({ sent: [], oversize: [] });
    expect(bodies).toEqual([]);
    const second = await writes.enqueue(invoices.slice(3, 6));
    expect(second.sent.map((w) => w.items.map((i) => i.poNumber))).toEqual([['Q-0', 'Q-1', 'Q-2', 'Q-3']]);
    await writes.enqueue(invoices.slice(6));
    expect(bodies).toEqual([
      ['Q-0', 'Q-1', 'Q-2', 'Q-3'],
      ['Q-4', 'Q-5', 'Q-6', 'Q-7'],
    ]);
    const rest = await writes.flush();
    expect(rest.map((w) => w.state)).toEqual(['pending']);
    expect(bodies.at(-1)).toEqual(['Q-8']);
    expect(await writes.flush()).toEqual([]);

    const tally = await writes.awaitFresh();
    expect(tally).toMatchObject({ settled: 3, succeeded: 9, stillPending: 0 });
    expect((await listWritesByPo(store.db, 'Q-8')).map((w) => w.state)).toEqual(['success']);
  });
});
