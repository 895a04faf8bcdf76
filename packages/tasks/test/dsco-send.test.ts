import { DscoApiError, jsonBytes } from '@dlsync/dsco';
import { sendInChunks } from '../src/dsco-send.js';

/** DSCO's answer to a body it refuses as a whole: a 400 that applied nothing. */
const rejected = (): DscoApiError =>
  new DscoApiError('DSCO POST /order/acknowledge: HTTP 400 VALIDATION_FAILED', {
    method: 'POST',
    endpoint: '/order/acknowledge',
    status: 400,
    code: 'HTTP_400',
    retryable: false,
  });

interface Outcome {
  calls: string[][];
  accepted: string[];
  failed: string[];
  errors: unknown[];
}

/** Sends `items` through sendInChunks to a DSCO stand-in that refuses every body holding a bad item. */
async function sendAll(items: string[], bad: ReadonlySet<string>, budgetBytes?: number): Promise<Outcome> {
  const out: Outcome = { calls: [], accepted: [], failed: [], errors: [] };
  await sendInChunks(items, {
    wire: (id) => ({ id, type: 'PO_NUMBER' }),
    ...(budgetBytes !== undefined && { budgetBytes }),
    send: async (batch) => {
      out.calls.push(batch);
      if (batch.some((id) => bad.has(id))) throw rejected();
      return { status: 'success' };
    },
    accepted: async (batch) => {
      out.accepted.push(...batch);
    },
    failed: async (batch, err) => {
      out.errors.push(err);
      out.failed.push(...batch);
    },
  });
  return out;
}

const pos = (n: number): string[] => Array.from({ length: n }, (_, i) => `PO-${String(i).padStart(4, '0')}`);

describe('sendInChunks', () => {
  it('bisects a wholly rejected body: one bad item among 256 is isolated in about 2·log2(n) calls, the rest sent', async () => {
    const items = pos(256);
    const out = await sendAll(items, new Set(['PO-0137']));
    expect(out.failed).toEqual(['PO-0137']);
    expect([...out.accepted].sort()).toEqual(items.filter((p) => p !== 'PO-0137'));
    // 1 whole body + 2 per halving level (8 levels): never one call per item.
    expect(out.calls.length).toBe(1 + 2 * 8);
    // Nothing good is sent twice once accepted, and the bad item ends alone in its own call.
    expect(new Set(out.accepted).size).toBe(out.accepted.length);
    expect(out.calls.filter((c) => c.length === 1 && c[0] === 'PO-0137')).toHaveLength(1);
    expect(out.errors).toEqual([expect.any(DscoApiError)]);
  });

  it('isolates several bad items and still sends every good one', async () => {
    const items = pos(100);
    const bad = new Set(['PO-0003', 'PO-0050', 'PO-0099']);
    const out = await sendAll(items, bad);
    expect([...out.failed].sort()).toEqual([...bad].sort());
    expect(out.accepted.length).toBe(97);
    expect(out.calls.length).toBeLessThan(100 / 2);
  });

  it('sizes bodies by serialized bytes: each body within the budget, filled, in order', async () => {
    const items = pos(1000);
    const itemBytes = jsonBytes({ id: 'PO-0000', type: 'PO_NUMBER' });
    const budget = 50 * itemBytes + 51; // 50 items, their 49 commas and the brackets
    const out = await sendAll(items, new Set(), budget);
    expect(out.calls.map((c) => c.length)).toEqual(Array.from({ length: 20 }, () => 50));
    for (const call of out.calls) expect(jsonBytes(call.map((id) => ({ id, type: 'PO_NUMBER' })))).toBeLessThanOrEqual(budget);
    expect(out.accepted).toEqual(items);
  });

  it('puts 10,000 acknowledgements in one body under the default 5 MB budget (not 100 per call)', async () => {
    const out = await sendAll(pos(10_000), new Set());
    expect(out.calls).toHaveLength(1);
  });

  it('fails an item too large for any body on its own, without sending it', async () => {
    const huge = `PO-${'x'.repeat(300)}`;
    const out = await sendAll(['PO-0001', huge, 'PO-0002'], new Set(), 200);
    expect(out.failed).toEqual([huge]);
    expect(out.errors).toEqual([expect.any(RangeError)]);
    expect(out.calls.flat()).not.toContain(huge);
    expect([...out.accepted].sort()).toEqual(['PO-0001', 'PO-0002']);
  });
});
