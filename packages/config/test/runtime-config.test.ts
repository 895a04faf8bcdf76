import { ConfigError, defaultRuntimeConfig, parseRuntimeConfig, TASK_NAMES } from '@dlsync/config';

function problemLines(input: unknown): string[] {
  try {
    parseRuntimeConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRuntimeConfig', () => {
  it('defaults to no mappings and every task disabled', () => {
    const config = defaultRuntimeConfig();
    expect(config.mapping).toEqual({ shop: {}, warehouse: {}, sku: {}, shipment: {} });
    expect(Object.keys(config.jobs)).toEqual([...TASK_NAMES]);
    for (const task of TASK_NAMES) expect(config.jobs[task].enabled).toBe(false);
    expect(config.jobs.pull_dsco_orders).toMatchObject({ size: 10_000, overlap_seconds: 600, cron: '*/5 * * * *' });
    expect(config.jobs.sync_stock.sync).toBe(true);
  });

  it('keeps given values and fills in the rest of each job', () => {
    const config = parseRuntimeConfig({
      mapping: { shop: { R1: '101' }, sku: { 'P-1': 'L-1' } },
      jobs: { ack_to_dsco: { enabled: true, cron: '0 */2 * * * *', multi_ban: true } },
    });
    expect(config.mapping.shop).toEqual({ R1: '101' });
    expect(config.jobs.ack_to_dsco).toEqual({ enabled: true, cron: '0 */2 * * * *', size: 200, multi_ban: true });
  });

  it('names an unknown task at its own path and lists the known ones', () => {
    expect(problemLines({ jobs: { pull_orders: { enabled: true } } })).toEqual([
      `jobs.pull_orders: unknown task (known: ${TASK_NAMES.join(', ')})`,
    ]);
  });

  it('names the path of every value of the wrong type or shape', () => {
    expect(
      problemLines({
        mapping: { shop: { R1: 'store-1' }, shipment: { 'W1-GROUND': '' } },
        jobs: { sync_stock: { size: 'ten', cron: '* * *' }, ship_to_dsco: { multi_ban: 'yes', retries: 3 } },
      }),
    ).toEqual([
      'mapping.shop.R1: must be a numeric store id',
      'mapping.shipment.W1-GROUND: must not be empty',
      'jobs.ship_to_dsco.multi_ban: Invalid input: expected boolean, received string',
      'jobs.ship_to_dsco.retries: unknown key',
      'jobs.sync_stock.cron: invalid cron "* * *": must be a 5- or 6-field cron expression',
      'jobs.sync_stock.size: Invalid input: expected number, received string',
    ]);
  });

  it('never lets check_orders be scheduled', () => {
    expect(problemLines({ jobs: { check_orders: { enabled: true } } })).toEqual([
      'jobs.check_orders.enabled: Invalid input: expected false',
    ]);
  });

  it('tags the error with its source', () => {
    try {
      parseRuntimeConfig({ jobs: 'all' }, 'runtime_config v7');
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).source).toBe('runtime_config v7');
      expect((err as ConfigError).message).toBe('jobs: Invalid input: expected object, received string');
    }
  });
});
