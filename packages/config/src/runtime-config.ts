import { z } from 'zod';
import { cronProblem } from './cron.js';
import { ConfigError, problemsFromZod } from './errors.js';
import { stockSyncOptions } from './stock-config.js';
import { TASK_NAMES, type TaskName } from './tasks.js';

const stringMap = z.record(z.string().min(1), z.string().min(1, 'must not be empty'));

/** A 5- or 6-field cron expression that BullMQ's own parser accepts (see {@link cronProblem}). */
const cron = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const problem = cronProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron ${JSON.stringify(s)}: ${problem}` });
  });

const baseJob = {
  enabled: z.boolean().default(false),
  cron: cron.default('*/5 * * * *'),
  /** Most orders one run handles. (Default: 200) */
  size: z.number().int().positive().max(100_000).default(200),
};

const multiBan = { multi_ban: z.boolean().default(false) };

/** A config saved with the old `lookback_seconds` and no `overlap_seconds` keeps its value. */
function adoptLookback(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const job = input as Record<string, unknown>;
  return job.overlap_seconds === undefined && job.lookback_seconds !== undefined ? { ...job, overlap_seconds: job.lookback_seconds } : job;
}

export const jobSchemas = {
  pull_dsco_orders: z.preprocess(
    adoptLookback,
    z.strictObject({
      ...baseJob,
      size: z.number().int().positive().max(1_000_000).default(10_000),
      /**
       * Seconds a scheduled scan re-reads behind the watermark (`ordersUpdatedSince = watermark −
       * overlap`), for updates DSCO makes visible late. (Default: 600)
       */
      overlap_seconds: z.number().int().min(0).max(30 * 86_400).default(600),
      /**
       * Longest stretch of update time one scheduled window reads. A longer backlog (the first
       * run, an outage) is read window after window in the same run, the watermark moving after
       * each complete one, so a backlog larger than `size` still makes progress run by run.
       * (Default: 604800, 7 days)
       */
      max_window_seconds: z.number().int().min(60).default(7 * 86_400),
      /** Deprecated name of overlap_seconds, still accepted so configs saved before it stay valid. */
      lookback_seconds: z.number().int().min(0).optional(),
    }),
  ),
  push_to_lingxing: z.strictObject({ ...baseJob }),
  ack_to_dsco: z.strictObject({ ...baseJob, ...multiBan }),
  ship_to_dsco: z.strictObject({
    ...baseJob,
    ...multiBan,
    /**
     * `false` sends a PO's shipments only once every line's shipped quantity covers the order
     * (one complete set of packages); `true` sends each tracking number as it ships. (Default: false)
     */
    partial_shipments: z.boolean().default(false),
  }),
  invoice_to_dsco: z.strictObject({
    ...baseJob,
    ...multiBan,
    /**
     * Invoice unitPrice: `order_price` = consumerPriceWithTax ?? consumerPrice ?? retailPrice ??
     * expectedCost; `expected_cost` = expectedCost first (the retailer's cost, which DSCO
     * compares invoices with, reporting dscoExpectedDifference). (Default: order_price)
     */
    unit_price: z.enum(['order_price', 'expected_cost']).default('order_price'),
  }),
  sync_stock: z.strictObject({
    ...baseJob,
    /** false = dry run: record rows, send nothing. (Default: true) */
    sync: z.boolean().default(true),
    ...stockSyncOptions,
  }),
  pull_sku_pair: z.strictObject({
    ...baseJob,
    /** Also drop mapping.sku keys Lingxing no longer pairs. (Default: false) */
    prune: z.boolean().default(false),
  }),
  check_orders: z.strictObject({ ...baseJob, enabled: z.literal(false).default(false) }),
} satisfies Record<TaskName, z.ZodType>;

export type JobConfigs = { [K in TaskName]: z.output<(typeof jobSchemas)[K]> };

const jobsSchema = z.strictObject(
  Object.fromEntries(
    TASK_NAMES.map((t) => {
      const schema: z.ZodType = jobSchemas[t];
      return [t, schema.default(() => schema.parse({}))];
    }),
  ) as unknown as {
    [K in TaskName]: z.ZodDefault<(typeof jobSchemas)[K]>;
  },
);

export const mappingSchema = z.strictObject({
  /** dscoRetailerId → Lingxing store_id (also the WMS sid, so numeric). */
  shop: z.record(z.string().min(1), z.string().regex(/^\d+$/, 'must be a numeric store id')).default({}),
  /** DSCO warehouseCode → Lingxing wid. */
  warehouse: z.record(z.string().min(1), z.string().regex(/^\d+$/, 'must be a numeric wid')).default({}),
  /** DSCO partnerSku (or sku) → Lingxing local sku. */
  sku: stringMap.default({}),
  /** `<shipWarehouseCode||requestedWarehouseCode>-<shippingServiceLevelCode>` → logistics_type_id. */
  shipment: stringMap.default({}),
});

/** How dlsync reads DSCO data. */
export const dscoRuntimeSchema = z.strictObject({
  /**
   * Which line-item field is the line key (Lingxing msku, mapping.sku key, inventory and
   * shipment/invoice `sku`): `sku` = the supplier sku, else partnerSku; `partner_sku` =
   * partnerSku first, for accounts whose mapping is keyed by the retailer's sku. (Default: sku)
   */
  line_key: z.enum(['sku', 'partner_sku']).default('sku'),
});

/**
 * When a row a per-status task could not finish is due again. A row skipped or failed backs off
 * exponentially so it never holds the rows behind it; a row merely waiting for the other side
 * (Lingxing not shipped yet, DSCO still applying a write) is looked at again after a fixed delay,
 * because nothing is wrong with it and growing the delay would only slow a healthy pipeline.
 */
export const retryRuntimeSchema = z
  .strictObject({
    /** Delay after the first skip or failure at a status, in seconds; doubles per attempt. (Default: 60) */
    base_seconds: z.number().int().positive().default(60),
    /** Longest backoff, in seconds: a stuck row is still retried this often. (Default: 3600) */
    max_seconds: z.number().int().positive().default(3600),
    /** Delay before a waiting row is picked again, in seconds. (Default: 60) */
    waiting_seconds: z.number().int().positive().default(60),
    /**
     * Sends of one unchanged item (shipment, invoice, acknowledgement, inventory) DSCO's change
     * log refused before dlsync stops re-sending it and waits for an operator or a data change.
     * (Default: 3)
     */
    write_max_attempts: z.number().int().positive().default(3),
  })
  .refine((r) => r.max_seconds >= r.base_seconds, { message: 'max_seconds must be at least base_seconds', path: ['max_seconds'] });

export const runtimeConfigSchema = z.strictObject({
  dsco: dscoRuntimeSchema.default(() => dscoRuntimeSchema.parse({})),
  retry: retryRuntimeSchema.default(() => retryRuntimeSchema.parse({})),
  mapping: mappingSchema.default(() => mappingSchema.parse({})),
  jobs: jobsSchema.default(() => jobsSchema.parse({})),
});

export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type Mapping = RuntimeConfig['mapping'];

/** Validates a runtime_config document; throws ConfigError with `path: message` problems. */
export function parseRuntimeConfig(input: unknown, source = 'runtime_config'): RuntimeConfig {
  const result = runtimeConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  // An unknown task gets the list of known ones: likely a typo, and the fix is one of them.
  const unknownTask = `unknown task (known: ${TASK_NAMES.join(', ')})`;
  const problems = problemsFromZod(result.error).map((p) =>
    /^jobs\.[^.]+$/.test(p.path) && p.message === 'unknown key' ? { ...p, message: unknownTask } : p,
  );
  throw new ConfigError(problems, source);
}

/** The all-defaults runtime config: no mappings, every task disabled. */
export function defaultRuntimeConfig(): RuntimeConfig {
  return parseRuntimeConfig({});
}
