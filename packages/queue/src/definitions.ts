import type { DefaultJobOptions } from 'bullmq';
import { z } from 'zod';
import { MANUAL_ONLY_TASKS, TASK_NAMES, type TaskName } from '@dlsync/config';

/**
 * The one place that defines queues, job payloads and job options. Each task has its own
 * queue named after it; with the Redis prefix `dlsync` its keys read `dlsync:<task>:*`.
 */
export const QUEUE_NAMES: Record<TaskName, string> = Object.fromEntries(TASK_NAMES.map((t) => [t, t])) as Record<
  TaskName,
  string
>;

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** Most items one inventory API request may set (one DSCO call carries them easily). */
export const STOCK_REQUEST_MAX_ITEMS = 1000;

/** The inventory API's sync_stock request (see the runner's StockRequest). */
export const stockRequestSchema = z
  .strictObject({
    dryRun: z.boolean(),
    source: z.enum(['latest_run', 'items']),
    items: z
      .array(
        z.strictObject({
          sku: z.string().trim().min(1).max(200),
          warehouse: z.string().trim().min(1).max(100),
          quantity: z.number().int().min(0).max(1_000_000_000),
        }),
      )
      .min(1)
      .max(STOCK_REQUEST_MAX_ITEMS)
      .optional(),
  })
  .refine((s) => (s.source === 'items') === (s.items !== undefined), {
    message: 'items are given exactly when source is items',
    path: ['items'],
  });

/** Job data of every task queue: the runner's input, JSON-safe. */
export const jobDataSchema = z
  .strictObject({
    trigger: z.enum(['schedule', 'manual', 'cli']),
    onlyPoNumber: z.string().trim().min(1).max(100).optional(),
    window: z.strictObject({ start: isoDate, end: isoDate }).optional(),
    force: z.boolean().optional(),
    /** sync_stock only: the quantities an inventory API caller asked to send. */
    stock: stockRequestSchema.optional(),
    /** Who asked, for the audit trail in Bull Board. */
    requestedBy: z.string().max(200).optional(),
  })
  .refine((d) => !d.window || d.window.start < d.window.end, {
    message: 'window.start must be before window.end',
    path: ['window'],
  });

export type JobDataInput = z.input<typeof jobDataSchema>;
export type JobData = z.output<typeof jobDataSchema>;

/** Each task's job data; all tasks share one shape today, but handlers are typed per task. */
export const jobDataSchemas: Record<TaskName, typeof jobDataSchema> = Object.fromEntries(
  TASK_NAMES.map((t) => [t, jobDataSchema]),
) as Record<TaskName, typeof jobDataSchema>;

/**
 * Retries cover infrastructure failures only (a Report with status `failed`); single-order
 * problems never fail a job. Retention keeps recent history visible in Bull Board.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { count: 500, age: 7 * 24 * 3600 },
  removeOnFail: { count: 1000, age: 30 * 24 * 3600 },
};

export const SCHEDULED_TASKS: readonly TaskName[] = TASK_NAMES.filter((t) => !MANUAL_ONLY_TASKS.includes(t));

/** Redis key prefix of the queues. (Default: `dlsync`) */
export const DEFAULT_QUEUE_PREFIX = 'dlsync';
