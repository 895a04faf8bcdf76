import { hostname, userInfo } from 'node:os';
import { Argument, Option, type Command } from 'commander';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { JobData, JobDataInput } from '@dlsync/queue';
import { UsageError } from './cli-error.js';

export interface TaskOptions {
  po?: string;
  start?: string;
  end?: string;
  force?: boolean;
}

/** Adds `<task> [--po] [--start --end] [--force]` to a command (enqueue, run). */
export function withTaskArguments(command: Command): Command {
  return command
    .addArgument(new Argument('<task>', 'task name').choices(TASK_NAMES))
    .addOption(new Option('--po <po>', 'only this purchase order (every query of the run is filtered to it)'))
    .addOption(new Option('--start <iso>', 'window start, inclusive (ISO 8601 with offset, e.g. 2025-06-01T00:00:00Z)'))
    .addOption(new Option('--end <iso>', 'window end, exclusive (ISO 8601 with offset)'))
    .addOption(new Option('--force', 'task-specific override (e.g. re-send); see the task docs'));
}

/** Who asked, for the job's audit trail. */
export function requestedBy(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return `cli:${user}@${hostname()}`;
}

/**
 * The job data of a CLI-triggered run, as sent (`input`) and validated (`data`, dates parsed)
 * by the same rules a worker applies, so a request that cannot run is refused before queueing;
 * throws UsageError with one `--flag: message` line per problem.
 */
export async function taskJobData(task: TaskName, options: TaskOptions): Promise<{ input: JobDataInput; data: JobData }> {
  if ((options.start === undefined) !== (options.end === undefined)) throw new UsageError('--start and --end must be given together');
  const input: JobDataInput = {
    trigger: 'cli',
    requestedBy: requestedBy(),
    ...(options.po !== undefined ? { onlyPoNumber: options.po } : {}),
    ...(options.start !== undefined && options.end !== undefined ? { window: { start: options.start, end: options.end } } : {}),
    ...(options.force ? { force: true } : {}),
  };
  const { assertRunRequest, RunRequestError } = await import('@dlsync/queue');
  const flag = (path: string): string =>
    ({ onlyPoNumber: '--po', 'window.start': '--start', 'window.end': '--end', window: '--start/--end' })[path] ?? path;
  try {
    return { input, data: assertRunRequest(task, input) };
  } catch (err) {
    if (err instanceof RunRequestError) throw new UsageError(err.issues.map((i) => `${flag(i.path)}: ${i.message}`).join('\n'));
    throw err;
  }
}
