import { makeMemoryLogger } from '@dlsync/logger';
import { DscoApiError, type DscoClient, type DscoClientOptions, type DscoOrderPage } from '../src/index.js';
import { errorText, FAST_RETRY, makeTestClient, rejectionOf, useDscoSandbox, type DscoSandboxHarness } from './helpers.js';

// The client's requests must match DSCO's reference: each test ends with no recorded violation.
const harness = useDscoSandbox({ seed: 11 });
const { env } = harness;
let sandbox: DscoSandboxHarness['sandbox'];
let keyCounter = 0;
beforeEach(() => {
  sandbox = harness.sandbox;
});

/** A client against the sandbox with the real default rate limits, each with its own budget. */
function client(options: Partial<DscoClientOptions> = {}): DscoClient {
  return makeTestClient(harness.redis, `${env.redisPrefix}${++keyCounter}:`, {
    baseUrl: sandbox.dscoUrl,
    auth: { token: sandbox.credentials.dscoToken },
    rateLimits: {},
    ...options,
  });
}

const WINDOW = { from: '2025-01-10T00:00:00.000Z', to: '2025-01-11T00:00:00.000Z' };

async function pullAll(pages: AsyncIterable<DscoOrderPage>, between?: (page: number) => void): Promise<string[]> {
  const pos: string[] = [];
  let n = 0;
  for await (const page of pages) {
    pos.push(...page.orders.map((o) => o.poNumber));
    between?.(++n);
  }
  return pos;
}

describe('round trips against the sandbox', () => {
  it('pages through every order of a window, each exactly once, payload as stored', async () => {
    sandbox.world.seedOrders({ count: 57, createdFrom: WINDOW.from, createdTo: WINDOW.to });
    const dsco = client();
    const pages: DscoOrderPage[] = [];
    for await (const page of dsco.iterateOrders({ createdSince: new Date(WINDOW.from), until: new Date('2025-01-12T00:00:00Z'), perPage: 10 })) {
      pages.push(page);
    }
    const orders = pages.flatMap((p) => p.orders);
    const expected = sandbox.state().orders.map((o) => o.poNumber);
    expect(orders.map((o) => o.poNumber).sort()).toEqual([...expected].sort());
    expect(pages).toHaveLength(6);
    const sample = orders[0]!;
    expect(sample).toEqual(sandbox.world.order(sample.poNumber)?.order); // unknown fields kept, nothing dropped
  }, 30_000);

  it('filters by status and clamps a future until so DSCO accepts it', async () => {
    sandbox.world.addOrder({ poNumber: 'PO-CREATED', dscoStatus: 'created' });
    sandbox.world.addOrder({ poNumber: 'PO-SHIPPED', dscoStatus: 'shipped' });
    const pos = await pullAll(
      client().iterateOrders({ createdSince: new Date(Date.now() - 3_600_000), until: new Date(Date.now() + 3_600_000), status: ['created'] }),
    );
    expect(pos).toEqual(['PO-CREATED']);
  }, 30_000);

  it('restarts when the scroll expires between pages and still yields every order once', async () => {
    sandbox.world.seedOrders({ count: 35, createdFrom: WINDOW.from, createdTo: WINDOW.to });
    const { logger, lines } = makeMemoryLogger();
    const pos = await pullAll(client({ logger }).iterateOrders({ createdSince: new Date(WINDOW.from), perPage: 10 }), (page) => {
      // Past the 300 s scroll ttl in simulated time, right after the second page.
      if (page === 2) sandbox.clock.advance((sandbox.options.scrollTtlSeconds + 1) * 1000);
    });
    expect(pos).toHaveLength(35);
    expect(new Set(pos).size).toBe(35);
    expect(sandbox.state().calls['dsco GET /order/page']?.statuses['404']).toBe(1);
    expect(lines.some((l) => l.message === 'dsco order scroll expired, re-reading the window')).toBe(true);
  }, 30_000);

  it('gets an order by PO, or undefined when DSCO has none', async () => {
    const added = sandbox.world.addOrder({ poNumber: 'PO-LOOKUP' });
    const dsco = client();
    await expect(dsco.getOrderByPo('PO-LOOKUP')).resolves.toEqual(added.order);
    await expect(dsco.getOrderByPo('PO-NOPE')).resolves.toBeUndefined();
  }, 30_000);

  it('acknowledges, and the order change log reports success', async () => {
    sandbox.world.addOrder({ poNumber: 'PO-ACK', dscoStatus: 'created' });
    const dsco = client();
    const accepted = await dsco.acknowledge(['PO-ACK']);
    expect(accepted).toMatchObject({ status: 'success', requestId: expect.any(String), eventDate: expect.any(String) });
    expect(sandbox.state().writes.dscoAcks).toMatchObject([{ poNumber: 'PO-ACK', result: 'success' }]);
    const log = await dsco.getChangeLog('order', accepted.requestId!);
    expect(log).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success' }] });
    await expect(dsco.getOrderByPo('PO-ACK')).resolves.toMatchObject({ dscoStatus: 'shipment_pending' });
  }, 30_000);

  it('sends shipments, invoices and inventory; their change logs complete; invoices read back', async () => {
    const order = sandbox.world.addOrder({ poNumber: 'PO-SHIP', dscoStatus: 'shipment_pending', lineItems: [{ partnerSku: 'PSKU-1', quantity: 2, consumerPrice: 5 }] });
    const line = order.order.lineItems[0]!;
    const dsco = client();
    const shipment = await dsco.createShipments([
      {
        poNumber: 'PO-SHIP',
        shipments: [
          {
            trackingNumber: '1Z999',
            shipDate: '2025-01-12T10:00:00Z',
            shipCarrier: 'UPS',
            shipMethod: 'Ground',
            lineItems: [{ quantity: 2, partnerSku: 'PSKU-1', dscoItemId: line.dscoItemId, lineNumber: line.lineNumber }],
          },
        ],
      },
    ]);
    const invoice = await dsco.createInvoices([
      {
        invoiceId: 'PO-SHIP',
        poNumber: 'PO-SHIP',
        invoiceDate: '2025-01-12T10:00:00Z',
        currencyCode: 'USD',
        totalAmount: 10,
        lineItems: [{ quantity: 2, unitPrice: 5, partnerSku: 'PSKU-1', dscoItemId: line.dscoItemId, lineNumber: line.lineNumber }],
      },
    ]);
    const inventory = await dsco.updateInventory([{ sku: 'PSKU-1', warehouses: [{ code: 'W1', quantity: 4 }], quantityAvailable: 4, status: 'in-stock' }]);
    sandbox.clock.advance(sandbox.options.asyncDelayMs + 1_000); // let the async batches finish

    expect(await dsco.getChangeLog('order', shipment.requestId!)).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success' }] });
    expect(await dsco.getChangeLog('invoice', invoice.requestId!)).toMatchObject({ status: 'COMPLETED' });
    expect(await dsco.getChangeLog('inventory', inventory.requestId!)).toMatchObject({ status: 'COMPLETED' });
    const invoices = await dsco.getInvoicesByPo('PO-SHIP');
    expect(invoices).toMatchObject([{ invoiceId: 'PO-SHIP', poNumber: 'PO-SHIP', totalAmount: 10 }]);
    const writes = sandbox.state().writes;
    expect(writes.dscoShipments).toMatchObject([{ poNumber: 'PO-SHIP', trackingNumber: '1Z999' }]);
    expect(writes.dscoInventory).toMatchObject([{ skipItemsThatDontExist: true }]);
  }, 30_000);

  it('turns a 400 into DscoApiError with DSCO messages', async () => {
    const err = (await rejectionOf(client().createShipments([{ poNumber: 'PO-X', shipments: [] }]))) as DscoApiError;
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect(err.messages[0]).toMatchObject({ code: 'VALIDATION_FAILED', severity: 'error' });
    // The body broke the contract on purpose: the sandbox refused it and recorded why.
    expect(sandbox.world.recorder.takeViolations()).toEqual([
      expect.objectContaining({ side: 'dsco', endpoint: 'POST /order/shipment/batch/small', refused: true, problem: expect.stringContaining('shipments') }),
    ]);
  }, 30_000);
});

describe('OAuth against the sandbox', () => {
  const oauth = (): DscoClient =>
    client({ auth: { clientId: sandbox.credentials.dscoClientId, clientSecret: sandbox.credentials.dscoClientSecret } });
  const oauthIssues = (): number => sandbox.state().writes.tokens.filter((t) => t.side === 'dsco' && t.kind === 'oauth').length;

  it('fetches the token once, and again only after it expired', async () => {
    const before = oauthIssues();
    const dsco = oauth();
    await Promise.all([dsco.getOrderByPo('PO-A'), dsco.getOrderByPo('PO-B'), dsco.getInvoicesByPo('PO-C')]);
    await dsco.getOrderByPo('PO-D');
    expect(oauthIssues() - before).toBe(1);
    sandbox.clock.advance((sandbox.options.dscoTokenLifetimeSeconds + 1) * 1000);
    await expect(dsco.getOrderByPo('PO-E')).resolves.toBeUndefined(); // 401 → refresh → retried
    expect(oauthIssues() - before).toBe(2);
  }, 30_000);

  it('recovers from a revoked token with one refresh', async () => {
    const dsco = oauth();
    await dsco.getOrderByPo('PO-A');
    const before = oauthIssues();
    sandbox.faults.revokeTokens('dsco');
    await expect(dsco.getOrderByPo('PO-A')).resolves.toBeUndefined();
    expect(oauthIssues() - before).toBe(1);
  }, 30_000);

  it('refuses a wrong client secret with a permanent error that does not contain it', async () => {
    const secret = 'wrong-secret-value-123';
    const { logger, lines } = makeMemoryLogger();
    const dsco = client({ auth: { clientId: sandbox.credentials.dscoClientId, clientSecret: secret }, logger });
    const err = await rejectionOf(dsco.getOrderByPo('PO-A'));
    expect(err).toMatchObject({ endpoint: '/oauth2/token', status: 401, retryable: false });
    expect(errorText(err)).not.toContain(secret);
    expect(JSON.stringify(lines)).not.toContain(secret);
  }, 30_000);
});

describe('faults', () => {
  it('with 20% 5xx and 10% 429 every call succeeds within its retry budget or fails typed (a read retryable, a write in doubt)', async () => {
    sandbox.world.seedOrders({ count: 40, createdFrom: WINDOW.from, createdTo: WINDOW.to });
    sandbox.faults.set({ dsco: { serverErrorRate: 0.2, throttleRate: 0.1 } });
    const { logger, lines } = makeMemoryLogger();
    const dsco = client({ logger, retry: { attempts: 6, baseMs: 20, maxMs: 200 } });
    const pos = sandbox.state().orders.map((o) => o.poNumber);
    const outcomes = await Promise.allSettled([
      ...pos.slice(0, 20).map((po) => dsco.getOrderByPo(po)),
      ...pos.slice(20, 25).map((po) => dsco.acknowledge([po])),
      ...pos.slice(25, 30).map((po) => dsco.getInvoicesByPo(po)),
      pullAll(dsco.iterateOrders({ createdSince: new Date(WINDOW.from), perPage: 10 })),
    ]);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(DscoApiError);
        const reason = outcome.reason as DscoApiError;
        // A read may be retried; a write answered 5xx may have applied, so it is in doubt instead.
        expect({ message: reason.message, retryableOrInDoubt: reason.retryable || reason.inDoubt }).toEqual({ message: reason.message, retryableOrInDoubt: true });
      }
    }
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    expect(succeeded.length).toBeGreaterThan(outcomes.length / 2);
    const pulled = outcomes.at(-1);
    if (pulled?.status === 'fulfilled') expect(new Set(pulled.value as string[]).size).toBe(40);
    // The faults really happened and were retried.
    expect(lines.filter((l) => l.message === 'dsco call failed, retrying').length).toBeGreaterThan(0);
    const statuses = Object.values(sandbox.state().calls).flatMap((s) => Object.keys(s.statuses));
    expect(statuses).toEqual(expect.arrayContaining(['429']));
  }, 60_000);

  it('times out a held response and retries it', async () => {
    sandbox.world.addOrder({ poNumber: 'PO-SLOW' });
    let held = 0;
    sandbox.faults.set({ dsco: { endpoints: { '/order/': { timeoutRate: 1, timeoutMs: 5_000 } } } });
    const dsco = client({ timeoutMs: 200, retry: { attempts: 2, baseMs: 1, maxMs: 1 }, onCall: (e) => void (e.code === 'ETIMEDOUT' && held++) });
    await expect(dsco.getOrderByPo('PO-SLOW')).rejects.toMatchObject({ code: 'ETIMEDOUT', retryable: true });
    expect(held).toBe(2);
    sandbox.faults.clear();
    await expect(dsco.getOrderByPo('PO-SLOW')).resolves.toMatchObject({ poNumber: 'PO-SLOW' });
  }, 30_000);

  it('reports truncated JSON and HTML error pages as typed errors', async () => {
    const dsco = client({ retry: FAST_RETRY });
    sandbox.faults.set({ dsco: { endpoints: { '/invoice': { malformedRate: 1 } } } });
    await expect(dsco.getInvoicesByPo('PO-1')).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE', status: 200, retryable: true });
    sandbox.faults.set({ dsco: { endpoints: { '/invoice': { serverErrorRate: 1, htmlErrorShare: 1 } } } });
    const err = (await rejectionOf(dsco.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err.retryable).toBe(true);
    expect(err.messages).toEqual([]);
    expect(err.bodySnippet).toContain('nginx');
  }, 30_000);
});
