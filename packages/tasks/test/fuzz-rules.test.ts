import fc from 'fast-check';
import { parseRuntimeConfig, ConfigError } from '@dlsync/config';
import { makeMappingResolver } from '@dlsync/mapping';
import { buildInvoice, buildLingxingOrder, formatMskus, parseDscoOrder, planShipments } from '@dlsync/tasks';

// Properties over generated DSCO orders: the rules never throw, whatever arrives on the wire.
// A bad order is rejected with a reason; a good one yields a well-formed result.

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk);

const lineItem = fc.record(
  {
    sku: maybe(fc.stringMatching(/^[A-Z0-9-]{1,12}$/)),
    partnerSku: maybe(fc.stringMatching(/^[A-Z0-9-]{1,12}$/)),
    dscoItemId: maybe(fc.string()),
    lineNumber: maybe(fc.nat(50)),
    quantity: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(1e12), junk),
    consumerPrice: maybe(fc.double({ min: -10, max: 1e6, noNaN: false })),
    retailPrice: maybe(fc.double({ min: 0, max: 1e6 })),
    expectedCost: maybe(fc.constantFrom('12.30', 'abc', '-1')),
  },
  { requiredKeys: [] },
);

const dscoOrder = fc.record(
  {
    poNumber: maybe(fc.string({ unit: 'binary', minLength: 1, maxLength: 120 })),
    dscoRetailerId: maybe(fc.constantFrom('R1', 'R2')),
    dscoStatus: maybe(fc.constantFrom('created', 'shipment_pending', 'shipped', 'cancelled', 'weird')),
    dscoCreateDate: maybe(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-13-45T99:00:00Z', 'yesterday', ''))),
    shipWarehouseCode: maybe(fc.constantFrom('WH_A', 'WH_B', '')),
    shippingServiceLevelCode: maybe(fc.constantFrom('GROUND', '2DAY')),
    shipping: maybe(
      fc.record(
        {
          name: maybe(fc.string({ unit: 'binary' })),
          firstName: maybe(fc.string()),
          address: maybe(fc.array(maybe(fc.string()), { maxLength: 2 })),
          address1: maybe(fc.string()),
          city: maybe(fc.string()),
          postal: maybe(fc.string()),
          country: maybe(fc.constantFrom('US', 'CA')),
        },
        { requiredKeys: [] },
      ),
    ),
    lineItems: fc.oneof(fc.array(lineItem, { maxLength: 4 }), junk),
  },
  { requiredKeys: [] },
);

const resolver = makeMappingResolver(
  parseRuntimeConfig({
    mapping: { shop: { R1: '101' }, warehouse: { WH_A: '1' }, sku: { 'A-1': 'L-1' }, shipment: { 'WH_A-GROUND': '9' } },
  }).mapping,
);

describe('rules over generated DSCO orders', () => {
  it('parse → push/ship/invoice never throw; rejects carry a reason', () => {
    fc.assert(
      fc.property(dscoOrder, (raw) => {
        const parsed = parseDscoOrder(raw);
        if (!parsed.ok) {
          expect(parsed.reason).toMatch(/^malformed order: /);
          return;
        }
        const o = parsed.order;
        expect(o.lineItems.every((l) => Number.isInteger(l.quantity) && l.quantity > 0)).toBe(true);
        expect(Number.isFinite(o.createTime)).toBe(true);
        formatMskus(o);
        const built = buildLingxingOrder(o, resolver);
        if (!built.ok) expect(built.reason.length).toBeGreaterThan(0);
        else expect(built.order.items.every((i) => i.unit_price >= 0 && i.quantity > 0)).toBe(true);
        planShipments(o, [{ status: 3, tracking_no: 'T', delivered_at: '2026-01-01 00:00:00', product_info: [{ sku: 'L-1', count: 1 }] }], new Set(), (s) => s);
        const invoice = buildInvoice(o, new Date());
        if (invoice.ok) expect(Number.isFinite(invoice.invoice.totalAmount)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a 1 MB order payload is parsed or rejected, never thrown', () => {
    const big = 'x'.repeat(1024 * 1024);
    const raw = {
      poNumber: 'PO-BIG',
      dscoStatus: 'created',
      dscoCreateDate: '2026-01-01T00:00:00Z',
      message: big,
      shipping: { name: big, address1: 'a', city: 'c', postal: 'p', country: 'US' },
      lineItems: [{ sku: 'A-1', quantity: 1, consumerPrice: 1 }],
    };
    const parsed = parseDscoOrder(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/message|name/);
  });
});

describe('runtime_config validation over generated input', () => {
  it('either parses or throws ConfigError whose problems name a path', () => {
    const jobsArb = fc.dictionary(
      fc.oneof(fc.constantFrom('pull_dsco_orders', 'sync_stock', 'check_orders', 'ack_to_dsco'), fc.string()),
      fc.record({ enabled: maybe(fc.boolean()), cron: maybe(fc.constantFrom('*/5 * * * *', '* * *', '0 0 * * * *')), size: maybe(fc.integer()) }, { requiredKeys: [] }),
    );
    const configArb = fc.oneof(
      junk,
      fc.record({ mapping: maybe(fc.record({ shop: maybe(fc.dictionary(fc.string(), maybe(fc.stringMatching(/^\d{1,4}$/)))) }, { requiredKeys: [] })), jobs: maybe(jobsArb) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(configArb, (input) => {
        try {
          parseRuntimeConfig(input);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          for (const p of (err as ConfigError).problems) {
            expect(typeof p.path).toBe('string');
            expect(p.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
