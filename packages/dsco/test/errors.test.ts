import { assertBodyFits, chunk, DSCO_BODY_BUDGET_BYTES, DSCO_MAX_BODY_BYTES, isRetryableStatus, jsonBytes, packByBytes, parseDscoMessages, parseRetryAfter } from '../src/index.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it('reads delta seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unparsable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseDscoMessages', () => {
  it('keeps well-formed fields and drops junk', () => {
    expect(parseDscoMessages({ messages: [{ code: 'X', severity: 'error', description: 'd', extra: 1 }, 'junk', { code: 5 }] })).toEqual([
      { code: 'X', severity: 'error', description: 'd' },
      {},
    ]);
    expect(parseDscoMessages('<html>')).toEqual([]);
    expect(parseDscoMessages({ messages: 'nope' })).toEqual([]);
  });
  it('reads a description given as a string, an object or an array', () => {
    const body = {
      messages: [
        { code: 'A', severity: 'error', description: 'plain text' },
        { code: 'B', severity: 'error', description: { field: 'lineItems[0].sku', reason: 'unknown sku' } },
        { code: 'C', severity: 'error', description: ['first problem', { field: 'poNumber', reason: 'missing' }] },
      ],
    };
    expect(parseDscoMessages(body).map((m) => m.description)).toEqual([
      'plain text',
      'field: lineItems[0].sku, reason: unknown sku',
      'first problem; field: poNumber, reason: missing',
    ]);
  });
  it('reads the OAuth error form {error, error_description}', () => {
    expect(parseDscoMessages({ error: 'invalid_client', error_description: 'client authentication failed' })).toEqual([
      { code: 'invalid_client', severity: 'error', description: 'client authentication failed' },
    ]);
  });
});

describe('batches', () => {
  it('chunk splits into consecutive pieces of at most size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
  it('packByBytes fills bodies up to the byte budget, in order, and sets aside items too large alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${String(i).padStart(2, '0')}`, pad: 'x'.repeat(80) }));
    const itemBytes = jsonBytes(items[0]);
    const budget = itemBytes * 10 + 11; // brackets + 9 commas: exactly 10 items per body
    const { batches, oversize } = packByBytes([...items, { sku: 'HUGE', pad: 'y'.repeat(budget) }], (i) => i, budget);
    expect(oversize.map((i) => i.sku)).toEqual(['HUGE']);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10]);
    expect(batches.flat()).toEqual(items);
    for (const b of batches) expect(jsonBytes(b)).toBeLessThanOrEqual(budget);
  });
  it('assertBodyFits refuses empty bodies and bodies over 5 MB, and the budget leaves a margin', () => {
    expect(DSCO_BODY_BUDGET_BYTES).toBeLessThan(DSCO_MAX_BODY_BYTES);
    expect(() => assertBodyFits('POST /inventory/batch/small', [])).toThrow(/empty/);
    const big = [{ sku: 'S', pad: 'z'.repeat(DSCO_MAX_BODY_BYTES) }];
    expect(() => assertBodyFits('POST /inventory/batch/small', big)).toThrow(/exceeds/);
    expect(assertBodyFits('POST /order/acknowledge', [{ id: 'PO-1', type: 'PO_NUMBER' }])).toBe(jsonBytes([{ id: 'PO-1', type: 'PO_NUMBER' }]));
  });
});
