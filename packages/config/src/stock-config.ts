import { z } from 'zod';

/** Which items sync_stock sends: only those whose quantity differs from DSCO's, or every one. */
export const STOCK_SEND_MODES = ['changed', 'all'] as const;
export type StockSendMode = (typeof STOCK_SEND_MODES)[number];

const PERCENT = /^(\d{1,3}(?:\.\d+)?)%$/;

/** An amount to hold back: a whole number of units, or a percentage of the quantity ("10%"). */
export const bufferAmountSchema = z.union([
  z.number().int('must be a whole number of units').min(0, 'must not be negative'),
  z
    .string()
    .regex(PERCENT, 'must be a whole number or a percentage such as "10%"')
    .refine((s) => Number(PERCENT.exec(s)?.[1]) <= 100, 'a percentage must be at most 100%'),
]);

/**
 * One safety-buffer rule: hold back `subtract` from what is sent for the items it matches, so a
 * sale between two syncs cannot oversell. `warehouse` is a DSCO warehouse code, `sku` a partnerSku
 * pattern (`*` any run of characters, `?` one); a rule without either matches everything.
 */
export const bufferRuleSchema = z.strictObject({
  warehouse: z.string().min(1).optional(),
  sku: z.string().min(1).optional(),
  subtract: bufferAmountSchema,
});
export type BufferRule = z.output<typeof bufferRuleSchema>;

/** The sync_stock options of reconciliation (spread into its job schema). */
export const stockSyncOptions = {
  /** (Default: changed) */
  send: z.enum(STOCK_SEND_MODES).default('changed'),
  /** Rules in order; the first that matches an item's warehouse and sku applies. (Default: none) */
  buffer: z.array(bufferRuleSchema).max(1000).default([]),
  /**
   * Most items compared with DSCO per run, one `GET /inventory` each (DSCO allows 300 a minute):
   * with more, the run sends every item as `send: all` would and says so. (Default: 300)
   */
  compare_max_items: z.number().int().min(0).max(100_000).default(300),
};
