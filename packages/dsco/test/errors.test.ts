import { assertBatchSize, chunk, DSCO_BATCH_MAX, isRetryableStatus, parseDscoMessages, parseRetryAfter } from '../src/index.js';

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
});

describe('batches', () => {
  it('chunk splits into consecutive pieces of at most size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
  it('every chunk of a large input passes assertBatchSize', () => {
    const items = Array.from({ length: DSCO_BATCH_MAX.inventory * 2 + 1 }, (_, i) => i);
    const pieces = chunk(items, DSCO_BATCH_MAX.inventory);
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(() => assertBatchSize('inventory', piece)).not.toThrow();
    expect(() => assertBatchSize('inventory', items)).toThrow(/exceeds 500/);
  });
});
