import fc from 'fast-check';
import { useTestEnv } from '@dlsync/infra/testing';
import { ALICE, makeAdminFixture, type AdminFixture } from './admin-fixture.js';

// Generated input against the API: every answer is a success or a 4xx with reasons, never a 500.

const testEnv = useTestEnv();
let fx: AdminFixture;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { waitTimeoutMs: 1_000 });
});
afterAll(() => fx.close());

const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, junk);

function assertClientError(status: number, body: unknown): void {
  expect(status).toBeLessThan(500);
  if (status === 400) {
    const b = body as { error?: unknown; issues?: { path?: unknown; message?: unknown }[] };
    expect(typeof b.error).toBe('string');
    for (const issue of b.issues ?? []) {
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.message).toBe('string');
    }
  }
}

describe('admin API under generated input', () => {
  it('task run requests: never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('ack_to_dsco', 'check_orders', 'nope', '%00', '..'), fc.string({ minLength: 1, maxLength: 20 })),
        fc.record(
          {
            po_number: maybe(fc.stringMatching(/^[A-Za-z0-9-]{0,120}$/)),
            start: maybe(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
            end: maybe(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
            force: maybe(fc.boolean()),
          },
          { requiredKeys: [] },
        ),
        async (task, body) => {
          const res = await fx.request(`/api/tasks/${encodeURIComponent(task)}/runs`, { method: 'POST', body, headers: ALICE });
          assertClientError(res.status, res.status === 400 ? res.json() : undefined);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('config replacements: 200, 400 with paths, or 409 — never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          version: maybe(fc.integer({ min: -1, max: 3 })),
          config: maybe(
            fc.record(
              {
                mapping: maybe(fc.record({ shop: maybe(fc.dictionary(fc.string(), maybe(fc.stringMatching(/^\d{1,3}$/)))) }, { requiredKeys: [] })),
                jobs: maybe(fc.dictionary(fc.constantFrom('pull_dsco_orders', 'sync_stock', 'bogus'), fc.record({ enabled: maybe(fc.boolean()), size: maybe(fc.integer()) }, { requiredKeys: [] }))),
              },
              { requiredKeys: [] },
            ),
          ),
        }),
        async (body) => {
          const res = await fx.request('/api/config', { method: 'PUT', body, headers: ALICE });
          expect([200, 400, 409]).toContain(res.status);
          assertClientError(res.status, res.json());
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('order searches: never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ status: maybe(fc.integer({ min: -2, max: 9 })), po: maybe(fc.string()), cursor: maybe(fc.string()), limit: maybe(fc.integer({ min: -5, max: 5000 })) }, { requiredKeys: [] }),
        async (q) => {
          const qs = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
          const res = await fx.request(`/api/orders?${qs}`, { headers: ALICE });
          assertClientError(res.status, res.status === 400 ? res.json() : undefined);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
