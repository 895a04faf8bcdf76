import { CronExpressionParser } from 'cron-parser';
import { createRequire } from 'node:module';
import { ConfigError, parseRuntimeConfig } from '@dlsync/config';

function problems(input: unknown): string[] {
  try {
    parseRuntimeConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}

describe('runtime_config cron validation', () => {
  it('refuses a cron BullMQ would refuse, at its path, with the parser message', () => {
    expect(problems({ jobs: { pull_dsco_orders: { cron: '99 * * * *' } } })).toEqual([
      'jobs.pull_dsco_orders.cron: invalid cron "99 * * * *": Constraint error, got value 99 expected range 0-59',
    ]);
    expect(problems({ jobs: { ship_to_dsco: { cron: '0 0 31 2 *' } } })).toEqual([
      'jobs.ship_to_dsco.cron: invalid cron "0 0 31 2 *": Invalid explicit day of month definition',
    ]);
    expect(problems({ jobs: { sync_stock: { cron: 'a b c d e' }, ack_to_dsco: { cron: '* * *' } } })).toEqual([
      'jobs.ack_to_dsco.cron: invalid cron "* * *": must be a 5- or 6-field cron expression',
      'jobs.sync_stock.cron: invalid cron "a b c d e": Invalid characters, got value: a',
    ]);
  });

  it('accepts 5- and 6-field expressions the scheduler can apply', () => {
    const config = parseRuntimeConfig({ jobs: { pull_dsco_orders: { cron: '*/5 * * * *' }, ack_to_dsco: { cron: '0 */2 * * * *' } } });
    expect(config.jobs.ack_to_dsco.cron).toBe('0 */2 * * * *');
  });

  it('validates with the cron-parser version BullMQ itself depends on', () => {
    const require = createRequire(import.meta.url);
    const bullmq = require('bullmq/package.json') as { dependencies: Record<string, string> };
    const parser = require('cron-parser/package.json') as { version: string };
    expect(parser.version).toBe(bullmq.dependencies['cron-parser']);
    expect(() => CronExpressionParser.parse('99 * * * *')).toThrow();
  });
});

describe('pull_dsco_orders.overlap_seconds', () => {
  it('defaults to 600 and adopts a lookback_seconds saved before it existed', () => {
    expect(parseRuntimeConfig({}).jobs.pull_dsco_orders).toMatchObject({ overlap_seconds: 600, max_window_seconds: 604_800 });
    expect(parseRuntimeConfig({ jobs: { pull_dsco_orders: { lookback_seconds: 120 } } }).jobs.pull_dsco_orders.overlap_seconds).toBe(120);
    expect(parseRuntimeConfig({ jobs: { pull_dsco_orders: { lookback_seconds: 120, overlap_seconds: 30 } } }).jobs.pull_dsco_orders.overlap_seconds).toBe(30);
    expect(problems({ jobs: { pull_dsco_orders: { overlap_seconds: -1 } } })).toEqual([
      'jobs.pull_dsco_orders.overlap_seconds: Too small: expected number to be >=0',
    ]);
  });
});
