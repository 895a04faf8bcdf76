import { z } from 'zod';
import { TASK_NAMES } from '@dlsync/config';
import { isOrderStatus, ORDER_STATUSES, type OrderStatus } from '@dlsync/store';
import { RUN_STATES } from '../runs.js';

/** A DSCO PO number as operators type it: letters, digits and a few separators. */
export const poNumberSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty', abort: true })
  .max(100, { error: 'must be at most 100 characters', abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/#:]*$/, 'may only contain letters, digits and . _ - / # : (starting with a letter or digit)');

export const taskSchema = z.enum(TASK_NAMES, { error: () => `unknown task (known: ${TASK_NAMES.join(', ')})` });

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset, e.g. 2025-01-31T00:00:00Z' });

export const runRequestSchema = z
  .strictObject({
    po_number: poNumberSchema.optional(),
    start: isoInstant.optional(),
    end: isoInstant.optional(),
    force: z.boolean().optional(),
    /** Wait for the run and answer with its Report. */
    wait: z.boolean().optional(),
  })
  .superRefine(({ start, end }, ctx) => {
    if ((start === undefined) !== (end === undefined)) {
      ctx.addIssue({ code: 'custom', path: [start === undefined ? 'start' : 'end'], message: 'start and end go together' });
      return;
    }
    if (start === undefined || end === undefined) return;
    const [from, to] = [Date.parse(start), Date.parse(end)];
    // zod 4 runs refinements even after a field failed; an unreadable date has its own issue already.
    if (Number.isNaN(from) || Number.isNaN(to)) return;
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['start'], message: 'must be before end' });
  });

const limit = (max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1).max(max).default(fallback);

export const runsQuerySchema = z.strictObject({
  task: taskSchema.optional(),
  status: z.enum(RUN_STATES, { error: () => `must be one of ${RUN_STATES.join(', ')}` }).optional(),
  limit: limit(200, 50),
});

export const runParamsSchema = z.strictObject({
  task: taskSchema,
  jobId: z.string().min(1).max(200),
});

export const orderStatusSchema = z.coerce
  .number({ error: `must be one of ${ORDER_STATUSES.join(', ')}` })
  .refine(isOrderStatus, { message: `must be one of ${ORDER_STATUSES.join(', ')}` })
  .transform((n) => n as OrderStatus);

export const ordersQuerySchema = z.strictObject({
  status: orderStatusSchema.optional(),
  po: poNumberSchema.optional(),
  cursor: z.string().min(1).max(1000).optional(),
  limit: limit(500, 50),
});

export const configPutSchema = z.strictObject({
  /** The version the edit started from; null when no config was ever saved. */
  version: z.number().int().positive().nullable(),
  config: z.unknown(),
});

export const warehouseSyncQuerySchema = z.strictObject({
  run_id: z.string({ error: 'required' }).trim().min(1, 'required').max(100),
});

export const warehouseRunsQuerySchema = z.strictObject({ limit: limit(500, 50) });
