export { startScheduler } from './start-scheduler.js';
export type { SchedulerApp, SchedulerAppOptions } from './start-scheduler.js';
export { makeScheduleReconciler } from './schedule-reconciler.js';
export type { ScheduleReconciler, ScheduleReconcilerOptions, ReconcileOutcome } from './schedule-reconciler.js';
export { parseSchedulerArgs } from './cli-options.js';
export type { SchedulerCliOptions } from './cli-options.js';
export { schedulesOf, reconcileTaskSchedule } from './task-schedule.js';
export type { TaskSchedule, ScheduleOfVersion, TaskChange } from './task-schedule.js';
export type { TaskScheduleFailure } from './schedule-reconciler.js';
