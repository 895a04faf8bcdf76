import { z } from 'zod';
import { ConfigError, problemsFromZod } from './errors.js';
import { TASK_NAMES, type TaskName } from './tasks.js';

const stringMap = z.record(z.string().min(1), z.string().min(1, 'must not be empty'));

/** Accepts a 5- or 6-field cron expression (fields are not range-checked here; BullMQ does that). */
const cron = z
  .string()
  .trim()
  .refine((s) => {
    const n = s.split(/\s+/).length;
    return n === 5 || n === 6;
  }, 'must be a 5- or 6-field cron expression');

const baseJob = {
  enabled: z.boolean().default(false),
  cron: cron.default('*/5 * * * *'),
  /** Most orders one run handles. (Default: 200) */
  size: z.number().int().positive().max(100_000).default(200),
};

const multiBan = { multi_ban: z.boolean().default(false) };

export const jobSchemas = {
  pull_dsco_orders: z.strictObject({
    ...baseJob,
    size: z.number().int().positive().max(1_000_000).default(10_000),
    /** Seconds re-read behind the newest known order. (Default: 600) */
    lookback_seconds: z.number().int().min(0).default(600),
  }),
  push_to_lingxing: z.strictObject({ ...baseJob }),
  ack_to_dsco: z.strictObject({ ...baseJob, ...multiBan }),
  ship_to_dsco: z.strictObject({ ...baseJob, ...multiBan }),
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
      const schema = jobSchemas[t] as z.ZodObject;
      return [t, schema.default(() => schema.parse({}))];
    }),
  ) as {
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

export const runtimeConfigSchema = z.strictObject({
  dsco: dscoRuntimeSchema.default(() => dscoRuntimeSchema.parse({})),
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
