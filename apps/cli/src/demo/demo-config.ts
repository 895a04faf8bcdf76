import { parseRuntimeConfig, type Mapping, type RuntimeConfig } from '@dlsync/config';

/**
 * Every scheduled task on, with 6-field (per-second) crons so the demo pipeline turns over in
 * seconds. check_orders stays manual, as always. Backoff and waiting delays are in seconds too:
 * the sandbox's simulated clock runs hundreds of times faster than the wall clock rows back off
 * by, so production delays (a minute and up) would leave the demo waiting on nothing.
 */
export function demoRuntimeConfig(mapping: Mapping): RuntimeConfig {
  const every = (seconds: number) => ({ enabled: true, cron: `*/${seconds} * * * * *` });
  return parseRuntimeConfig({
    mapping,
    retry: { base_seconds: 2, max_seconds: 20, waiting_seconds: 1 },
    jobs: {
      // One window from the fixed first-pull epoch instead of a week per page call.
      pull_dsco_orders: { ...every(2), overlap_seconds: 600, max_window_seconds: 800 * 86_400 },
      push_to_lingxing: every(2),
      ack_to_dsco: every(2),
      ship_to_dsco: every(2),
      invoice_to_dsco: every(2),
      sync_stock: { ...every(10), sync: true },
      pull_sku_pair: every(5),
    },
  });
}
