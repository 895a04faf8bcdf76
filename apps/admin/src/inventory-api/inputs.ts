import { z } from 'zod';
import { STOCK_REQUEST_MAX_ITEMS } from '@dlsync/queue';

/** Rows per diff page. (Default: 100, at most 1000) */
export const DIFF_PAGE = { default: 100, max: 1000 } as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** A DSCO partnerSku or warehouse code as a filter: non-empty, bounded. */
const key = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const booleanText = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export const diffQuerySchema = z.strictObject({
  /** UTC day the rows were recorded on. (Default: today) */
  day: day.optional(),
  warehouse: key(100).optional(),
  sku: key(200).optional(),
  run_id: key(100).optional(),
  /** Only rows whose Lingxing quantity differs from DSCO's. (Default: false) */
  diff_only: booleanText.default(false),
  /** `next_cursor` of the previous page. */
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, 'must be the next_cursor of a previous page').transform(Number).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1).max(DIFF_PAGE.max).default(DIFF_PAGE.default),
});

const item = z.strictObject({
  /** DSCO partnerSku. */
  sku: key(200),
  /** DSCO warehouse code (a mapping.warehouse key). */
  warehouse: key(100),
  quantity: z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must not be negative').max(1_000_000_000),
});

export const syncBodySchema = z
  .strictObject({
    /** Record and report what would be sent, send nothing. (Default: true) */
    dry_run: z.boolean().default(true),
    /** The quantities to set; without them, the newest recorded sync_stock run is sent again. */
    items: z.array(item).min(1, 'must not be empty (leave items out to resend the latest run)').max(STOCK_REQUEST_MAX_ITEMS, `at most ${STOCK_REQUEST_MAX_ITEMS} items per request`).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.items?.forEach((i, index) => {
      const at = `${i.sku}\u0000${i.warehouse}`;
      const first = seen.get(at);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['items', index], message: `repeats items.${first} (same sku and warehouse)` });
      else seen.set(at, index);
    });
  });
export type SyncBody = z.output<typeof syncBodySchema>;
