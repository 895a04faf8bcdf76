import type { JobConfigs, RuntimeConfig, TaskName } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import type { Logger } from '@dlsync/logger';
import type { MappingResolver } from '@dlsync/mapping';
import type { Store } from '@dlsync/store';
import type { OrderResult, ReportBuilder } from './report.js';

export type Trigger = 'schedule' | 'manual' | 'cli';

/** A UTC half-open window [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface TaskInput {
  trigger: Trigger;
  /** Restrict every query of the run to exactly this PO. */
  onlyPoNumber?: string;
  window?: TimeWindow;
  /** Task-specific override (e.g. re-send); tasks document what it means for them. */
  force?: boolean;
  /** sync_stock only: send these quantities instead of reading Lingxing (the inventory API). */
  stock?: StockRequest;
}

/** One quantity to set in DSCO: the item's partnerSku at one DSCO warehouse. */
export interface StockRequestItem {
  sku: string;
  warehouse: string;
  quantity: number;
}

/**
 * A sync_stock run asked for by a partner system: the quantities of the newest recorded run, or
 * the given items, sent (or only recorded, `dryRun`) under the task's lock like any other run.
 */
export interface StockRequest {
  dryRun: boolean;
  source: 'latest_run' | 'items';
  /** For source `items`. */
  items?: StockRequestItem[];
}

/** Everything a task may touch. Tasks receive it from the runner and never import each other. */
export interface TaskContext<T extends TaskName = TaskName> {
  runId: string;
  task: T;
  trigger: Trigger;
  /** The run's config snapshot: one version for the whole run. */
  config: RuntimeConfig;
  configVersion: number;
  /** `config.jobs[task]`. */
  job: JobConfigs[T];
  /** Most orders this run handles (`job.size`). */
  size: number;
  onlyPoNumber?: string;
  window?: TimeWindow;
  force: boolean;
  /** See {@link TaskInput.stock}. */
  stock?: StockRequest;
  logger: Logger;
  store: Store;
  dsco: DscoClient;
  lingxing: LingxingClient;
  mapping: MappingResolver;
  /** Lingxing custom platform code (env `integration.lingxing.platform_code`). */
  platformCode: number;
  /** Fires when the run must stop (lock lost, shutdown). Pass it to every remote call. */
  signal: AbortSignal;
  now(): Date;
  report: ReportBuilder;
  /** Logs `order done` and adds the order to the report. */
  orderDone(poNumber: string, result: OrderResult, reason?: string, snapshot?: Record<string, unknown>): void;
  /**
   * {@link orderDone} `waiting` for an order whose DSCO write the run is settling or has just
   * sent, without the waiting delay on its row: the write's settlement moves the row on or
   * records DSCO's refusal with backoff, and the next run leaves the write's rows out, so the
   * delay would only cost an update of every row of every write.
   */
  orderInFlight(poNumber: string, reason: string): void;
  /** Reports progress (0–100) to whoever runs the task, e.g. the BullMQ job. */
  progress(percent: number): void;
}

export type TaskFn<T extends TaskName = TaskName> = (ctx: TaskContext<T>) => Promise<void>;
export type TaskRegistry = { [K in TaskName]: TaskFn<K> };
