export { runTask } from './run-task.js';
export type { RunnerDeps } from './run-task.js';
export { tryAcquireTaskLock, taskLockKey } from './lock.js';
export type { HeldLock, AcquireLockOptions } from './lock.js';
export { makeReportBuilder } from './report.js';
export type { Report, ReportItem, ReportBuilder, OrderResult, RunStatus } from './report.js';
export { makeRunId } from './run-id.js';
export type { TaskContext, TaskFn, TaskInput, TaskRegistry, TimeWindow, Trigger } from './task-context.js';
