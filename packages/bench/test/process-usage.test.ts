import { bucketOneCalls } from '../src/peer.js';
import { measuredUsage, parseUsageLine, USAGE_MARK, type ProcessUsage } from '../src/process-usage.js';

const line = (u: Partial<ProcessUsage>): string => `${USAGE_MARK}${JSON.stringify({ pid: 7, entry: 'apps/worker/src/main.ts', ...u })}`;

describe('process usage lines', () => {
  it('reads the usage a child prints and ignores every other line', () => {
    expect(parseUsageLine(line({ phase: 'exit', cpuSeconds: 1.5, maxRssKb: 2048 }))).toEqual({ pid: 7, entry: 'apps/worker/src/main.ts', phase: 'exit', cpuSeconds: 1.5, maxRssKb: 2048 });
    expect(parseUsageLine('{"level":"warn","msg":"x"}')).toBeUndefined();
    expect(parseUsageLine(`${USAGE_MARK}{not json`)).toBeUndefined();
    expect(parseUsageLine(line({ phase: 'later' as 'exit', cpuSeconds: 1, maxRssKb: 1 }))).toBeUndefined();
  });

  it('counts CPU from the mark to the exit, so start-up is left out', () => {
    const mark = parseUsageLine(line({ phase: 'mark', cpuSeconds: 2, maxRssKb: 100 }))!;
    const exit = parseUsageLine(line({ phase: 'exit', cpuSeconds: 5.5, maxRssKb: 300 }))!;
    expect(measuredUsage([mark, exit])).toEqual({ pid: 7, entry: 'apps/worker/src/main.ts', cpuSeconds: 3.5, maxRssKb: 300 });
    expect(measuredUsage([exit])?.cpuSeconds).toBe(5.5);
    expect(measuredUsage([mark])).toBeUndefined();
  });
});

describe('bucketOneCalls', () => {
  it('adds up the calls of the Lingxing endpoints whose bucket holds one call', () => {
    expect(
      bucketOneCalls({
        'lingxing /erp/sc/routing/wms/order/wmsOrderList': 20,
        'lingxing /erp/sc/routing/data/local_inventory/inventoryDetails': 3,
        'lingxing /pb/mp/order/v2/list': 50,
        'dsco /order/page': 9,
      }),
    ).toBe(23);
  });
});
