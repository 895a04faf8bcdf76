import { makeLineAllocator } from '../src/rules/line-allocation.js';

const line = (lineNumber: number, sku: string, quantity: number) => ({ lineNumber, sku, quantity, dscoItemId: `I${lineNumber}` });

describe('crediting shipped quantities to order lines', () => {
  it('fills lines with the same sku in order, each up to its quantity', () => {
    const allocate = makeLineAllocator({ lineItems: [line(1, 'A', 2), line(2, 'A', 1), line(3, 'B', 1)] });
    expect(allocate('A', 3).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(allocate('B', 1).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([[3, 1]]);
  });

  it('continues across packages where the earlier ones stopped', () => {
    const allocate = makeLineAllocator({ lineItems: [line(1, 'A', 2), line(2, 'A', 2)] });
    expect(allocate('A', 1).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([[1, 1]]);
    expect(allocate('A', 2).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(allocate('A', 1).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([[2, 1]]);
  });

  it('keeps an excess on the last line with the key, and a key no line has on no line', () => {
    const allocate = makeLineAllocator({ lineItems: [line(1, 'A', 1), line(2, 'A', 1)] });
    expect(allocate('A', 3).map((s) => [s.line?.lineNumber, s.quantity])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(allocate('Z', 2)).toEqual([{ line: undefined, quantity: 2 }]);
  });
});
