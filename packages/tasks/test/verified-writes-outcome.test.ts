import type { ChangeLogEntry } from '@dlsync/dsco';
import { ACK_KIND, INVOICE_KIND, applyEntries, describeMessages, itemHash, resolveWriteOptions, writeStateOf } from '../src/verified-writes/index.js';

const entry = (payload: unknown, status: string, results: ChangeLogEntry['results'] = []): ChangeLogEntry => ({ payload, status, results });
const pending = (key: string) => ({ key, hash: itemHash(key), status: 'pending' as const });

describe('item outcomes from change-log entries', () => {
  it('matches entries to items by the kind\'s key, and ignores other shapes of the same log', () => {
    const results = applyEntries(ACK_KIND, [pending('PO-1'), pending('PO-2')], [
      entry({ id: 'PO-1', type: 'PO_NUMBER' }, 'success'),
      // A shipment entry of PO-2 in the same order log is not its acknowledgement.
      entry({ poNumber: 'PO-2', shipments: [] }, 'failure', [{ code: 'X', severity: 'error' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['success', 'pending']);
    expect(writeStateOf(results)).toBe('pending');
  });

  it('fails an item on any failed entry, with the error messages as its reason', () => {
    const [r] = applyEntries(INVOICE_KIND, [pending('PO-1')], [
      entry({ invoiceId: 'PO-1', poNumber: 'PO-1' }, 'failure', [
        { code: 'INFO', severity: 'info', description: 'looked at it' },
        { code: 'ORDER_NOT_SHIPPED', severity: 'error', description: 'PO-1 has unshipped lines' },
      ]),
    ]);
    expect(r).toMatchObject({ status: 'failure', reason: 'ORDER_NOT_SHIPPED: PO-1 has unshipped lines', codes: ['INFO', 'ORDER_NOT_SHIPPED'] });
    expect(writeStateOf([r!])).toBe('failure');
  });

  it('fails an item a COMPLETED request never listed, and keeps it pending while PROCESSING', () => {
    expect(applyEntries(ACK_KIND, [pending('PO-1')], [], 'PROCESSING')[0]!.status).toBe('pending');
    expect(applyEntries(ACK_KIND, [pending('PO-1')], [], 'COMPLETED')[0]).toMatchObject({ status: 'failure', codes: ['NO_ENTRY'] });
  });

  it('never changes an item that is already settled', () => {
    const settled = { ...pending('PO-1'), status: 'success' as const };
    expect(applyEntries(ACK_KIND, [settled], [entry({ id: 'PO-1', type: 'PO_NUMBER' }, 'failure')])).toEqual([settled]);
  });

  it('describes messages without a severity, and says so when there are none', () => {
    expect(describeMessages([{ code: 'A' }, { code: 'B', description: 'b' }])).toBe('A; B: b');
    expect(describeMessages([])).toBe('no reason given');
  });

  it('hashes equal items equally and changed items differently', () => {
    expect(itemHash({ a: 1, b: [2] })).toBe(itemHash({ a: 1, b: [2] }));
    expect(itemHash({ a: 1 })).not.toBe(itemHash({ a: 2 }));
  });

  it('refuses options that would never send or never wait, naming the option', () => {
    expect(resolveWriteOptions()).toMatchObject({ maxAttempts: 3, freshPolls: 10, pollMs: 1000, lostAfterMs: 1_800_000 });
    expect(() => resolveWriteOptions({ maxAttempts: 0 })).toThrow('maxAttempts must be a positive integer, got 0');
    expect(() => resolveWriteOptions({ pollMs: -1 })).toThrow('pollMs must be a non-negative number, got -1');
  });
});
